package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/measure/engine"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

func newCompareCommand(a *cli.App) *cobra.Command {
	var (
		mf         measureFlags
		fixIt      bool
		htmlFile   string
		contextDir string
	)
	cmd := &cobra.Command{
		Use:   "compare [flags] A B | compare --fix [flags] DOCKERFILE",
		Short: "Measure two Dockerfiles or images side by side and score the difference",
		Long: `compare measures A and B as strata measure does and prints every figure
side by side with the difference (B − A) and the reduction in percent
((A − B) / A × 100), and the findings by category on each side: what B
fixed and what is new in B.

A and B are Dockerfiles (a directory means its Dockerfile; the build
context is the Dockerfile's folder unless --context is given) or image
references in the Docker Engine (measured without building).

--fix compares a Dockerfile with its own "strata fix --unsafe" output,
built from a copy of the context with the files the fixes add; your files
are not changed.

The score picks the winner: size reduction % + security points +
build-time reduction %. The report prints the formula and the arithmetic
with the measured numbers; a positive score favours B.

--html writes a self-contained page (no network) with the figures and bar
charts of each layer's size.

Exit status: 0 when measured; 1 when a start-up failed; 2 for usage or
input errors and failed builds; 130 when interrupted.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if fixIt {
				if len(args) != 1 {
					return cli.UsageError(fmt.Errorf("compare --fix takes one Dockerfile, got %d argument(s)", len(args)))
				}
				return nil
			}
			if len(args) != 2 {
				return cli.UsageError(fmt.Errorf("compare takes two Dockerfiles or images, A and B; got %d argument(s)", len(args)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := mf.options(a)
			if err != nil {
				return err
			}
			if htmlFile != "" {
				if err := checkHTMLPath(htmlFile); err != nil {
					return err
				}
			}
			// Files are checked before the Engine is asked about images.
			plan, err := engine.PlanCompare(args, contextDir, fixIt)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := openSession(ctx, a, &mf)
			if err != nil {
				return err
			}
			defer closeSession(a, s)
			pl := mf.progress(a)
			opts = s.Options(opts)
			opts.Progress = measureProgress(pl)
			c, err := plan.Run(ctx, s.Client, opts, func(res *fix.Result) { describeFix(a, res) })
			pl.Stop()
			if err != nil {
				return measureError(ctx, a, err)
			}
			if htmlFile != "" {
				if err := writeHTML(htmlFile, c); err != nil {
					return cli.UsageError(err)
				}
			}
			if mf.format == "json" {
				err = report.CompareJSON(a.Stdout, c)
			} else {
				err = report.CompareText(a.Stdout, c, report.Options{Color: !mf.noColor && a.ColorEnabled(a.Stdout)})
			}
			if err != nil {
				return cli.UsageError(fmt.Errorf("writing the report: %w", err))
			}
			if c.A.StartupError != "" || c.B.StartupError != "" {
				return cli.Failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&fixIt, "fix", false, "compare DOCKERFILE with its own strata fix --unsafe output")
	fl.StringVar(&htmlFile, "html", "", "also write the comparison as a self-contained HTML page to this file")
	fl.StringVar(&contextDir, "context", "", "build context of the Dockerfiles (default: each Dockerfile's folder)")
	mf.register(fl)
	return cmd
}

// describeFix tells on stderr what strata fix changed for side B.
func describeFix(a *cli.App, res *fix.Result) {
	if !res.Changed() && len(res.Create) == 0 {
		fmt.Fprintf(a.Stderr, "strata: %s: strata fix --unsafe changes nothing; B is the same Dockerfile\n", res.Path)
		return
	}
	fmt.Fprintf(a.Stderr, "strata: B is %s after strata fix --unsafe: %d change(s)", res.Path, len(res.Changes))
	for _, nf := range res.Create {
		fmt.Fprintf(a.Stderr, ", adds %s", nf.Path)
	}
	fmt.Fprintln(a.Stderr)
}

// checkHTMLPath refuses an --html file that cannot be written before
// anything is measured.
func checkHTMLPath(path string) error { return checkOutputPath("--html", path) }

// checkOutputPath checks that the file flag names can be written: its
// folder exists and it is not something other than a regular file.
func checkOutputPath(flag, path string) error {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return vocab.Inputf("%s %s: the folder %s does not exist", flag, path, dir)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return vocab.Inputf("%s %s: not a regular file", flag, path)
	}
	return nil
}

// writeHTML writes the comparison's page to path atomically.
func writeHTML(path string, c *measure.Comparison) error {
	var b bytes.Buffer
	if err := report.CompareHTML(&b, c); err != nil {
		return fmt.Errorf("--html %s: %w", path, err)
	}
	if err := fix.WriteFile(path, b.Bytes()); err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	return nil
}
