package intent

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Limits on what is read from the build context.
const (
	maxScriptSize = 256 << 10 // bytes read of one script
	maxWalk       = 4000      // entries looked at when searching by name
	maxWalkDepth  = 5
)

// context reads files of the build context.
type context struct {
	dir   string
	names map[string][]string // base name -> context-relative paths (lazy)
}

func newContext(dir string) *context { return &context{dir: dir} }

func (c *context) known() bool { return c != nil && c.dir != "" }

// isFile reports whether rel is a regular file of the context.
func (c *context) isFile(rel string) bool {
	if !c.known() || rel == "" || strings.HasPrefix(rel, "../") || rel == ".." {
		return false
	}
	fi, err := os.Stat(filepath.Join(c.dir, filepath.FromSlash(rel)))
	return err == nil && fi.Mode().IsRegular()
}

// exists reports whether rel exists in the context.
func (c *context) exists(rel string) bool {
	if !c.known() || strings.HasPrefix(rel, "../") {
		return false
	}
	_, err := os.Stat(filepath.Join(c.dir, filepath.FromSlash(rel)))
	return err == nil
}

// read returns the first maxScriptSize bytes of a context file.
func (c *context) read(rel string) (string, bool) {
	if !c.isFile(rel) {
		return "", false
	}
	f, err := os.Open(filepath.Join(c.dir, filepath.FromSlash(rel)))
	if err != nil {
		return "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxScriptSize))
	if err != nil {
		return "", false
	}
	return string(b), true
}

// executable reports whether a context file has an execute bit.
func (c *context) executable(rel string) bool {
	if !c.known() {
		return false
	}
	fi, err := os.Stat(filepath.Join(c.dir, filepath.FromSlash(rel)))
	return err == nil && fi.Mode()&0o111 != 0
}

// byName returns the context files with the given base name, searched to
// a bounded depth (.git and node_modules skipped).
func (c *context) byName(name string) []string {
	if !c.known() {
		return nil
	}
	if c.names == nil {
		c.names = map[string][]string{}
		n := 0
		root := c.dir
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, rerr := filepath.Rel(root, p)
			if rerr != nil || rel == "." {
				return nil
			}
			rel = filepath.ToSlash(rel)
			n++
			if n > maxWalk {
				return filepath.SkipAll
			}
			if d.IsDir() {
				if d.Name() == ".git" || d.Name() == "node_modules" || strings.Count(rel, "/") >= maxWalkDepth {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				c.names[d.Name()] = append(c.names[d.Name()], rel)
			}
			return nil
		})
		for k := range c.names {
			sort.Strings(c.names[k])
		}
	}
	return c.names[name]
}

// copySource is one COPY or ADD from the build context (or a heredoc) in
// the final chain.
type copySource struct {
	in   *dockerfile.Instruction
	srcs []string // context-relative, cleaned; may hold wildcards
	dest string   // absolute, cleaned; "" when unknown
	dir  bool     // dest is a directory
	// heredocs are COPY <<EOF bodies by name.
	heredocs map[string]string
}

// contextCopies returns the COPY and ADD instructions of the final chain
// that read the build context.
func (img *Image) contextCopies() []copySource {
	var out []copySource
	for _, in := range img.Instructions() {
		if in.Cmd != "copy" && in.Cmd != "add" || len(in.Args) < 2 {
			continue
		}
		if _, ok := in.Flag("from"); ok {
			continue
		}
		rawDest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
		cs := copySource{in: in, heredocs: map[string]string{}}
		for _, h := range in.Heredocs {
			cs.heredocs[h.Name] = h.Content
		}
		if !dockerfile.HasVariable(rawDest) {
			d := rawDest
			if !path.IsAbs(d) {
				if wd := in.Workdir(); wd != "" {
					d = path.Join(wd, d)
				} else {
					d = ""
				}
			}
			if d != "" {
				cs.dest = path.Clean(d)
			}
		}
		srcs := in.Args[:len(in.Args)-1]
		cs.dir = strings.HasSuffix(rawDest, "/") || len(srcs) > 1
		for _, s := range srcs {
			s = dockerfile.TrimQuotes(s)
			if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || dockerfile.HasVariable(s) {
				continue
			}
			if strings.HasPrefix(s, "<<") {
				cs.srcs = append(cs.srcs, s)
				continue
			}
			rel := strings.TrimPrefix(path.Clean("/"+s), "/")
			if rel == "" {
				rel = "."
			}
			cs.srcs = append(cs.srcs, rel)
		}
		out = append(out, cs)
	}
	return out
}

