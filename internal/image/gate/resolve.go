package gate

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/vocab"
)

// DefaultDiveCI is the name dive, and strata after it, look for in the
// working directory when no dive CI file is named.
const DefaultDiveCI = ".dive-ci"

// Inputs say where thresholds come from, weakest first: dive's CI file,
// the image section of strata's configuration file, the command line.
type Inputs struct {
	// Dir is the directory DefaultDiveCI is read from and the
	// configuration file is looked for upwards from ("" is the working
	// directory).
	Dir string
	// DiveCI names dive's CI file; it must then exist. When empty,
	// DefaultDiveCI in Dir is read if it exists.
	DiveCI string
	// Config names strata's configuration file. When empty, .strata.yaml
	// is looked for upwards from Dir (config.Find); a .hadolint.yaml found
	// instead has no image section and is not read.
	Config string
	// Flags are the thresholds given on the command line.
	Flags Settings
	// StrictConfig makes unknown keys in the configuration file errors.
	StrictConfig bool
}

// Resolved is the merged gate and what else the configuration says about
// strata image.
type Resolved struct {
	Gate Gate
	// Ignore are the configuration's ignore patterns (image.ignore).
	Ignore []string
	// Warnings are about dive CI rules strata does not know and keys of
	// the configuration file it does not know.
	Warnings []string
}

// Resolve reads the places of in and merges their thresholds: each
// overrides, field by field, the ones before it; the merged gate is
// validated. Every error is bad input (vocab.InputError) naming the file
// or setting at fault.
func Resolve(in Inputs) (Resolved, error) {
	var res Resolved
	path, required := in.DiveCI, in.DiveCI != ""
	if !required {
		path = filepath.Join(in.Dir, DefaultDiveCI)
	}
	g, warnings, err := LoadDiveCI(path)
	switch {
	case err == nil:
		res.Gate, res.Warnings = g, warnings
	case errors.Is(err, fs.ErrNotExist) && !required:
	case errors.Is(err, fs.ErrNotExist):
		return res, vocab.Inputf("dive CI file %s: no such file", path)
	default:
		return res, err
	}

	cfg, err := loadConfig(in.Dir, in.Config)
	if err != nil {
		return res, err
	}
	for _, w := range cfg.Warnings {
		if in.StrictConfig {
			return res, vocab.Inputf("%s (--strict-config)", w)
		}
		res.Warnings = append(res.Warnings, "warning: "+w.String())
	}
	ci := cfg.Image
	fromFile, err := Settings{
		MaxSize: ci.MaxSize, MinEfficiency: ci.MinEfficiency, MaxWastedBytes: ci.MaxWastedBytes,
		MaxWastedPercent: ci.MaxWastedPercent, FailOn: ci.FailOn,
	}.Gate()
	if err != nil {
		return res, vocab.Inputf("%s: image: %w", cfg.Path, err)
	}
	res.Gate = res.Gate.Override(fromFile)
	res.Ignore = ci.Ignore

	fromFlags, err := in.Flags.Gate()
	if err != nil {
		return res, &vocab.InputError{Err: err}
	}
	res.Gate = res.Gate.Override(fromFlags)
	if err := res.Gate.Validate(); err != nil {
		return res, &vocab.InputError{Err: err}
	}
	return res, nil
}

// loadConfig reads the named configuration file, or the one found
// upwards from dir.
func loadConfig(dir, path string) (*config.Config, error) {
	if path == "" {
		if dir == "" {
			dir = "."
		}
		found, err := config.Find(dir)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(filepath.Base(found), ".hadolint") {
			path = found
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, vocab.Inputf("%w", err)
	}
	return cfg, nil
}
