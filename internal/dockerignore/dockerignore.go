// Package dockerignore decides which files of a build context a build
// sends, as BuildKit does: it finds the ignore file that applies to a
// Dockerfile and matches context paths against it with BuildKit's own
// pattern library (github.com/moby/patternmatcher).
//
// BuildKit applies the patterns as written: a .dockerignore that lists
// the Dockerfile or itself keeps them out of the context (BuildKit reads
// the Dockerfile through a transfer of its own), so `COPY Dockerfile`
// then fails. The classic builder's client instead adds exceptions that
// keep both in its context tar (see Matcher.Classic).
package dockerignore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/stratatools/strata/internal/vocab"
)

// FileName is the build context's ignore file.
const FileName = ".dockerignore"

// Matcher says which context paths a build leaves out. The zero value and
// a nil *Matcher exclude nothing.
type Matcher struct {
	// Path is the ignore file in use, "" when none applies.
	Path string
	// Patterns are its patterns, as BuildKit reads them (comments and
	// blank lines dropped, paths cleaned).
	Patterns []string
	m        *patternmatcher.PatternMatcher
}

// Candidates lists, in the order BuildKit tries them, the ignore files
// that may apply to a build of dockerfile (a path, or "" or "-" when the
// Dockerfile comes from standard input) with context dir: first
// <Dockerfile>.dockerignore beside the Dockerfile, then the context's
// .dockerignore.
func Candidates(dir, dockerfile string) []string {
	var out []string
	if dockerfile != "" && dockerfile != "-" {
		out = append(out, dockerfile+FileName)
	}
	return append(out, filepath.Join(dir, FileName))
}

// Load returns the matcher for a build of dockerfile with context dir. It
// is not an error that no ignore file exists; an ignore file that cannot
// be read or holds an invalid pattern is an InputError naming the file
// and line.
func Load(dir, dockerfile string) (*Matcher, error) {
	m := &Matcher{}
	for _, c := range Candidates(dir, dockerfile) {
		data, err := os.ReadFile(c)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, vocab.Inputf("reading %s: %w", c, err)
		}
		if err := m.set(c, data); err != nil {
			return nil, err
		}
		break
	}
	return m, nil
}

// Parse returns the matcher for ignore-file content data, as if read from
// path (used in messages).
func Parse(path string, data []byte) (*Matcher, error) {
	m := &Matcher{}
	if err := m.set(path, data); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Matcher) set(path string, data []byte) error {
	pats, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		return vocab.Inputf("reading %s: %w", path, err)
	}
	pm, err := patternmatcher.New(pats)
	if err != nil {
		return vocab.Inputf("%s: %w", path, badPattern(path, data, err))
	}
	m.Path, m.Patterns, m.m = path, pats, pm
	return nil
}

// badPattern finds the line of the first pattern patternmatcher refuses,
// so that the error names it.
func badPattern(path string, data []byte, err error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
	for line := 1; sc.Scan(); line++ {
		pats, rerr := ignorefile.ReadAll(strings.NewReader(sc.Text()))
		if rerr != nil || len(pats) == 0 {
			continue
		}
		if _, perr := patternmatcher.New(pats); perr != nil {
			return fmt.Errorf("line %d: invalid pattern %q: %w", line, strings.TrimSpace(sc.Text()), perr)
		}
	}
	return err
}

// PatternList returns the patterns; nil for a nil matcher or none.
func (m *Matcher) PatternList() []string {
	if m == nil {
		return nil
	}
	return m.Patterns
}

// Active reports whether an ignore file applies.
func (m *Matcher) Active() bool { return m != nil && m.m != nil }

// Excluded reports whether the context-relative, slash-separated path rel
// stays out of the context. skipDir is true when rel is a directory and
// nothing below it can come back in through a "!" exception, so a walk
// may skip it.
func (m *Matcher) Excluded(rel string, isDir bool) (excluded, skipDir bool) {
	if !m.Active() {
		return false, false
	}
	rel = filepath.ToSlash(filepath.Clean(rel))
	ok, err := m.m.MatchesOrParentMatches(rel)
	if err != nil || !ok {
		return false, false
	}
	return true, isDir && !m.m.Exclusions()
}

// Classic returns the matcher the classic builder's client (docker build
// without BuildKit) applies to its context tar: the patterns, followed by
// the exceptions "!.dockerignore" and "!"+dockerfileRel when the patterns
// would exclude them, so that the daemon finds both. dockerfileRel is the
// Dockerfile's context-relative, slash-separated path.
func (m *Matcher) Classic(dockerfileRel string) *Matcher {
	if !m.Active() {
		return m
	}
	pats := append([]string(nil), m.Patterns...)
	for _, keep := range []string{FileName, dockerfileRel} {
		if keep == "" {
			continue
		}
		if ex, err := patternmatcher.Matches(keep, pats); err == nil && ex {
			pats = append(pats, "!"+keep)
		}
	}
	pm, err := patternmatcher.New(pats)
	if err != nil {
		return m
	}
	return &Matcher{Path: m.Path, Patterns: pats, m: pm}
}

// Exclusions reports whether the patterns hold "!" exceptions.
func (m *Matcher) Exclusions() bool { return m.Active() && m.m.Exclusions() }

// InContext returns path relative to the context dir, slash-separated, if
// it lies inside dir, else "".
func InContext(dir, path string) string {
	if dir == "" || path == "" || path == "-" {
		return ""
	}
	absDir, err1 := filepath.Abs(dir)
	absPath, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(absDir, absPath)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel)
}
