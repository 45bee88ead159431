package buildcontext

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/diff"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/fix/plan"
)

// maxUnusedPatterns bounds the patterns the suggestion writes for paths
// no instruction reads (the largest first).
const maxUnusedPatterns = 30

// Reasons the suggestion gives.
const (
	whyUnused = "no instruction reads it"
	whyOwn    = "the build's own files (BuildKit reads them separately)"
)

// suggest works out the ignore file that leaves out the junk, secrets
// and unused paths, and checks by a walk that every path an instruction
// names is still sent.
func (a *analysis) suggest(ctx context.Context, m *dockerignore.Matcher) error {
	rep := a.rep
	var adds []Pattern
	covered := func(p string) bool {
		for _, x := range adds {
			if p == x.Pattern || strings.HasPrefix(p, x.Pattern+"/") {
				return true
			}
		}
		return false
	}
	add := func(p, why string, bytes int64) {
		if _, ok := ignorePattern(p); ok && !covered(p) {
			adds = append(adds, Pattern{Pattern: p, Why: why, Bytes: bytes})
		}
	}
	for i := range rep.Junk {
		j := &rep.Junk[i]
		agg := a.junk[j.Path]
		switch {
		case agg.named:
			j.Kept = "an instruction names it: " + takerList(j.TakenBy)
		case j.Category == JunkOutput && len(j.TakenBy) > 0:
			j.Kept = "build output that " + takerList(j.TakenBy) + " copies into the image: leave it out once the image builds it itself"
		default:
			add(j.Path, j.Category, j.Bytes)
		}
	}
	for _, s := range rep.Secrets {
		if !s.Named {
			add(s.Path, JunkSecretCat, 0)
		}
	}
	if a.whole {
		for _, own := range []string{dockerignore.InContext(a.dir, rep.Dockerfile), dockerignore.InContext(a.dir, rep.IgnoreFile)} {
			if own != "" && a.passed(own) && !a.named(own) {
				add(own, whyOwn, 0)
			}
		}
	} else if !a.usesCtx {
		if rep.Passed.Files > 0 {
			adds = append(adds, Pattern{Pattern: "*", Why: "no instruction reads the build context", Bytes: rep.Passed.Bytes})
		}
	} else {
		n := 0
		for _, u := range a.unusedRoots() {
			if n == maxUnusedPatterns {
				break
			}
			if !covered(u.Path) {
				add(u.Path, whyUnused, u.Bytes)
				n++
			}
		}
	}
	if len(adds) == 0 {
		return nil
	}
	existing := ""
	target := rep.IgnoreFile
	if target == "" {
		target = filepath.Join(a.dir, dockerignore.FileName)
	} else {
		data, err := os.ReadFile(target)
		if err != nil {
			return fmt.Errorf("reading %s: %w", target, err)
		}
		existing = string(data)
	}
	// A pattern the check finds to drop a named path goes, and the check
	// runs again.
	for range 3 {
		content := compose(existing, adds)
		nm, err := dockerignore.Parse(target, []byte(content))
		if err != nil {
			return fmt.Errorf("the suggested ignore file: %w", err)
		}
		lost, saves, savesSent, err := a.check(ctx, nm)
		if err != nil {
			return err
		}
		if len(lost) == 0 {
			rep.Suggestion = &Suggestion{
				Path: target, Added: adds, Content: content, Saves: saves, SavesSent: savesSent,
				Diff: diff.Unified(labelOf(target, existing == "" && rep.IgnoreFile == ""), target+" (suggested)", existing, content, ""),
			}
			return nil
		}
		var keep []Pattern
		for _, p := range adds {
			if !overlapsAny(p.Pattern, lost) {
				keep = append(keep, p)
			}
		}
		if len(keep) == 0 {
			return nil
		}
		adds = keep
	}
	return nil
}

func labelOf(target string, created bool) string {
	if created {
		return "/dev/null"
	}
	return target
}

// compose appends the patterns to the current ignore file's text.
func compose(existing string, adds []Pattern) string {
	lines := make([]plan.IgnoreLine, len(adds))
	for i, p := range adds {
		pat := p.Pattern
		if pat != "*" {
			pat, _ = ignorePattern(pat)
		}
		lines[i] = plan.IgnoreLine{Pattern: pat, Why: p.Why}
	}
	header := "Added by strata context: what no instruction needs from the build context."
	if existing == "" {
		return plan.WriteIgnore(header, lines)
	}
	if !strings.HasSuffix(existing, "\n") {
		existing += "\n"
	}
	return existing + "\n" + plan.WriteIgnore(header, lines)
}

