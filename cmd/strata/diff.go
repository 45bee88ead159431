package main

import (
	"bytes"
	"fmt"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagediff"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

type diffFlags struct {
	platform   string
	insecure   bool
	format     string
	html       string
	top        int
	jobs       int
	exitCode   bool
	noProgress bool
	noColor    bool
}

func newDiffCommand(a *cli.App) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff [flags] A B",
		Short: "Compare two images file by file",
		Long: `diff reads two images, one streaming pass each and both at once, and lists
the files B adds, removes and changes relative to A: content (by hash, so a
same-size change is found), size, mode, owner and link target, grouped by
top directory with byte totals, then says where the bytes went ("B is
412 MB smaller: /usr/lib −300 MB, ...").

A and B are any references strata image reads (docker-daemon:, docker-archive:,
oci:, oci-archive:, docker://, or a plain name), mixed as you like. A layer
both images hold (same diff ID) is decoded once, for both; a streamed
source (docker-daemon:, stdin) cannot tell its layers apart before its end
and reads them all.

--html writes the diff as a self-contained page.

Exit status: 0 when the diff was made (1 with --exit-code when the images
differ), 2 for usage or input errors, 130 when interrupted.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return cli.UsageError(fmt.Errorf("diff takes two images, A and B; got %d argument(s)", len(args)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runDiff(cmd, a, &f, args) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.platform, "platform", "", "platform to pick from multi-platform images, os/arch[/variant] (default: the host's)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP (and unverified TLS) to registries")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text or json")
	fl.StringVar(&f.html, "html", "", "also write the diff as a self-contained HTML page to this file")
	fl.IntVar(&f.top, "top", 20, "paths listed per directory in the text output, largest change first (0: all)")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "layers each side reads at once (default: the number of CPUs)")
	fl.BoolVar(&f.exitCode, "exit-code", false, "exit 1 when the images differ")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress display while layers are read")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text output")
	return cmd
}

func runDiff(cmd *cobra.Command, a *cli.App, f *diffFlags, args []string) error {
	ctx := cmd.Context()
	if f.format != "text" && f.format != "json" {
		return cli.UsageError(fmt.Errorf("--format %q: diff writes text or json", f.format))
	}
	if f.html != "" {
		if err := checkHTMLPath(f.html); err != nil {
			return cli.UsageError(err)
		}
	}
	if args[0] == "-" && args[1] == "-" {
		return cli.UsageError(vocab.Inputf("A and B cannot both be read from standard input"))
	}
	opts := source.Options{Insecure: f.insecure, Stdin: a.Stdin, Engine: connectEngine}
	if f.platform != "" {
		p, err := v1.ParsePlatform(f.platform)
		if err != nil {
			return cli.UsageError(fmt.Errorf("--platform %q: %w", f.platform, err))
		}
		opts.Platform = p
	}
	var srcs [2]image.Source
	for i, ref := range args {
		src, err := source.Open(ref, opts)
		if err != nil {
			return cli.UsageError(fmt.Errorf("%s: %w", []string{"A", "B"}[i], err))
		}
		srcs[i] = src
	}
	prog := a.Progress(f.noProgress, f.noColor)
	dopts := imagediff.Options{Jobs: f.jobs}
	if prog.On() {
		dopts.Progress = diffProgress(prog)
	}
	d, err := imagediff.Run(ctx, srcs[0], srcs[1], dopts)
	prog.Stop()
	if err != nil {
		if ctx.Err() != nil {
			return &cli.ExitError{Code: cli.ExitInterrupted, Err: fmt.Errorf("interrupted: %w", ctx.Err())}
		}
		return cli.UsageError(err)
	}
	if f.html != "" {
		var b bytes.Buffer
		if err := report.DiffHTML(&b, d); err != nil {
			return cli.UsageError(err)
		}
		if err := fix.WriteFile(f.html, b.Bytes()); err != nil {
			return cli.UsageError(fmt.Errorf("--html: %w", err))
		}
	}
	if f.format == "json" {
		err = report.DiffJSON(a.Stdout, d)
	} else {
		err = report.DiffText(a.Stdout, d, report.DiffTextOptions{Color: !f.noColor && a.ColorEnabled(a.Stdout), Top: f.top})
	}
	if err != nil {
		return cli.UsageError(fmt.Errorf("writing the report: %w", err))
	}
	if f.exitCode && len(d.Files) > 0 {
		return cli.Failed()
	}
	return nil
}

// diffProgress shows both sides' reading on the progress line.
func diffProgress(p *report.Progress) func(string, image.Progress) {
	var mu sync.Mutex
	var sides [2]image.Progress
	return func(side string, pr image.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if side == "A" {
			sides[0] = pr
		} else {
			sides[1] = pr
		}
		count := func(x image.Progress) string {
			if x.LayersTotal == 0 {
				return fmt.Sprintf("%d/?", x.LayersDone)
			}
			return fmt.Sprintf("%d/%d", x.LayersDone, x.LayersTotal)
		}
		p.Update(report.Status{Phase: "reading layers", Count: "A " + count(sides[0]) + ", B " + count(sides[1]),
			Detail: vocab.FormatSize(sides[0].Bytes + sides[1].Bytes)})
	}
}
