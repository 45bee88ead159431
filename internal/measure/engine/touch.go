package engine

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/stratatools/strata/internal/dockerfile"
)

// PickTouch chooses the context file a "source-only change" edits before
// the warm rebuild: the application's main source file, among the files
// the Dockerfile copies from the context in the stages the build of
// target ("" for the last stage) uses (see TouchCandidates). files are
// the context's files as sent (see build.ContextFiles; an ignored file is
// not among them); dfRel is the Dockerfile's context-relative path (""
// when outside). It returns "" when the Dockerfile copies nothing from
// the context.
func PickTouch(f *dockerfile.File, target string, files []string, dfRel string) string {
	c := TouchCandidates(f, target, files, dfRel)
	if len(c) == 0 {
		return ""
	}
	return c[0]
}

// TouchCandidates ranks the files a warm rebuild may change, best
// first: only files a COPY or ADD of the build sends, never version
// control data (.git, .hg, .svn), and the Dockerfile and the ignore file
// only when nothing else is copied. The ranking: the file the image's
// command runs (python app.py, node server.js); then files a build step
// names (markdown site/*.md); then source code (by extension; main,
// app, server and index first); then what the latest COPY alone sends
// (the application rather than its dependency manifests); then the rest,
// manifests and documentation last.
func TouchCandidates(f *dockerfile.File, target string, files []string, dfRel string) []string {
	copies := contextCopies(f, target)
	var sent []string
	latest := map[string]bool{}
	seen := map[string]bool{}
	for i, c := range copies {
		for _, p := range matchSources(c.srcs, files) {
			if vcsPath(p) {
				continue
			}
			if !seen[p] {
				seen[p] = true
				sent = append(sent, p)
				if i == len(copies)-1 {
					latest[p] = true
				}
			} else if i == len(copies)-1 {
				latest[p] = false
			}
		}
	}
	special := func(p string) bool {
		return p == dfRel || p == ".dockerignore" || strings.HasSuffix(p, ".dockerignore") || strings.HasSuffix(path.Base(p), "Dockerfile") || strings.HasPrefix(path.Base(p), "Dockerfile.")
	}
	have := map[string]bool{}
	for _, p := range files {
		have[p] = true
	}
	entry := entryFiles(f, target, copies, have)
	named := buildNamed(f, target, copies)
	score := func(p string) int {
		switch {
		case special(p):
			return 0
		case entry[p]:
			return 100
		case named(p) && !isManifest(p):
			return 80 + nameBonus(p)
		case isSource(p):
			return 60 + nameBonus(p)
		case latest[p] && !isManifest(p) && !isDoc(p):
			return 40
		case isManifest(p) || isDoc(p):
			return 10
		}
		return 20
	}
	sort.SliceStable(sent, func(i, j int) bool {
		si, sj := score(sent[i]), score(sent[j])
		if si != sj {
			return si > sj
		}
		if di, dj := strings.Count(sent[i], "/"), strings.Count(sent[j], "/"); di != dj {
			return di < dj
		}
		return sent[i] < sent[j]
	})
	return sent
}

// vcsPath reports whether p lies in version-control data.
func vcsPath(p string) bool {
	for _, part := range strings.Split(p, "/") {
		switch part {
		case ".git", ".hg", ".svn", ".bzr":
			return true
		}
	}
	return false
}

// sourceExts are the extensions of source files an application's change
// touches.
var sourceExts = map[string]bool{
	".py": true, ".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".go": true, ".c": true, ".cc": true, ".cpp": true,
	".h": true, ".java": true, ".kt": true, ".rb": true, ".php": true, ".rs": true, ".cs": true, ".fs": true, ".scala": true,
	".ex": true, ".exs": true, ".swift": true, ".lua": true, ".pl": true, ".sh": true, ".html": true, ".css": true, ".md": true,
}

func isSource(p string) bool {
	return sourceExts[strings.ToLower(path.Ext(p))] && !isDoc(p)
}

// isManifest reports whether p is a dependency manifest or lock file.
func isManifest(p string) bool {
	switch path.Base(p) {
	case "requirements.txt", "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
		"go.mod", "go.sum", "Gemfile", "Gemfile.lock", "composer.json", "composer.lock", "Cargo.toml", "Cargo.lock",
		"pom.xml", "build.gradle", "settings.gradle", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock", "setup.py", "setup.cfg":
		return true
	}
	return false
}

// isDoc reports whether p is documentation or project metadata at the
// top of the context (README, LICENSE, CHANGELOG).
func isDoc(p string) bool {
	b := strings.ToUpper(path.Base(p))
	for _, d := range []string{"README", "LICENSE", "LICENCE", "CHANGELOG", "CHANGES", "CONTRIBUTING", "NOTICE", "AUTHORS", "COPYING"} {
		if strings.HasPrefix(b, d) {
			return true
		}
	}
	return false
}

// nameBonus prefers the files an application starts from.
func nameBonus(p string) int {
	switch strings.TrimSuffix(path.Base(p), path.Ext(p)) {
	case "main", "app", "server", "index", "__main__", "manage", "wsgi":
		return 5
	}
	return 0
}

