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
	var saves []sums
	covered := func(p string) bool {
		for _, x := range adds {
			if p == x.Pattern || strings.HasPrefix(p, x.Pattern+"/") {
				return true
			}
		}
		return false
	}
	add := func(p, why string, s sums) {
		if _, ok := ignorePattern(p); ok && !covered(p) {
			adds = append(adds, Pattern{Pattern: p, Why: why, Bytes: s.bytes})
			saves = append(saves, s)
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
			add(j.Path, j.Category, sums{bytes: j.Bytes, files: j.Files, wire: agg.wire, sentBytes: agg.sentBytes, sentWire: agg.sentWire, sentFiles: agg.sentFiles})
		}
	}
	for _, s := range rep.Secrets {
		if !s.Named {
			add(s.Path, JunkSecretCat, a.fileSum(s.Path))
		}
	}
	if a.whole {
		for _, own := range a.ownFiles {
			if own != "" && a.passed(own) && !a.named(own) {
				add(own, whyOwn, a.fileSum(own))
			}
		}
	} else if !a.usesCtx {
		if rep.Passed.Files > 0 {
			adds = append(adds, Pattern{Pattern: "*", Why: "no instruction reads the build context", Bytes: rep.Passed.Bytes})
			saves = append(saves, sums{bytes: rep.Passed.Bytes, files: rep.Passed.Files, wire: rep.Passed.Transfer})
		}
	} else {
		n := 0
		for _, u := range a.unusedRoots() {
			if n == maxUnusedPatterns {
				break
			}
			if !covered(u.Path) {
				s := a.fileSum(u.Path)
				if ag := a.dirs[u.Path]; ag != nil {
					s = sums{bytes: ag.bytes, files: ag.files, wire: ag.wire, sentBytes: ag.sentBytes, sentWire: ag.sentWire, sentFiles: ag.sentFiles}
				}
				add(u.Path, whyUnused, s)
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
		lost, err := a.check(ctx, nm)
		if err != nil {
			return err
		}
		if len(lost) == 0 {
			s := &Suggestion{Path: target, Added: adds, Content: content,
				Diff: diff.Unified(labelOf(target, existing == "" && rep.IgnoreFile == ""), target+" (suggested)", existing, content, "")}
			for _, x := range saves {
				s.Saves.Bytes += x.bytes
				s.Saves.Files += x.files
				s.Saves.Transfer += x.wire
				s.SavesSent.Bytes += x.sentBytes
				s.SavesSent.Files += x.sentFiles
				s.SavesSent.Transfer += x.sentWire
			}
			rep.Suggestion = s
			return nil
		}
		var keep []Pattern
		var keepSums []sums
		for i, p := range adds {
			if !overlapsAny(p.Pattern, lost) {
				keep = append(keep, p)
				keepSums = append(keepSums, saves[i])
			}
		}
		if len(keep) == 0 {
			return nil
		}
		adds, saves = keep, keepSums
	}
	return nil
}

// sums are what one suggested pattern leaves out.
type sums struct {
	bytes, wire, sentBytes, sentWire int64
	files, sentFiles                 int
}

// fileSum returns the sums of one recorded file.
func (a *analysis) fileSum(rel string) sums {
	f := a.fileSums[rel]
	if f == nil {
		return sums{}
	}
	s := sums{bytes: f.bytes, files: 1, wire: f.wire}
	if f.sent {
		s.sentBytes, s.sentFiles, s.sentWire = f.bytes, 1, f.wire
	}
	return s
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

// check walks what the instructions name, with the suggested matcher,
// and returns the named reads that would get fewer files or bytes (reads
// of the whole context shrink on purpose).
func (a *analysis) check(ctx context.Context, nm *dockerignore.Matcher) ([]string, error) {
	var follow []string
	for _, r := range a.reads {
		if r.Path != "" {
			follow = append(follow, r.Path)
		}
	}
	if len(follow) == 0 {
		return nil, nil
	}
	files := make([]int, len(a.reads))
	bytes := make([]int64, len(a.reads))
	_, err := transfer(ctx, newDiskFS(a.dir), nm.Patterns, follow, func(e *sent) error {
		if e.Mode.IsDir() {
			return nil
		}
		for i, r := range a.reads {
			if r.Path != "" && r.takes(e.Path) {
				files[i]++
				if !e.Hardlink {
					bytes[i] += e.Size
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, walkError(ctx, a.dir, err)
	}
	var lost []string
	for i, r := range a.reads {
		if r.Path != "" && (files[i] != r.use.Files || bytes[i] != r.use.Bytes) {
			lost = append(lost, r.Path)
		}
	}
	return lost, nil
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
	for p, f := range a.fileSums {
		if !nestedPath(p) && !f.taken {
			out = append(out, Usage{Path: p, Bytes: f.bytes, Files: 1})
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
