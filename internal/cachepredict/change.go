package cachepredict

import (
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
)

// Change is how the build context differs from the previous build's.
type Change struct {
	// Dir is the context directory as it is now.
	Dir string
	// Paths are the context-relative, slash-separated paths whose
	// content or mode changed, or that were added or removed; a
	// directory stands for everything below it. A change of the
	// modification time alone is no change: BuildKit's content keys
	// leave it out.
	Paths []string
	// OldIgnore and NewIgnore are the ignore files of the previous build
	// and of the next (the same when it did not change; nil for none).
	OldIgnore, NewIgnore *dockerignore.Matcher
}

// ignoreChanged reports whether the old and new ignore files differ.
func (c *Change) ignoreChanged() bool {
	return strings.Join(c.OldIgnore.PatternList(), "\n") != strings.Join(c.NewIgnore.PatternList(), "\n")
}

// changedFiles returns the changed paths a step's read of the context
// takes, among those the build sends before or after the change, sorted.
// A file the ignore file now sends or keeps back counts as changed too.
func (c *Change) changedFiles(r buildplan.Read) []string {
	seen := map[string]bool{}
	for _, p := range c.Paths {
		p = strings.Trim(path.Clean("/"+filepath.ToSlash(p)), "/")
		if p == "" || !touches(r, p) || c.ignoredBoth(p) {
			continue
		}
		seen[p] = true
	}
	if c.ignoreChanged() {
		for _, p := range c.ignoreFlips(r) {
			seen[p] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// touches reports whether the changed path p (a file or a directory)
// holds or lies in what the read takes.
func touches(r buildplan.Read, p string) bool {
	if buildcontext.Takes(r, p) {
		return true
	}
	// A changed directory above the read path.
	fixed := r.Path
	if r.Wildcard {
		if i := strings.IndexAny(fixed, "*?["); i >= 0 {
			fixed = path.Dir(fixed[:i+1])
		}
	}
	return fixed != "." && strings.HasPrefix(fixed, p+"/")
}

// ignoredBoth reports whether the ignore files keep p out of the
// context both before and after the change (so it is no change to
// BuildKit).
func (c *Change) ignoredBoth(p string) bool {
	exNew, _ := c.NewIgnore.Excluded(p, false)
	exOld, _ := c.OldIgnore.Excluded(p, false)
	return exNew && exOld
}

// ignoreFlips lists the files under what the read takes that one of the
// old and new ignore files sends and the other does not.
func (c *Change) ignoreFlips(r buildplan.Read) []string {
	root := c.Dir
	fixed := ""
	if r.Path != "" {
		fixed = r.Path
		if r.Wildcard {
			if i := strings.IndexAny(fixed, "*?["); i >= 0 {
				fixed = strings.Trim(path.Dir(fixed[:i+1]), ".")
			}
		}
	}
	var out []string
	start := filepath.Join(root, filepath.FromSlash(fixed))
	_ = filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() || !buildcontext.Takes(r, rel) {
			return nil
		}
		exNew, _ := c.NewIgnore.Excluded(rel, false)
		exOld, _ := c.OldIgnore.Excluded(rel, false)
		if exNew != exOld {
			out = append(out, rel)
		}
		return nil
	})
	return out
}