// contextFile finds the build-context file (or COPY heredoc) that ends up
// at imagePath in the final image. A path without a slash is looked up
// among the files copied into the image by base name. It returns the
// context-relative path (or "<<NAME" for a heredoc) and its text.
func (img *Image) contextFile(imagePath string) (string, string, bool) {
	if imagePath == "" {
		return "", "", false
	}
	copies := img.contextCopies()
	bare := !strings.Contains(imagePath, "/")
	if !bare && !path.IsAbs(imagePath) {
		// Relative to the WORKDIR of the final stage.
		if wd := img.workdir(); wd != "" {
			imagePath = path.Join(wd, imagePath)
		}
	}
	imagePath = path.Clean(imagePath)
	base := path.Base(imagePath)
	// Later copies overwrite earlier ones.
	for i := len(copies) - 1; i >= 0; i-- {
		cs := copies[i]
		for _, s := range cs.srcs {
			if name, ok := strings.CutPrefix(s, "<<"); ok {
				name = strings.Trim(strings.TrimPrefix(name, "-"), `"'`)
				if cs.dest == imagePath || bare && path.Base(cs.dest) == base {
					if body, ok := cs.heredocs[name]; ok {
						return "<<" + name, body, true
					}
				}
				continue
			}
			for _, cand := range candidates(cs, s, imagePath, bare) {
				if t, ok := img.ctx.read(cand); ok {
					return cand, t, true
				}
			}
		}
	}
	return "", "", false
}

// candidates returns the context paths that COPY source src of cs would
// put at imagePath.
func candidates(cs copySource, src, imagePath string, bare bool) []string {
	base := path.Base(imagePath)
	glob := strings.ContainsAny(src, "*?[")
	var out []string
	if bare {
		// Found on PATH or in the WORKDIR: match by base name.
		if cs.dest != "" && !cs.dir && path.Base(cs.dest) == base && !glob {
			return []string{src}
		}
		switch {
		case glob:
			if ok, _ := path.Match(path.Base(src), base); ok {
				out = append(out, path.Join(path.Dir(src), base))
			}
		case path.Base(src) == base:
			out = append(out, src)
		default:
			out = append(out, path.Join(src, base))
		}
		return out
	}
	if cs.dest == "" {
		return nil
	}
	if imagePath == cs.dest && !glob {
		out = append(out, src)
	}
	if rest, ok := strings.CutPrefix(imagePath, cs.dest+"/"); ok || cs.dest == "/" {
		if cs.dest == "/" {
			rest = strings.TrimPrefix(imagePath, "/")
		}
		if glob {
			if !strings.Contains(rest, "/") {
				if ok, _ := path.Match(path.Base(src), rest); ok {
					out = append(out, path.Join(path.Dir(src), rest))
				}
			}
			return out
		}
		if path.Base(src) == rest {
			out = append(out, src)
		}
		out = append(out, path.Join(src, rest))
	}
	return out
}

// workdir returns the final WORKDIR ("" when unknown).
func (img *Image) workdir() string {
	ins := img.Instructions()
	if len(ins) == 0 {
		return ""
	}
	last := ins[len(ins)-1]
	wd := last.Workdir()
	if last.Cmd == "workdir" && len(last.Args) > 0 && !dockerfile.HasVariable(last.Args[0]) {
		if path.IsAbs(last.Args[0]) {
			wd = path.Clean(last.Args[0])
		} else if wd != "" {
			wd = path.Join(wd, last.Args[0])
		}
	}
	return wd
}