// ignorePattern writes a context path as an ignore pattern that matches
// just it (and what is below it): pattern characters are escaped, and a
// leading "!" or "#". ok is false for a path no pattern line can name
// (blanks at either end, a line break, "." or ".." elements); the check
// is made with the pattern library itself.
func ignorePattern(p string) (string, bool) {
	if p == "" || strings.TrimSpace(p) != p || strings.ContainsAny(p, "\n\r") || path.Clean(p) != p || strings.HasPrefix(p, "../") || p == ".." || p == "." {
		return "", false
	}
	var b strings.Builder
	for i, r := range p {
		switch {
		case strings.ContainsRune(`*?[]\`, r), i == 0 && (r == '!' || r == '#'):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	m, err := dockerignore.Parse("", []byte(b.String()+"\n"))
	if err != nil {
		return "", false
	}
	if ex, _ := m.Excluded(p, false); !ex {
		return "", false
	}
	if ex, _ := m.Excluded(p+"x", false); ex {
		return "", false
	}
	return b.String(), true
}

// check walks the context with the suggested matcher and returns the
// named reads that would get fewer files or bytes, and what the
// suggestion saves of Passed and of Sent.
func (a *analysis) check(ctx context.Context, nm *dockerignore.Matcher) (lost []string, saves, savesSent Totals, err error) {
	files := make([]int, len(a.reads))
	bytes := make([]int64, len(a.reads))
	var passed, sentT Totals
	dfs := newDiskFS(a.dir)
	passed.Transfer, err = transfer(ctx, dfs, nm.Patterns, nil, func(e *sent) error {
		countEntry(&passed, e)
		if e.Mode.IsDir() {
			return nil
		}
		taken := false
		for i, r := range a.reads {
			if r.takes(e.Path) {
				taken = true
				files[i]++
				if !e.Hardlink {
					bytes[i] += e.Size
				}
			}
		}
		if a.usesCtx && (a.follow == nil || taken) {
			countEntry(&sentT, e)
		}
		return nil
	})
	if err != nil {
		return nil, saves, savesSent, walkError(ctx, a.dir, err)
	}
	for i, r := range a.reads {
		if r.Path != "" && (files[i] != r.use.Files || bytes[i] != r.use.Bytes) {
			lost = append(lost, r.Path)
		}
	}
	saves = Totals{Files: a.rep.Passed.Files - passed.Files, Dirs: a.rep.Passed.Dirs - passed.Dirs,
		Bytes: a.rep.Passed.Bytes - passed.Bytes, Transfer: a.rep.Passed.Transfer - passed.Transfer}
	if a.usesCtx && a.follow == nil {
		savesSent = saves
	} else if a.usesCtx {
		savesSent = Totals{Files: a.rep.Sent.Files - sentT.Files, Bytes: a.rep.Sent.Bytes - sentT.Bytes}
	}
	return lost, saves, savesSent, nil
}

// overlapsAny reports whether pattern p (a context path) holds or lies
// in one of the read paths (patterns compared by their fixed prefix).
func overlapsAny(p string, reads []string) bool {
	for _, r := range reads {
		fixed := r
		if i := strings.IndexAny(r, "*?["); i >= 0 {
			fixed = path.Dir(r[:i+1])
		}
		if fixed == "." || fixed == "" || p == fixed || strings.HasPrefix(p, fixed+"/") || strings.HasPrefix(fixed, p+"/") {
			return true
		}
	}
	return false
}

// unusedRoots are the largest paths no instruction reads: directories
// of which no file is read (under a directory of which some are), and
// top-level files.
func (a *analysis) unusedRoots() []Usage {
	out := append([]Usage{}, a.rep.UnusedPaths...)
	ents, err := os.ReadDir(a.dir)
	if err == nil {
		for _, e := range ents {
			if e.IsDir() || !a.passed(e.Name()) {
				continue
			}
			taken := false
			for _, r := range a.reads {
				taken = taken || r.takes(e.Name())
			}
			if !taken {
				var size int64
				if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
					size = fi.Size()
				}
				out = append(out, Usage{Path: e.Name(), Bytes: size, Files: 1})
			}
		}
	}
	sortUsage(out)
	return out
}

// passed reports whether the context path rel passes the ignore file.
func (a *analysis) passed(rel string) bool {
	if rel == "" {
		return false
	}
	if ex, _ := a.matcher.Excluded(rel, false); ex {
		return false
	}
	_, err := os.Lstat(filepath.Join(a.dir, filepath.FromSlash(rel)))
	return !errors.Is(err, fs.ErrNotExist)
}

// named reports whether an instruction reads rel by name.
func (a *analysis) named(rel string) bool {
	for _, r := range a.reads {
		if r.Path != "" && r.takes(rel) {
			return true
		}
	}
	return false
}

// takerList writes instructions as "COPY . /app (line 6)".
func takerList(ts []Taker) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s (line %d)", t.Instruction, t.Line))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
