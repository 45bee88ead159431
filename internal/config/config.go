// Package config finds and reads strata's configuration file,
// .strata.yaml, and hadolint's .hadolint.yaml when no strata file exists.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/moby/buildkit/util/suggest"
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

	// Warnings are the problems found in the file that do not stop it
	// being used: keys strata does not know (a typo such as "ignoredd"
	// is otherwise silently without effect).
	Warnings []Warning `yaml:"-"`
	// Rules are the rule IDs the file names (in ignored, enable,
	// override and severity), for UnknownRules.
	Rules []RuleRef `yaml:"-"`
	// lines holds the line of each top-level key.
	lines map[string]int
}

// Warning is a problem in a configuration file, with its place.
type Warning struct {
	Path    string
	Line    int
	Message string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Message)
	}
	return fmt.Sprintf("%s: %s", w.Path, w.Message)
}

// RuleRef is a rule ID named in a configuration file.
type RuleRef struct {
	ID   string
	Key  string // where: "ignored", "override.error", "severity", ...
	Line int
}

// UnknownRules returns a warning for every rule ID the file names that
// known does not recognise.
func (c *Config) UnknownRules(known func(id string) bool) []Warning {
	var out []Warning
	for _, r := range c.Rules {
		if !known(r.ID) {
			out = append(out, Warning{Path: c.Path, Line: r.Line, Message: fmt.Sprintf("%s: unknown rule %q", r.Key, r.ID)})
		}
	}
	return out
}

// Where names the place a top-level key was set, for messages: "path:line"
// ("path" when the line is unknown).
func (c *Config) Where(key string) string {
	if l := c.lines[key]; l > 0 {
		return fmt.Sprintf("%s:%d", c.Path, l)
	}
	return c.Path
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
// It returns "" when there is no file. A Finder does the same for many
// files, sharing what their folders hold.
func Find(dir string) (string, error) {
	return (*Finder)(nil).Find(dir)
}

// Load reads the configuration file at path. An empty path yields the
// zero configuration.
func Load(path string) (*Config, error) {
	c := &Config{}
	if path == "" {
		return c, nil
	}
	data, err := readConfig(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("config file %s does not exist", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	return Parse(path, data)
}

// maxConfigSize bounds a configuration file (they hold a few lines).
const maxConfigSize = 1 << 20

// readConfig reads a regular file of at most maxConfigSize bytes: a
// configuration that is a FIFO, a device (/dev/zero) or a huge file is
// refused, not read until memory runs out or forever.
func readConfig(path string) ([]byte, error) {
	// Stat first: opening a FIFO waits for a writer.
	regular := func(fi fs.FileInfo, err error) error {
		if err == nil && !fi.Mode().IsRegular() {
			err = fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
		}
		return err
	}
	if err := regular(os.Stat(path)); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := regular(f.Stat()); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("larger than %d bytes, not a configuration file", maxConfigSize)
	}
	return data, nil
}

// Parse reads a configuration file's content; path names it in messages.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{Path: path}
	if len(bytes.TrimSpace(data)) > 0 {
		var doc yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		if err := doc.Decode(c); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		c.Path = path
		c.inspect(&doc)
	}
	return c, nil
}

// inspect walks the file's YAML tree: it records the line of each
// top-level key and the rule IDs named, and warns about keys that no
// field reads.
func (c *Config) inspect(doc *yaml.Node) {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return
	}
	c.lines = map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		c.lines[root.Content[i].Value] = root.Content[i].Line
	}
	c.unknownKeys(root, reflect.TypeOf(Config{}), "")
	ruleList := func(key string, n *yaml.Node) {
		switch n.Kind {
		case yaml.SequenceNode:
			for _, item := range n.Content {
				if item.Kind == yaml.ScalarNode {
					c.Rules = append(c.Rules, RuleRef{ID: item.Value, Key: key, Line: item.Line})
				}
			}
		case yaml.ScalarNode:
			c.Rules = append(c.Rules, RuleRef{ID: n.Value, Key: key, Line: n.Line})
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, root.Content[i+1]
		switch k {
		case "ignored", "enable":
			ruleList(k, v)
		case "override":
			if v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					ruleList("override."+v.Content[j].Value, v.Content[j+1])
				}
			}
		case "severity":
			if v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					c.Rules = append(c.Rules, RuleRef{ID: v.Content[j].Value, Key: k, Line: v.Content[j].Line})
				}
			}
		}
	}
}

// unknownKeys warns about the keys of mapping node n that no field of
// struct type t reads, and looks into the fields that are structs.
func (c *Config) unknownKeys(n *yaml.Node, t reflect.Type, prefix string) {
	fields := map[string]reflect.Type{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		fields[tag] = f.Type
		names = append(names, tag)
	}
	sort.Strings(names)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		if !ok {
			msg := fmt.Sprintf("unknown key %q", prefix+k.Value)
			if s, _ := suggest.Search(k.Value, names, true); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", prefix+s)
			} else {
				msg += "; known keys" + inPrefix(prefix) + ": " + strings.Join(names, ", ")
			}
			c.Warnings = append(c.Warnings, Warning{Path: c.Path, Line: k.Line, Message: msg})
			continue
		}
		if ft.Kind() == reflect.Struct && v.Kind == yaml.MappingNode {
			c.unknownKeys(v, ft, prefix+k.Value+".")
		}
	}
}

func inPrefix(prefix string) string {
	if prefix == "" {
		return ""
	}
	return " in " + strings.TrimSuffix(prefix, ".")
}
