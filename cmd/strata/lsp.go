package main

import (
	"errors"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/lsp"
)

func newLSPCommand(a *cli.App) *cobra.Command {
	var (
		stdio      bool
		configPath string
		debounce   time.Duration
		shellDelay time.Duration
		noEngine   bool
	)
	cmd := &cobra.Command{
		Use:   "lsp [flags]",
		Short: "Run the language server for editors (stdio)",
		Long: `lsp speaks the Language Server Protocol on standard input and output, for
editors: diagnostics from every rule family as a Dockerfile is edited (the
unsaved text, with the .strata.yaml or .hadolint.yaml and .dockerignore of
its folder), every fix as a code action (safe fixes as quick fixes,
structural ones as refactorings, "fix all safe problems" as a
source.fixAll action), an action that inserts "# strata ignore=RULE", and
hover documentation for rules and base images (what the local Docker
Engine knows of a FROM image, unless --no-engine).

Neovim:  vim.lsp.start({name = "strata", cmd = {"strata", "lsp"}})

Exit status: 0 after the client's shutdown and exit, 1 when the client
exits without shutdown, 2 for usage errors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := lsp.Options{
				Version:    cli.Version,
				Request:    lint.Request{ConfigPath: configPath, Version: cli.Version},
				Debounce:   debounce,
				ShellDelay: shellDelay,
				Log:        a.Stderr,
			}
			if !noEngine {
				opts.Inspect = lsp.EngineInspector(build.Connect)
			}
			err := lsp.Serve(cmd.Context(), stdioConn{r: a.Stdin, w: a.Stdout}, opts)
			switch {
			case errors.Is(err, lsp.ErrNoShutdown):
				return &cli.ExitError{Code: cli.ExitFindings, Err: err}
			case err != nil && cmd.Context().Err() != nil:
				return &cli.ExitError{Code: cli.ExitInterrupted}
			case err != nil:
				return &cli.ExitError{Code: cli.ExitUsage, Err: err}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&stdio, "stdio", true, "speak the protocol on standard input and output (the only transport; accepted for editors that pass it)")
	fl.StringVarP(&configPath, "config", "c", "", "configuration file for every document (default: .strata.yaml or .hadolint.yaml found upwards from each Dockerfile)")
	fl.DurationVar(&debounce, "debounce", lsp.DefaultDebounce, "how long a document must be unchanged before it is linted")
	fl.DurationVar(&shellDelay, "shellcheck-delay", lsp.DefaultShellDelay, "how long a document must be unchanged before ShellCheck runs on it")
	fl.BoolVar(&noEngine, "no-engine", false, "do not ask the local Docker Engine about base images on hover")
	return cmd
}

// stdioConn joins standard input and output into the stream the server
// speaks on.
type stdioConn struct {
	r io.Reader
	w io.Writer
}

func (c stdioConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c stdioConn) Write(p []byte) (int, error) { return c.w.Write(p) }

// Close closes standard input when it is a file, which ends the read.
func (c stdioConn) Close() error {
	if f, ok := c.r.(*os.File); ok {
		return f.Close()
	}
	return nil
}