// createdByRun reports whether a RUN of the final chain writes imagePath
// (a script written with echo/cat/printf redirection, or a file a RUN
// names), so that a missing context file is not "unknown".
func (img *Image) createdByRun(imagePath string) bool {
	base := path.Base(imagePath)
	for _, in := range img.Instructions() {
		if in.Cmd != "run" {
			continue
		}
		for _, sc := range in.Scripts() {
			if strings.Contains(sc.Text, imagePath) || strings.Contains(sc.Text, "/"+base) {
				return true
			}
		}
	}
	return false
}

// copiedFromStage reports whether a COPY --from (or an ADD of a URL) in
// the final chain puts a file at imagePath (or, for a bare name, a file
// with its base name).
func (img *Image) copiedFromStage(imagePath string) bool {
	base := path.Base(imagePath)
	bare := !strings.Contains(imagePath, "/")
	for _, in := range img.Instructions() {
		if in.Cmd != "copy" && in.Cmd != "add" || len(in.Args) < 2 {
			continue
		}
		if _, ok := in.Flag("from"); !ok && in.Cmd == "copy" {
			continue
		}
		dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
		srcs := in.Args[:len(in.Args)-1]
		dirDest := strings.HasSuffix(dest, "/") || len(srcs) > 1
		for _, s := range srcs {
			sb := path.Base(strings.SplitN(dockerfile.TrimQuotes(s), "?", 2)[0])
			match := sb == base
			if !match && strings.ContainsAny(sb, "*?[") {
				match, _ = path.Match(sb, base)
			}
			switch {
			case !dirDest && (path.Clean(dest) == imagePath || bare && path.Base(dest) == base):
				return true
			case dirDest && match && (bare || path.Join(dest, base) == imagePath):
				return true
			}
		}
	}
	return false
}

// byExt returns the context files whose name ends with ext (bounded as
// byName).
func (c *context) byExt(ext string) []string {
	c.byName("")
	var out []string
	for name, rels := range c.names {
		if strings.HasSuffix(name, ext) {
			out = append(out, rels...)
		}
	}
	sort.Strings(out)
	return out
}

// contextScripts returns the scripts the final image copies in from the
// build context: shell scripts and files with a #! line, up to a bound.
func (img *Image) contextScripts() []*Script {
	if !img.ctx.known() {
		return nil
	}
	var out []*Script
	seen := map[string]bool{}
	for _, s := range img.Program.Scripts {
		seen[s.Path] = true
		out = append(out, s)
	}
	addFile := func(rel, at string) {
		if seen[rel] || len(out) >= 200 {
			return
		}
		seen[rel] = true
		t, ok := img.ctx.read(rel)
		if !ok {
			return
		}
		interp := shebangInterpreter(t)
		switch {
		case isShellText(rel, t) && (interp != "" || strings.HasSuffix(rel, ".sh") || strings.HasSuffix(rel, ".bash") || img.ctx.executable(rel)):
			out = append(out, parseScript(rel, at, t))
		case interp != "":
			out = append(out, &Script{Path: rel, At: at, Text: t, Commands: map[string]bool{}})
		}
	}
	for _, cs := range img.contextCopies() {
		for _, src := range cs.srcs {
			if strings.HasPrefix(src, "<<") || strings.ContainsAny(src, "*?[") {
				if strings.ContainsAny(src, "*?[") {
					for _, m := range img.ctx.glob(src) {
						addFile(m, "")
					}
				}
				continue
			}
			if img.ctx.isFile(src) {
				addFile(src, cs.dest)
				continue
			}
			if !img.ctx.exists(src) {
				continue
			}
			for _, rel := range img.ctx.under(src) {
				addFile(rel, "")
			}
		}
	}
	return out
}

// glob returns the context files matching a COPY source pattern.
func (c *context) glob(pattern string) []string {
	m, err := filepath.Glob(filepath.Join(c.dir, filepath.FromSlash(pattern)))
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range m {
		if rel, err := filepath.Rel(c.dir, p); err == nil && c.isFile(filepath.ToSlash(rel)) {
			out = append(out, filepath.ToSlash(rel))
		}
	}
	return out
}

