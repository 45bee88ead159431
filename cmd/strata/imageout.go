package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/explore"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// imageOutFlags are strata image's other outputs: the page and the
// explorer.
type imageOutFlags struct {
	html        string
	interactive bool
}

func (o *imageOutFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&o.html, "html", "", "also write a self-contained HTML page (layers, treemap, waste, findings) to this file")
	fl.BoolVarP(&o.interactive, "interactive", "i", false, "explore the image in the terminal (layers, file tree, waste) instead of printing the report")
}

// check refuses what cannot work before the image is read.
func (o *imageOutFlags) check(a *cli.App) error {
	if o.html != "" {
		if err := checkHTMLPath(o.html); err != nil {
			return cli.UsageError(err)
		}
	}
	if o.interactive && !a.IsTerminal(a.Stdout) {
		return cli.UsageError(vocab.Inputf("--interactive needs a terminal: standard output is not one (use --format or --html to write a report)"))
	}
	return nil
}

// write writes the page and runs the explorer; done says the explorer ran
// and the report is not wanted.
func (o *imageOutFlags) write(ctx context.Context, a *cli.App, res *image.Result) (done bool, err error) {
	if o.html != "" {
		var b bytes.Buffer
		if err := report.ImageHTML(&b, res); err != nil {
			return true, cli.UsageError(fmt.Errorf("--html %s: %w", o.html, err))
		}
		if err := fix.WriteFile(o.html, b.Bytes()); err != nil {
			return true, cli.UsageError(fmt.Errorf("--html: %w", err))
		}
	}
	if !o.interactive {
		return false, nil
	}
	err = explore.Run(ctx, res, explore.Options{Input: a.Stdin, Output: a.Stdout})
	switch {
	case errors.Is(err, explore.ErrInterrupted) || ctx.Err() != nil:
		return true, &cli.ExitError{Code: cli.ExitInterrupted, Err: errors.New("interrupted")}
	case err != nil:
		return true, fmt.Errorf("explorer: %w", err)
	}
	return true, nil
}
