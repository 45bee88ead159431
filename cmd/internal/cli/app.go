// Package cli holds what strata's two binaries share: the process's
// streams and exit codes, how a command line is run (interruption, error
// messages, exit status) and the commands that need no engine or
// registry (lint, fix, rules, explain). cmd/strata adds every other
// command; cmd/strata-lint is these alone, in a binary that starts in
// half the time (docs/architecture.md).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/redact"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// Exit codes shared by every command.
const (
	ExitOK          = 0   // nothing reached the failure threshold
	ExitFindings    = 1   // a finding or gate reached the threshold
	ExitUsage       = 2   // bad usage or bad input
	ExitInterrupted = 130 // Ctrl-C or SIGTERM, as a shell reports a process killed by SIGINT
)

// Version is set at link time with -ldflags
// "-X github.com/stratatools/strata/cmd/internal/cli.Version=...".
var Version = "dev"

// App carries what every command needs from the process.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// IsTerminal reports whether w is an interactive terminal.
	IsTerminal func(w io.Writer) bool
	Getenv     func(string) string
}

// ExitError carries an exit code through cobra's error return; Err nil
// exits without a message.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// UsageError marks err as bad usage or bad input (exit 2).
func UsageError(err error) error { return &ExitError{Code: ExitUsage, Err: err} }

// Failed signals exit 1 without an error message (findings were printed).
func Failed() error { return &ExitError{Code: ExitFindings} }

// Main runs the process's command line with the root command newRoot
// makes, and exits with its status.
func Main(newRoot func(*App) *cobra.Command) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &App{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		IsTerminal: IsTerminal,
		Getenv:     os.Getenv,
	}
	code := Run(ctx, a, newRoot(a), os.Args[1:])
	stop()
	os.Exit(code)
}

// Run executes the command line args with root and returns the process
// exit code.
func Run(ctx context.Context, a *App, root *cobra.Command, args []string) int {
	root.SetArgs(args)
	root.SetIn(a.Stdin)
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	err := root.ExecuteContext(ctx)
	var ee *ExitError
	switch {
	case ctx.Err() != nil:
		// Ctrl-C or SIGTERM: every command exits as a shell expects.
		msg := "interrupted"
		if err != nil && !(errors.As(err, &ee) && ee.Err == nil) {
			if msg = err.Error(); !strings.Contains(msg, "interrupted") {
				msg = "interrupted: " + msg
			}
		}
		fmt.Fprintf(a.Stderr, "strata: %s\n", redact.String(msg))
		return ExitInterrupted
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		if ee.Err != nil {
			fmt.Fprintf(a.Stderr, "strata: %s\n", redact.String(ee.Err.Error()))
		}
		return ee.Code
	}
	fmt.Fprintf(a.Stderr, "strata: %s\n", redact.String(err.Error()))
	var ie *vocab.InputError
	if errors.As(err, &ie) {
		return ExitUsage // bad input, named in the message
	}
	// Errors cobra raises itself (unknown command, bad arguments) are
	// usage errors too.
	return ExitUsage
}

// NewRoot returns a root command named use with the commands this
// package holds; est is what fix --explain and --estimate print the
// expected sizes with (nil: a binary without the estimate).
func NewRoot(a *App, use, short, long string, est FixEstimate) *cobra.Command {
	root := &cobra.Command{
		Use:           use,
		Short:         short,
		Long:          long,
		Version:       versionText(debug.ReadBuildInfo()),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return UsageError(err) })
	root.AddCommand(
		newLintCommand(a),
		newRulesCommand(a),
		newExplainCommand(a),
		newFixCommand(a, est),
	)
	return root
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// Progress starts the live progress line on standard error (see
// report.NewProgress): drawn on a terminal only, not with TERM=dumb, and
// without colour under NO_COLOR or noColor. off turns it off.
func (a *App) Progress(off, noColor bool) *report.Progress {
	return report.NewProgress(a.Stderr, report.ProgressOptions{
		Terminal: a.IsTerminal(a.Stderr), Getenv: a.Getenv, Off: off, NoColor: noColor,
	})
}

// ColorEnabled reports whether ANSI colour may be written to w.
func (a *App) ColorEnabled(w io.Writer) bool {
	if a.Getenv("NO_COLOR") != "" {
		return false
	}
	if a.Getenv("TERM") == "dumb" {
		return false
	}
	return a.IsTerminal(w)
}