// under returns the files below a context directory (bounded as byName).
func (c *context) under(dir string) []string {
	c.byName("")
	prefix := strings.TrimSuffix(dir, "/") + "/"
	if dir == "." {
		prefix = ""
	}
	var out []string
	for _, rels := range c.names {
		for _, r := range rels {
			if strings.HasPrefix(r, prefix) {
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}

// resolveContext checks that the context holds the files the COPY and ADD
// instructions of every stage name; when it does not, it looks for a
// folder up to three levels above that does.
func (img *Image) resolveContext() {
	if !img.ctx.known() {
		return
	}
	var srcs []string
	for _, in := range img.in.File.Instructions {
		if in.Cmd != "copy" && in.Cmd != "add" || len(in.Args) < 2 || len(in.Heredocs) > 0 {
			continue
		}
		if _, ok := in.Flag("from"); ok {
			continue
		}
		for _, s := range in.Args[:len(in.Args)-1] {
			s = dockerfile.TrimQuotes(s)
			if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || dockerfile.HasVariable(s) || strings.HasPrefix(s, "<<") {
				continue
			}
			rel := strings.TrimPrefix(path.Clean("/"+s), "/")
			if rel != "" {
				srcs = append(srcs, rel)
			}
		}
	}
	holds := func(c *context) int {
		n := 0
		for _, s := range srcs {
			if strings.ContainsAny(s, "*?[") {
				if m, _ := filepath.Glob(filepath.Join(c.dir, filepath.FromSlash(s))); len(m) > 0 {
					n++
				}
				continue
			}
			if c.exists(s) {
				n++
			}
		}
		return n
	}
	best := holds(img.ctx)
	if best == len(srcs) {
		return
	}
	img.ContextConfident = false
	// The folder above that holds the most of them (all of them makes
	// it the context for sure) is where the files are read from.
	var bestCtx *context
	dir := img.ctx.dir
	for range 3 {
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
		c := newContext(dir)
		n := holds(c)
		if n == len(srcs) {
			img.ctx, img.ContextDir, img.ContextConfident = c, dir, true
			return
		}
		if n > best && 2*n >= len(srcs) {
			best, bestCtx = n, c
		}
	}
	if bestCtx != nil {
		img.ctx, img.ContextDir = bestCtx, bestCtx.dir
	}
}

// builtInStage reports whether imagePath is copied from a stage of this
// file that builds it (a RUN writes it with -o: go build -o, cc -o), so
// it is a binary even if its name ends in .sh.
func (img *Image) builtInStage(imagePath string) bool {
	f := img.in.File
	base := path.Base(imagePath)
	for _, in := range img.Instructions() {
		if in.Cmd != "copy" || len(in.Args) < 2 {
			continue
		}
		from, ok := in.Flag("from")
		if !ok {
			continue
		}
		st := f.StageByRef(from, len(f.Stages))
		if st == nil {
			continue
		}
		for _, s := range in.Args[:len(in.Args)-1] {
			s = dockerfile.TrimQuotes(s)
			if path.Base(s) != base {
				continue
			}
			for _, c := range st.Chain() {
				for _, r := range c.Instructions {
					t := strings.Join(r.Args, " ")
					if r.Cmd == "run" && (strings.Contains(t, "-o "+s) || strings.Contains(t, "-o="+s) || strings.Contains(t, "--output "+s)) {
						return true
					}
				}
			}
		}
	}
	return false
}

// SourceMatches reports whether a source file the final image copies in
// from the build context, with one of the extensions (".py", ".js"),
// matches re: the program's own code beyond its entry file. At most 300
// files are read.
func (img *Image) SourceMatches(re *regexp.Regexp, exts ...string) bool {
	var srcs []string
	for _, cs := range img.contextCopies() {
		srcs = append(srcs, cs.srcs...)
	}
	copied := func(rel string) bool {
		for _, s := range srcs {
			if s == "." || rel == s || strings.HasPrefix(rel, s+"/") {
				return true
			}
		}
		return false
	}
	n := 0
	for _, ext := range exts {
		for _, rel := range img.ctx.byExt(ext) {
			if !copied(rel) {
				continue
			}
			if n++; n > 300 {
				return false
			}
			if t, ok := img.ctx.read(rel); ok && re.MatchString(t) {
				return true
			}
		}
	}
	return false
}
