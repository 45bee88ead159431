// Package config finds and reads strata's configuration file,
// .strata.yaml, and hadolint's .hadolint.yaml when no strata file exists.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// Config is the content of a configuration file. Field names follow
// hadolint's where the meaning is the same, so a .hadolint.yaml reads
// as is.
type Config struct {
	// Path is the file the configuration came from ("" for none).
	Path string `yaml:"-"`

	// Ignored lists rule IDs or aliases to switch off.
	Ignored []string `yaml:"ignored"`
	// Override sets severities by list, as hadolint does.
	Override Override `yaml:"override"`
	// Severity sets severities per rule: {DL3008: error}.
	Severity map[string]string `yaml:"severity"`
	// Enable switches on rules that are off by default.
	Enable []string `yaml:"enable"`
	// FailureThreshold is the lowest severity that makes lint exit 1.
	FailureThreshold string `yaml:"failure-threshold"`
	// NoFail makes lint exit 0 whatever it finds.
	NoFail bool `yaml:"no-fail"`
	// TrustedRegistries limits the registries FROM may use (DL3026).
	TrustedRegistries []string `yaml:"trustedRegistries"`
	// TrustedRegistriesAlt is the kebab-case spelling of the same key.
	TrustedRegistriesAlt []string `yaml:"trusted-registries"`
	// LabelSchema maps required labels to their value schema.
	LabelSchema map[string]string `yaml:"label-schema"`
	// StrictLabels reports labels missing from LabelSchema.
	StrictLabels bool `yaml:"strict-labels"`
	// DisableIgnorePragma disregards inline ignore comments.
	DisableIgnorePragma bool `yaml:"disable-ignore-pragma"`
	// Format is the default output format.
	Format string `yaml:"format"`
	// NoColor disables colour in text output.
	NoColor bool `yaml:"no-color"`

	// Image configures the strata image gate.
	Image Image `yaml:"image"`
}

// Override lists rules per severity, hadolint style.
type Override struct {
	Error   []string `yaml:"error"`
	Warning []string `yaml:"warning"`
	Info    []string `yaml:"info"`
	Style   []string `yaml:"style"`
}

// Image holds the strata image gate thresholds.
type Image struct {
	MaxSize          string   `yaml:"max-size"`
	MinEfficiency    *float64 `yaml:"min-efficiency"`
	MaxWastedBytes   string   `yaml:"max-wasted-bytes"`
	MaxWastedPercent *float64 `yaml:"max-wasted-percent"`
	FailOn           string   `yaml:"fail-on"`
	Ignore           []string `yaml:"ignore"`
}

// Trusted returns the trusted registries from either spelling.
func (c *Config) Trusted() []string {
	return append(append([]string{}, c.TrustedRegistries...), c.TrustedRegistriesAlt...)
}

// Find walks up from dir looking for .strata.yaml (or .strata.yml); when
// none is found all the way up, it looks for .hadolint.yaml the same way.
// It returns "" when there is no file.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	// strata's own file wins over hadolint's anywhere up the tree.
	for _, names := range [][]string{{".strata.yaml", ".strata.yml"}, {".hadolint.yaml", ".hadolint.yml"}} {
		for d := abs; ; d = filepath.Dir(d) {
			for _, n := range names {
				p := filepath.Join(d, n)
				if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
					return p, nil
				}
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", nil
}

// Load reads the configuration file at path. An empty path yields the
// zero configuration.
func Load(path string) (*Config, error) {
	c := &Config{}
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("config file %s does not exist", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(c); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	c.Path = path
	return c, nil
}
