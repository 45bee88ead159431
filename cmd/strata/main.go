// Command strata makes container images small, quick to rebuild and safe
// to run. This package holds only the cobra commands: flags, wiring and
// exit codes. All logic lives under internal/.
package main

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
	exitOK       = 0 // nothing reached the failure threshold
	exitFindings = 1 // a finding or gate reached the threshold
	exitUsage    = 2 // bad usage or bad input
)

// version is set at link time with -ldflags "-X main.version=...".
var version = "dev"

// app carries what every command needs from the process.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// isTerminal reports whether w is an interactive terminal.
	isTerminal func(w io.Writer) bool
	getenv     func(string) string
}

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as bad usage or bad input (exit 2).
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// failed signals exit 1 without an error message (findings were printed).
func failed() error { return &exitError{code: exitFindings} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{
		stdin:      os.Stdin,
		stdout:     os.Stdout,
		stderr:     os.Stderr,
		isTerminal: isTerminal,
		getenv:     os.Getenv,
	}
	code := run(ctx, a, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, a *app, args []string) int {
	root := newRootCommand(a)
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(ctx)
	var ee *exitError
	switch {
	case ctx.Err() != nil:
		// Ctrl-C or SIGTERM: every command exits as a shell expects.
		msg := "interrupted"
		if err != nil && !(errors.As(err, &ee) && ee.err == nil) {
			if msg = err.Error(); !strings.Contains(msg, "interrupted") {
				msg = "interrupted: " + msg
			}
		}
		fmt.Fprintf(a.stderr, "strata: %s\n", redact.String(msg))
		return exitInterrupted
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintf(a.stderr, "strata: %s\n", redact.String(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintf(a.stderr, "strata: %s\n", redact.String(err.Error()))
	var ie *vocab.InputError
	if errors.As(err, &ie) {
		return exitUsage // bad input, named in the message
	}
	// Errors cobra raises itself (unknown command, bad arguments) are
	// usage errors too.
	return exitUsage
}

func newRootCommand(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "strata",
		Short: "Make container images small, quick to rebuild and safe to run",
		Long: `strata checks Dockerfiles, rewrites them into their optimized form,
reads built images to account for every byte, and measures builds on the
real Docker Engine.`,
		Version:       versionText(debug.ReadBuildInfo()),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	root.AddCommand(
		newLintCommand(a),
		newRulesCommand(a),
		newExplainCommand(a),
		newFixCommand(a),
		newImageCommand(a), newDiffCommand(a), newAuditCommand(a),
		newMeasureCommand(a), newCompareCommand(a),
		newLSPCommand(a),
		newContextCommand(a), newCacheCommand(a),
		newEstimateCommand(a),
	)
	return root
}

func isTerminal(w io.Writer) bool {
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

// progress starts the live progress line on standard error (see
// report.NewProgress): drawn on a terminal only, not with TERM=dumb, and
// without colour under NO_COLOR or noColor. off turns it off.
func (a *app) progress(off, noColor bool) *report.Progress {
	return report.NewProgress(a.stderr, report.ProgressOptions{
		Terminal: a.isTerminal(a.stderr), Getenv: a.getenv, Off: off, NoColor: noColor,
	})
}

// colorEnabled reports whether ANSI colour may be written to w.
func (a *app) colorEnabled(w io.Writer) bool {
	if a.getenv("NO_COLOR") != "" {
		return false
	}
	if a.getenv("TERM") == "dumb" {
		return false
	}
	return a.isTerminal(w)
}
