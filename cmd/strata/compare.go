package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/docker/docker/client"
	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/report"
)

// compareSide is one side of a comparison: a Dockerfile to build, or an
// image in the Engine.
type compareSide struct {
	label      string
	dockerfile string
	contextDir string
	image      string
}

func newCompareCommand(a *app) *cobra.Command {
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
					return usageError(fmt.Errorf("compare --fix takes one Dockerfile, got %d argument(s)", len(args)))
				}
				return nil
			}
			if len(args) != 2 {
				return usageError(fmt.Errorf("compare takes two Dockerfiles or images, A and B; got %d argument(s)", len(args)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := mf.options(a)
			if err != nil {
				return err
			}
			if contextDir != "" {
				if err := checkContext(contextDir); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			var sides [2]compareSide
			if fixIt {
				df := dockerfileArg(args[0])
				if err := checkDockerfile(df); err != nil {
					return err
				}
				sides[0] = compareSide{label: "A", dockerfile: df, contextDir: orDefault(contextDir, filepath.Dir(df))}
			}
			if !fixIt {
				// Files are checked before the Engine is asked about images.
				for i, arg := range args {
					s, err := fileSide([]string{"A", "B"}[i], arg, contextDir)
					if err != nil {
						return err
					}
					sides[i] = s
				}
			}
			es, err := openEngine(ctx, a, &mf)
			if err != nil {
				return err
			}
			defer es.close(a)
			if !fixIt {
				for i := range sides {
					if sides[i].image == "" {
						continue
					}
					if err := checkImage(ctx, es.cli, &sides[i]); err != nil {
						return err
					}
				}
			} else {
				tmp, err := os.MkdirTemp("", "strata-compare-fix-")
				if err != nil {
					return usageError(fmt.Errorf("making a temporary directory: %w", err))
				}
				defer os.RemoveAll(tmp)
				fixed, err := measure.FixCopy(ctx, sides[0].dockerfile, sides[0].contextDir, tmp, opts.Lint)
				if err != nil {
					return measureError(ctx, a, err)
				}
				describeFix(a, fixed.Result)
				sides[1] = compareSide{label: "B", dockerfile: fixed.Dockerfile, contextDir: fixed.Context}
			}

			opts.Builder, opts.Tracker = es.builder, es.tracker
			pl := newProgressLine(a, mf.format)
			var ms [2]*report.Measurement
			for i, s := range sides {
				o := opts
				o.Label = s.label
				o.Progress = func(e measure.Event) {
					e.Phase = s.label + ": " + e.Phase
					pl.update(e)
				}
				var m *report.Measurement
				if s.dockerfile != "" {
					m, err = measure.Dockerfile(ctx, es.cli, s.dockerfile, s.contextDir, o)
				} else {
					m, err = measure.Image(ctx, es.cli, s.image, o)
				}
				if err != nil {
					pl.stop()
					return measureError(ctx, a, err)
				}
				ms[i] = m
			}
			pl.stop()
			if fixIt {
				ms[1].Subject = ms[0].Subject + " (strata fix --unsafe)"
				ms[1].Context = ms[0].Context + " (copy with the fixes' files)"
			}
			c := measure.Compare(ms[0], ms[1])
			if htmlFile != "" {
				if err := writeHTML(htmlFile, c); err != nil {
					return usageError(err)
				}
			}
			if mf.format == "json" {
				err = report.CompareJSON(a.stdout, c)
			} else {
				err = report.CompareText(a.stdout, c, report.Options{Color: !mf.noColor && a.colorEnabled(a.stdout)})
			}
			if err != nil {
				return usageError(fmt.Errorf("writing the report: %w", err))
			}
			if ms[0].StartupError != "" || ms[1].StartupError != "" {
				return failed()
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

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// dockerfileArg turns a directory argument into its Dockerfile.
func dockerfileArg(arg string) string {
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		return filepath.Join(arg, "Dockerfile")
	}
	return arg
}

// fileSide makes a side of arg: a Dockerfile when arg is a file or a
// directory holding one, else an image reference to check in the Engine.
func fileSide(label, arg, contextDir string) (compareSide, error) {
	if _, err := os.Stat(arg); err != nil {
		return compareSide{label: label, image: arg}, nil
	}
	df := dockerfileArg(arg)
	if err := checkDockerfile(df); err != nil {
		return compareSide{}, err
	}
	return compareSide{label: label, dockerfile: df, contextDir: orDefault(contextDir, filepath.Dir(df))}, nil
}

// checkImage checks that an image side exists in the Engine.
func checkImage(ctx context.Context, cli *client.Client, s *compareSide) error {
	if _, err := cli.ImageInspect(ctx, s.image); err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
		}
		return usageError(fmt.Errorf("%s: %q is neither a file nor an image in the Docker Engine at %s", s.label, s.image, cli.DaemonHost()))
	}
	return nil
}

// describeFix tells on stderr what strata fix changed for side B.
func describeFix(a *app, res *fix.Result) {
	if !res.Changed() && len(res.Create) == 0 {
		fmt.Fprintf(a.stderr, "strata: %s: strata fix --unsafe changes nothing; B is the same Dockerfile\n", res.Path)
		return
	}
	fmt.Fprintf(a.stderr, "strata: B is %s after strata fix --unsafe: %d change(s)", res.Path, len(res.Changes))
	for _, nf := range res.Create {
		fmt.Fprintf(a.stderr, ", adds %s", nf.Path)
	}
	fmt.Fprintln(a.stderr)
}

func writeHTML(path string, c *report.Comparison) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	if err := report.CompareHTML(f, c); err != nil {
		f.Close()
		return fmt.Errorf("--html %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--html %s: %w", path, err)
	}
	return nil
}
