package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
)

// ImageRun is what one run of strata image renders.
type ImageRun struct {
	Result *image.Result
	// Gate is the gate's outcome; nil leaves it out.
	Gate *gate.Result
	// Rules are the image rules that ran (for the checklist and the rule
	// metadata of SARIF).
	Rules check.Set
	// Dockerfile is the one Result was mapped to, for the lint formats.
	Dockerfile *image.Dockerfile
	// Version is strata's, for the formats that name the tool.
	Version string
}

// ImageWriter writes an ImageRun in one format.
type ImageWriter func(w io.Writer, run ImageRun, opts Options) error

// LookupImage returns the writer for a format of strata image: text, json,
// or one of lint's formats (sarif, checkstyle, gitlab, github), which
// report findings on Dockerfile lines and so need a Dockerfile to map the
// image to (withDockerfile).
func LookupImage(format string, withDockerfile bool) (ImageWriter, error) {
	switch strings.ToLower(format) {
	case "text":
		return func(w io.Writer, run ImageRun, opts Options) error {
			return ImageText(w, run.Result, run.Gate, ImageTextOptions{Color: opts.Color})
		}, nil
	case "json":
		return func(w io.Writer, run ImageRun, _ Options) error {
			return ImageJSON(w, run.Result, run.Gate, run.Rules)
		}, nil
	}
	lint, err := Lookup(format)
	if err != nil {
		return nil, err
	}
	if !withDockerfile {
		return nil, fmt.Errorf("--format %s reports findings on Dockerfile lines: give the Dockerfile with --dockerfile", strings.ToLower(format))
	}
	return func(w io.Writer, run ImageRun, opts Options) error {
		rep, err := ImageLint(run.Result, run.Dockerfile, run.Rules, run.Version)
		if err != nil {
			return err
		}
		return lint(w, rep, opts)
	}, nil
}
