package engine

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/stratatools/strata/internal/dockerfile"
)

// PickTouch chooses the context file a "source-only change" edits before
// the warm rebuild: a file the Dockerfile copies from the context, in a
// stage the build of target ("" for the last stage) uses. It prefers a
// file of the latest COPY or ADD that no earlier one copies (the
// application's source rather than its dependency manifest), and never
// picks the Dockerfile or .dockerignore when another file will do. files
// are the context's files as sent (see build.ContextFiles); dfRel is the
// Dockerfile's context-relative path ("" when outside). It returns "" when
// the Dockerfile copies nothing from the context.
func PickTouch(f *dockerfile.File, target string, files []string, dfRel string) string {
	copies := contextCopies(f, target)
	matched := make([][]string, len(copies))
	for i, c := range copies {
		matched[i] = matchSources(c, files)
	}
	special := func(p string) bool {
		return p == dfRel || p == ".dockerignore" || strings.HasSuffix(p, ".dockerignore")
	}
	for i := len(copies) - 1; i >= 0; i-- {
		earlier := map[string]bool{}
		for j := 0; j < i; j++ {
			for _, p := range matched[j] {
				earlier[p] = true
			}
		}
		for _, p := range matched[i] {
			if !earlier[p] && !special(p) {
				return p
			}
		}
	}
	for i := len(copies) - 1; i >= 0; i-- {
		for _, p := range matched[i] {
			if !special(p) {
				return p
			}
		}
	}
	for i := len(copies) - 1; i >= 0; i-- {
		if len(matched[i]) > 0 {
			return matched[i][0]
		}
	}
	return ""
}

// usedStages returns the stages a build of target needs, by index.
func usedStages(f *dockerfile.File, target string) map[int]bool {
	if len(f.Stages) == 0 {
		return nil
	}
	start := f.Stages[len(f.Stages)-1]
	if target != "" {
		for _, s := range f.Stages {
			if strings.EqualFold(s.Name, target) {
				start = s
			}
		}
	}
	used := map[int]bool{}
	queue := []*dockerfile.Stage{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == nil || used[s.Index] {
			continue
		}
		used[s.Index] = true
		queue = append(queue, s.BaseStage)
		queue = append(queue, s.CopiesFrom...)
	}
	return used
}

// contextCopies returns the source lists of the COPY and ADD instructions
// that read the build context, in the used stages, in source order.
func contextCopies(f *dockerfile.File, target string) [][]string {
	used := usedStages(f, target)
	var out [][]string
	for _, in := range f.Instructions {
		if in.Stage == nil || !used[in.Stage.Index] {
			continue
		}
		var srcs []string
		switch c := in.Typed.(type) {
		case *instructions.CopyCommand:
			if c.From != "" {
				continue
			}
			srcs = c.SourcePaths
		case *instructions.AddCommand:
			for _, s := range c.SourcePaths {
				if !strings.Contains(s, "://") && !strings.HasPrefix(s, "git@") {
					srcs = append(srcs, s)
				}
			}
		default:
			continue
		}
		if len(srcs) > 0 {
			out = append(out, srcs)
		}
	}
	return out
}

// matchSources returns the files a list of COPY sources sends, in files'
// order. A source with a variable in it matches nothing.
func matchSources(srcs []string, files []string) []string {
	var out []string
	for _, p := range files {
		for _, s := range srcs {
			if sourceMatches(s, p) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// sourceMatches reports whether the COPY source src copies the context
// file p (slash-separated, relative): src names p, a directory above it,
// or is a pattern matching either.
func sourceMatches(src, p string) bool {
	if strings.Contains(src, "$") {
		return false
	}
	s := path.Clean("/" + strings.TrimSpace(src))[1:]
	if s == "" {
		return true // ".", "./", "/": the whole context
	}
	for cand := p; cand != "." && cand != ""; cand = path.Dir(cand) {
		if cand == s {
			return true
		}
		if ok, err := path.Match(s, cand); err == nil && ok {
			return true
		}
		if !strings.Contains(cand, "/") {
			break
		}
	}
	return false
}

// touchFile writes a changed version of the file at p: its original
// content followed by a blank-looking tail that encodes mark (lines of one
// to eight spaces, one line per octal digit). Each run and each
// measurement uses its own mark, so the change is new to the builder's
// cache, while a source file stays valid: only whitespace is added.
func touchFile(p string, original []byte, mode os.FileMode, mark uint64) error {
	data := append(append([]byte(nil), original...), whitespaceMark(mark)...)
	if err := os.WriteFile(p, data, mode.Perm()); err != nil {
		return fmt.Errorf("changing %s for the warm rebuild: %w", p, err)
	}
	return nil
}

// whitespaceMark encodes v as a newline followed by lines of spaces.
func whitespaceMark(v uint64) string {
	var b strings.Builder
	b.WriteString("\n")
	for {
		b.WriteString(strings.Repeat(" ", int(v%8)+1))
		b.WriteString("\n")
		v /= 8
		if v == 0 {
			return b.String()
		}
	}
}