// entryFiles returns the context files the image's command runs: the
// arguments of CMD and ENTRYPOINT that name a file the COPYs send (a
// script an interpreter runs), resolved against the WORKDIR.
func entryFiles(f *dockerfile.File, target string, copies []contextCopy, files map[string]bool) map[string]bool {
	out := map[string]bool{}
	st := targetStage(f, target)
	if st == nil {
		return out
	}
	for _, in := range st.Instructions {
		if in.Cmd != "cmd" && in.Cmd != "entrypoint" {
			continue
		}
		var words []string
		for _, a := range in.Args {
			words = append(words, strings.Fields(a)...)
		}
		for _, w := range words {
			w = dockerfile.TrimQuotes(w)
			if w == "" || strings.HasPrefix(w, "-") || strings.ContainsAny(w, "$*?") {
				continue
			}
			abs := dockerfile.ResolvePath(in.Workdir(), w)
			for _, c := range copies {
				if rel := c.contextPath(abs, files); rel != "" {
					out[rel] = true
				}
			}
		}
	}
	return out
}

// buildNamed returns a test for context files a RUN of the used stages
// names, by path or pattern, relative to its WORKDIR or absolute (what
// `markdown site/*.md` reads).
func buildNamed(f *dockerfile.File, target string, copies []contextCopy) func(string) bool {
	used := usedStages(f, target)
	var pats []string
	for _, in := range f.Instructions {
		if in.Cmd != "run" || in.Stage == nil || !used[in.Stage.Index] {
			continue
		}
		for _, a := range in.Args {
			for _, w := range strings.FieldsFunc(a, func(r rune) bool {
				return r == ' ' || r == '\t' || r == '"' || r == '\'' || r == ';' || r == '(' || r == ')'
			}) {
				if !strings.Contains(w, "/") && !strings.Contains(w, ".") || strings.Contains(w, "$") || strings.HasPrefix(w, "-") {
					continue
				}
				pats = append(pats, dockerfile.ResolvePath(in.Workdir(), w))
			}
		}
	}
	return func(rel string) bool {
		for _, c := range copies {
			abs := c.imagePath(rel)
			if abs == "" {
				continue
			}
			for _, pat := range pats {
				if ok, err := path.Match(pat, abs); err == nil && ok || pat == abs {
					return true
				}
			}
		}
		return false
	}
}

// targetStage returns the stage a build of target produces.
func targetStage(f *dockerfile.File, target string) *dockerfile.Stage {
	if len(f.Stages) == 0 {
		return nil
	}
	st := f.Stages[len(f.Stages)-1]
	for _, s := range f.Stages {
		if target != "" && strings.EqualFold(s.Name, target) {
			st = s
		}
	}
	return st
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

// contextCopy is a COPY or ADD that reads the build context: its
// sources and its absolute destination.
type contextCopy struct {
	srcs []string
	dest string // absolute, "" when unknown
	dir  bool   // the destination is a directory (several sources, a trailing slash)
}

// contextCopies returns the COPY and ADD instructions that read the build
// context, in the used stages, in source order.
func contextCopies(f *dockerfile.File, target string) []contextCopy {
	used := usedStages(f, target)
	var out []contextCopy
	for _, in := range f.Instructions {
		if in.Stage == nil || !used[in.Stage.Index] {
			continue
		}
		var srcs []string
		var dest string
		switch c := in.Typed.(type) {
		case *instructions.CopyCommand:
			if c.From != "" {
				continue
			}
			srcs, dest = c.SourcePaths, c.DestPath
		case *instructions.AddCommand:
			for _, s := range c.SourcePaths {
				if !strings.Contains(s, "://") && !strings.HasPrefix(s, "git@") {
					srcs = append(srcs, s)
				}
			}
			dest = c.DestPath
		default:
			continue
		}
		if len(srcs) > 0 {
			cc := contextCopy{srcs: srcs, dir: len(srcs) > 1 || strings.HasSuffix(dest, "/") || dest == "." || dest == "./"}
			if !strings.Contains(dest, "$") {
				cc.dest = dockerfile.ResolvePath(in.Workdir(), dest)
			}
			out = append(out, cc)
		}
	}
	return out
}

// imagePath returns where the copy puts the context file rel in the
// image ("" when it does not copy it, or cannot tell).
func (c contextCopy) imagePath(rel string) string {
	if c.dest == "" {
		return ""
	}
	for _, src := range c.srcs {
		if strings.Contains(src, "$") {
			continue
		}
		s := path.Clean("/" + strings.TrimSpace(src))[1:]
		switch {
		case s == "":
			return path.Join(c.dest, rel)
		case s == rel:
			if c.dir {
				return path.Join(c.dest, path.Base(rel))
			}
			return c.dest
		case strings.HasPrefix(rel, s+"/"):
			return path.Join(c.dest, strings.TrimPrefix(rel, s+"/"))
		}
		if ok, err := path.Match(s, rel); err == nil && ok {
			return path.Join(c.dest, path.Base(rel))
		}
	}
	return ""
}

// contextPath returns the context file the copy puts at abs in the
// image ("" for none it can tell): the file under a directory source, or
// a file source itself, as long as the context has it (files).
func (c contextCopy) contextPath(abs string, files map[string]bool) string {
	if c.dest == "" {
		return ""
	}
	under, inDest := strings.CutPrefix(abs, strings.TrimSuffix(c.dest, "/")+"/")
	for _, src := range c.srcs {
		if strings.ContainsAny(src, "$*?[") {
			continue
		}
		s := path.Clean("/" + strings.TrimSpace(src))[1:]
		var cands []string
		switch {
		case s == "":
			if inDest {
				cands = append(cands, under)
			}
		default:
			if inDest {
				cands = append(cands, path.Join(s, under)) // a directory source
			}
			if c.dir && abs == path.Join(c.dest, path.Base(s)) || !c.dir && abs == c.dest {
				cands = append(cands, s) // a file source
			}
		}
		for _, x := range cands {
			if files[x] {
				return x
			}
		}
	}
	return ""
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
