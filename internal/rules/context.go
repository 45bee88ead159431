package rules

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/fix/edit"
)

// BuildContext is the directory a build sends to the builder, as far as
// rules need to know it.
type BuildContext struct {
	// Dir is the context directory; "" when unknown (standard input).
	Dir string
	// Ignore is the ignore file that applies; it excludes nothing when
	// there is none.
	Ignore  *dockerignore.Matcher
	entries []string // top-level entries of Dir, sorted
	// added are files a fix is about to create, by context-relative path.
	added map[string]bool
}

// LoadBuildContext reads the context directory's ignore file (the one
// BuildKit would use for dockerfilePath, which may be "").
func LoadBuildContext(dir, dockerfilePath string) (*BuildContext, error) {
	bc := &BuildContext{Dir: dir}
	if dir == "" {
		return bc, nil
	}
	m, err := dockerignore.Load(dir, dockerfilePath)
	if err != nil {
		return nil, err
	}
	bc.Ignore = m
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading build context %s: %w", dir, err)
	}
	for _, e := range ents {
		bc.entries = append(bc.entries, e.Name())
	}
	sort.Strings(bc.entries)
	return bc, nil
}

// WithFiles returns a copy of bc in which the given files exist, as they
// will once a fix has written them. A .dockerignore among them takes
// effect when the context has none.
func (bc *BuildContext) WithFiles(files []edit.NewFile) *BuildContext {
	cp := *bc
	cp.added = map[string]bool{}
	for k := range bc.added {
		cp.added[k] = true
	}
	cp.entries = append([]string(nil), bc.entries...)
	for _, f := range files {
		rel := filepath.ToSlash(filepath.Clean(f.Path))
		if cp.added[rel] || bc.Exists(rel) {
			continue
		}
		cp.added[rel] = true
		if !strings.Contains(rel, "/") {
			cp.entries = append(cp.entries, rel)
		}
		if rel == dockerignore.FileName && !cp.HasIgnoreFile() {
			if m, err := dockerignore.Parse(filepath.Join(bc.Dir, rel), []byte(f.Content)); err == nil {
				cp.Ignore = m
			}
		}
	}
	sort.Strings(cp.entries)
	return &cp
}

// HasIgnoreFile reports whether a .dockerignore applies.
func (bc *BuildContext) HasIgnoreFile() bool { return bc != nil && bc.Ignore.Active() }

// IgnorePatterns are the patterns of the ignore file that applies.
func (bc *BuildContext) IgnorePatterns() []string {
	if !bc.HasIgnoreFile() {
		return nil
	}
	return bc.Ignore.Patterns
}

// Known reports whether the context directory is known.
func (bc *BuildContext) Known() bool { return bc != nil && bc.Dir != "" }

// Excluded reports whether the context-relative path rel is left out of
// the build context by the ignore file.
func (bc *BuildContext) Excluded(rel string) bool {
	if bc == nil {
		return false
	}
	ex, _ := bc.Ignore.Excluded(rel, false)
	return ex
}

// Entries returns the names at the top of the context directory.
func (bc *BuildContext) Entries() []string {
	if bc == nil {
		return nil
	}
	return bc.entries
}

// Exists reports whether the context-relative path exists.
func (bc *BuildContext) Exists(rel string) bool {
	if !bc.Known() {
		return false
	}
	if bc.added[filepath.ToSlash(filepath.Clean(rel))] {
		return true
	}
	_, err := os.Lstat(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
	return err == nil
}

// ReadFile returns the content of the context-relative file rel, at
// most limit bytes of it; it never reads outside the context directory.
func (bc *BuildContext) ReadFile(rel string, limit int64) ([]byte, error) {
	if !bc.Known() {
		return nil, fmt.Errorf("reading %s: the build context is unknown", rel)
	}
	root, err := os.OpenRoot(bc.Dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	defer root.Close()
	fh, err := root.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, limit))
}

// Sent reports whether rel exists in the context and is not excluded.
func (bc *BuildContext) Sent(rel string) bool {
	return bc.Exists(rel) && !bc.Excluded(rel)
}
