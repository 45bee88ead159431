package gate

import (
	"errors"
	"io/fs"

	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/vocab"
)

// DefaultDiveCI is where dive, and strata after it, look for dive's CI
// file when none is named: the working directory.
const DefaultDiveCI = ".dive-ci"

// Inputs are the places thresholds come from, weakest first: dive's CI
// file, the image section of strata's configuration file, the command
// line.
type Inputs struct {
	// DiveCI is the path of dive's CI file the user named; it must exist.
	// When empty, DefaultDiveCI is read if it exists.
	DiveCI string
	// ConfigPath is the file Config comes from, for messages ("" when
	// there is none).
	ConfigPath string
	// Config is the image section of .strata.yaml.
	Config config.Image
	// Flags are the thresholds given on the command line.
	Flags Settings
}

// Resolve merges the thresholds of in: each place overrides, field by
// field, the ones before it; the merged gate is validated. It returns the
// gate and warnings about dive CI rules it does not know. Every error is
// bad input (vocab.InputError) naming the file or setting at fault.
func Resolve(in Inputs) (Gate, []string, error) {
	path, required := in.DiveCI, in.DiveCI != ""
	if !required {
		path = DefaultDiveCI
	}
	gate, warnings, err := LoadDiveCI(path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist) && !required:
		gate, warnings = Gate{}, nil
	case errors.Is(err, fs.ErrNotExist):
		return Gate{}, nil, vocab.Inputf("dive CI file %s: no such file", path)
	default:
		return Gate{}, nil, err
	}

	ci := in.Config
	fromFile, err := Settings{
		MaxSize: ci.MaxSize, MinEfficiency: ci.MinEfficiency, MaxWastedBytes: ci.MaxWastedBytes,
		MaxWastedPercent: ci.MaxWastedPercent, FailOn: ci.FailOn,
	}.Gate()
	if err != nil {
		where := in.ConfigPath
		if where == "" {
			where = "configuration"
		}
		return Gate{}, nil, vocab.Inputf("%s: image: %w", where, err)
	}
	gate = gate.Override(fromFile)

	fromFlags, err := in.Flags.Gate()
	if err != nil {
		return Gate{}, nil, &vocab.InputError{Err: err}
	}
	gate = gate.Override(fromFlags)
	if err := gate.Validate(); err != nil {
		return Gate{}, nil, &vocab.InputError{Err: err}
	}
	return gate, warnings, nil
}
