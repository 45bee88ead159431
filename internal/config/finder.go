package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// configNames are the names a configuration file may have, in the order
// they are looked for: strata's own file anywhere up the tree wins over
// hadolint's.
var configNames = [][]string{{".strata.yaml", ".strata.yml"}, {".hadolint.yaml", ".hadolint.yml"}}

// Finder finds and loads the configuration files of the Dockerfiles of
// one run. It remembers what each folder holds and each file read, so
// that Dockerfiles in the same tree share the lookups: a run over many
// files stats each folder once, not once per file below it. The files
// are taken not to change during the run. The zero value and nil are
// ready to use; nil remembers nothing. It is safe for concurrent use.
type Finder struct {
	mu     sync.Mutex
	found  [2]map[string]string // per entry of configNames: folder -> file at or above it ("" none)
	loaded map[string]loadResult
}

type loadResult struct {
	cfg *Config
	err error
}

// NewFinder returns a Finder that remembers.
func NewFinder() *Finder { return &Finder{} }

// Find returns the configuration file for a Dockerfile in dir, as the
// package's Find does.
func (f *Finder) Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	for i, names := range configNames {
		if p := f.findUp(i, names, abs); p != "" {
			return p, nil
		}
	}
	return "", nil
}

// findUp returns the first file named one of names in dir or a folder
// above it, "" when there is none.
func (f *Finder) findUp(pass int, names []string, dir string) string {
	var walked []string // folders looked in, to remember
	found := ""
	for d := dir; ; d = filepath.Dir(d) {
		if p, ok := f.lookup(pass, d); ok {
			found = p
			break
		}
		walked = append(walked, d)
		if p := fileIn(d, names); p != "" {
			found = p
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if f != nil {
		f.mu.Lock()
		if f.found[pass] == nil {
			f.found[pass] = map[string]string{}
		}
		for _, d := range walked {
			f.found[pass][d] = found
		}
		f.mu.Unlock()
	}
	return found
}

// lookup returns what a folder's walk found before.
func (f *Finder) lookup(pass int, dir string) (string, bool) {
	if f == nil {
		return "", false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.found[pass][dir]
	return p, ok
}

// fileIn returns the first of names that is a file in dir.
func fileIn(dir string, names []string) string {
	for _, n := range names {
		p := filepath.Join(dir, n)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// Load reads the configuration file at path once, as the package's Load
// does; the Config returned is shared and must not be changed.
func (f *Finder) Load(path string) (*Config, error) {
	if f == nil || path == "" {
		return Load(path)
	}
	f.mu.Lock()
	r, ok := f.loaded[path]
	f.mu.Unlock()
	if ok {
		return r.cfg, r.err
	}
	cfg, err := Load(path)
	f.mu.Lock()
	if f.loaded == nil {
		f.loaded = map[string]loadResult{}
	}
	f.loaded[path] = loadResult{cfg, err}
	f.mu.Unlock()
	return cfg, err
}
