package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

func newLintCommand(a *App) *cobra.Command {
	var (
		lf      lintFlags
		format  string
		noColor bool
		fixIt   bool
		unsafe  bool
	)
	cmd := &cobra.Command{
		Use:   "lint [flags] [DOCKERFILE...]",
		Short: "Check Dockerfiles for size, cache, security and correctness problems",
		Long: `lint checks Dockerfiles with hadolint's DL rules (same codes), BuildKit's
build checks and strata's optimization checklist. With no file it reads
./Dockerfile; "-" reads standard input.

With --fix, the safe fixes are written to each file first (as
"strata fix --write" does) and what remains is reported.

A file that cannot be read or parsed does not stop the others: its error
is printed on standard error (file and line), every other file is linted
and reported (JSON and SARIF stay one document), and the exit status is 2.

Exit status: 0 when no finding reaches the failure threshold, 1 when one
does, 2 for usage or input errors.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			req, err := lf.request(a, args)
			if err != nil {
				return err
			}
			req.ReportOnly = true // only the report is printed
			req.NoRuleInfo = !report.NeedsRules(format)
			if mem := NewMemoryBudget(a.Getenv, lintBudget()); mem != nil {
				// The files are sized (a stat each) while the first
				// ones are linted.
				sized := make(chan struct{})
				go func() {
					defer close(sized)
					mem.Add(lintMemory(req.Paths))
				}()
				defer func() {
					<-sized
					mem.Done()
				}()
			}
			formatter, err := report.Lookup(format)
			if err != nil {
				return UsageError(err)
			}
			if fixIt {
				for _, p := range req.Paths {
					if p == "-" {
						return UsageError(errors.New("--fix cannot rewrite standard input; use strata fix - to print the fixed file"))
					}
					if _, err := dockerfile.ParseFile(p); err != nil {
						continue // reported with the lint results
					}
					if _, _, err := fixFile(cmd, req, p, nil, fixOptions{unsafe: unsafe, write: true}); err != nil {
						return err
					}
				}
			}
			out, err := lint.Run(cmd.Context(), req)
			if out == nil {
				if vocab.IsInput(err) {
					return UsageError(err)
				}
				return &ExitError{Code: ExitUsage, Err: err}
			}
			opts := report.Options{Color: !noColor && a.ColorEnabled(a.Stdout)}
			if err := formatter(a.Stdout, out.Report, opts); err != nil {
				return &ExitError{Code: ExitUsage, Err: fmt.Errorf("writing report: %w", err)}
			}
			// Files that could not be linted: named on standard error,
			// after the others' report; they make the exit status 2.
			if errs := out.Errors(); len(errs) > 0 {
				for _, e := range errs {
					fmt.Fprintf(a.Stderr, "strata: %v\n", e)
				}
				return &ExitError{Code: ExitUsage}
			}
			if out.Failed {
				return Failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	lf.register(fl)
	fl.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fl.BoolVar(&noColor, "no-color", false, "never colour the text output")
	fl.BoolVar(&fixIt, "fix", false, "apply the safe fixes to the files first (same as strata fix --write)")
	fl.BoolVar(&unsafe, "unsafe", false, "with --fix, also apply structural fixes")
	return cmd
}
