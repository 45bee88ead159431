package estimate

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules of thumb for what compilers write, measured on amd64 builds.
const (
	// goRuntime is a Go program importing nothing heavy; goFmt one
	// using fmt and os; goNet one using net; goHTTP one serving HTTP
	// (Go 1.19 to 1.23, not stripped).
	goRuntime = 1_300_000
	goFmt     = 2_100_000
	goNet     = 4_200_000
	goTLS     = 5_200_000
	goHTTP    = 6_600_000
	goModule  = 900_000
	// goStripped is what -ldflags "-s -w" keeps.
	goStripped = 0.72
	// A C program linked dynamically; one linked statically with glibc
	// before its own code.
	cDynamic = 16_000
	cStatic  = 780_000
)

// goCommand estimates go build and go install (the binary and the build
// cache) and go mod download.
func (rc *runCtx) goCommand(c *shell.Command) {
	if len(c.Args) == 0 {
		return
	}
	sub := c.Args[0]
	switch {
	case sub == "build" || sub == "install":
	case sub == "mod" && len(c.Args) > 1 && c.Args[1] == "download":
		if rc.mounted(rc.goModCache()) {
			return
		}
		rc.r.out.unknownf("line %d: go mod download: the modules' sizes are not known", rc.in.StartLine)
		rc.step.add(Part{What: "Go modules (go mod download)", Size: Between(0, 20e6, 1e9), Confidence: Unknown, Source: "unknown: the estimate does not ask the module proxy"})
		return
	default:
		return
	}
	flags, operands := c.ParseArgs(&shell.Grammar{GoStyle: true, LongValue: []string{"o", "ldflags", "tags", "gcflags", "p", "mod", "modfile", "pkgdir", "asmflags", "buildmode", "compiler", "gccgoflags", "installsuffix", "overlay", "pgo", "toolexec", "C", "exec"}})
	out, ldflags := "", ""
	for _, f := range flags {
		switch strings.TrimLeft(f.Name, "-") {
		case "o":
			out = f.Value
		case "ldflags":
			ldflags = f.Value
		}
	}
	pkg := "."
	if len(operands) > 1 {
		if w := operands[1]; w.Literal {
			pkg = w.Value
		}
	}
	dir := pkg
	if !path.IsAbs(dir) {
		dir = path.Join(rc.wd, dir)
	}
	dir = strings.TrimSuffix(dir, "/...")
	size, why := rc.goBinary(dir)
	if strings.Contains(ldflags, "-s") && strings.Contains(ldflags, "-w") {
		size = int64(float64(size) * goStripped)
		why += ", stripped (-s -w)"
	}
	bin := Part{What: "the Go program (go " + sub + ")", Size: Between(size*6/10, size, size*16/10), Confidence: Guessed, Source: why}
	rc.step.add(bin)
	rc.r.out.unknownf("line %d: the size of the program go %s writes is guessed from what it imports (a range is given)", rc.in.StartLine, sub)
	switch {
	case out != "":
		if !path.IsAbs(out) {
			out = path.Join(rc.wd, out)
		}
		if strings.HasSuffix(out, "/") {
			rc.s.tree.add(&entry{path: out, size: bin.Size, conf: Guessed, source: bin.Source, artifact: &bin})
		} else {
			rc.s.tree.add(&entry{path: out, size: bin.Size, conf: Guessed, source: bin.Source})
		}
	case sub == "install":
		gobin := rc.env["GOBIN"]
		if gobin == "" {
			gobin = path.Join(rc.goPath(), "bin")
		}
		rc.s.tree.add(&entry{path: gobin, size: bin.Size, conf: Guessed, source: bin.Source, artifact: &bin})
	default:
		rc.s.tree.add(&entry{path: rc.wd, size: bin.Size, conf: Guessed, source: bin.Source, artifact: &bin})
	}
	cache := rc.env["GOCACHE"]
	if cache == "" {
		cache = path.Join(rc.home(), ".cache/go-build")
	}
	if rc.mounted(cache) || rc.sc.CleansGoCache() {
		return
	}
	v := rc.goVersion()
	if v > 0 && v <= 19 && rc.env["CGO_ENABLED"] != "0" && !strings.Contains(c.Text, "CGO_ENABLED=0") {
		rc.step.add(Part{What: "Go's build cache (" + cache + ")", Size: Between(0, size/10, 2*size), Confidence: Guessed,
			Source: fmt.Sprintf("Go 1.%d ships its standard library compiled: the cache holds the program's own packages", v)})
		return
	}
	rc.step.add(Part{What: "Go's build cache (" + cache + ")", Size: Between(size, 3*size, 10*size), Confidence: Guessed,
		Source: "the compiled packages, about 3 times the program; a cache mount keeps them out of the layer"})
}

func (rc *runCtx) home() string {
	if h := rc.env["HOME"]; h != "" {
		return h
	}
	return "/root"
}

func (rc *runCtx) goPath() string {
	if p := rc.env["GOPATH"]; p != "" {
		return strings.Split(p, ":")[0]
	}
	return path.Join(rc.home(), "go")
}

func (rc *runCtx) goModCache() string {
	if p := rc.env["GOMODCACHE"]; p != "" {
		return p
	}
	return path.Join(rc.goPath(), "pkg/mod")
}

var reGoPkg = lazyre.New(`^golang-1\.(\d+)-go$`)
var reGoTag = lazyre.New(`^1\.(\d+)`)

// goVersion is the minor version of the Go toolchain in the stage (from
// Debian's golang-1.NN-go package or a golang:1.NN base), 0 when unknown.
func (rc *runCtx) goVersion() int {
	if in := rc.s.deb.installed; in != nil {
		for _, n := range in.Names() {
			if m := reGoPkg.FindStringSubmatch(n); m != nil {
				v, _ := strconv.Atoi(m[1])
				return v
			}
		}
	}
	if rc.s.facts != nil {
		ref := rc.s.facts.Ref
		if i := strings.LastIndexByte(ref, ':'); i >= 0 && strings.Contains(ref[:i], "golang") {
			if m := reGoTag.FindStringSubmatch(ref[i+1:]); m != nil {
				v, _ := strconv.Atoi(m[1])
				return v
			}
		}
	}
	return 0
}

// goBinary guesses a Go program's size from the packages its sources in
// dir import and the modules its go.mod requires.
func (rc *runCtx) goBinary(dir string) (int64, string) {
	imports := map[string]bool{}
	sources := 0
	modules := 0
	for _, f := range rc.s.tree.contextFilesUnder(dir) {
		switch {
		case strings.HasSuffix(f.dstRel, ".go") && !strings.HasSuffix(f.dstRel, "_test.go"):
			b, err := rc.r.cix.read(f.ctxRel, 4<<20)
			if err != nil {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f.dstRel, b, parser.ImportsOnly)
			if err != nil {
				continue
			}
			sources++
			for _, im := range af.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				imports[p] = true
			}
		case path.Base(f.dstRel) == "go.mod":
			b, err := rc.r.cix.read(f.ctxRel, 4<<20)
			if err == nil {
				modules += countRequires(string(b))
			}
		}
	}
	size := int64(goRuntime)
	why := "a Go program's typical size"
	has := func(prefix string) bool {
		for p := range imports {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				return true
			}
		}
		return false
	}
	switch {
	case imports["net/http"]:
		size, why = goHTTP, "a Go program serving HTTP (it imports net/http)"
	case has("crypto/tls"):
		size, why = goTLS, "a Go program using TLS"
	case has("net"):
		size, why = goNet, "a Go program using the network"
	case len(imports) > 0:
		size, why = goFmt, "a Go program using the standard library"
	}
	if has("html/template") || has("text/template") {
		size += 700_000
	}
	if has("encoding/json") && !imports["net/http"] {
		size += 300_000
	}
	if modules > 0 {
		size += int64(modules) * goModule
		why += fmt.Sprintf(", and %s", plural(modules, "required module", "required modules"))
	}
	if sources == 0 {
		why += " (its sources were not found in the context)"
	}
	return size, why
}

func countRequires(gomod string) int {
	n := 0
	inBlock := false
	for _, l := range strings.Split(gomod, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "require ("):
			inBlock = true
		case inBlock && l == ")":
			inBlock = false
		case inBlock && l != "" && !strings.HasPrefix(l, "//") && !strings.Contains(l, "// indirect"):
			n++
		case strings.HasPrefix(l, "require ") && !strings.Contains(l, "// indirect"):
			n++
		}
	}
	return n
}

// cSources sums the C and C++ sources in dir, and tells whether its
// Makefile links statically.
func (rc *runCtx) cSources(dir string) (n int64, files int, staticMakefile bool) {
	for _, f := range rc.s.tree.contextFilesUnder(dir) {
		switch path.Ext(f.dstRel) {
		case ".c", ".cc", ".cpp", ".cxx", ".h", ".hpp", ".s", ".S":
			n += f.size
			files++
		}
		if b := path.Base(f.dstRel); b == "Makefile" || b == "makefile" || b == "GNUmakefile" {
			if data, err := rc.r.cix.read(f.ctxRel, 1<<20); err == nil && strings.Contains(string(data), "-static") {
				staticMakefile = true
			}
		}
	}
	return n, files, staticMakefile
}

func cBinary(src int64, static bool) Part {
	if static {
		return Part{What: "the program", Size: Between(600_000, cStatic+src, 3_000_000+20*src), Confidence: Guessed,
			Source: "a program linked statically with glibc is about 0.8 MB before its own code"}
	}
	return Part{What: "the program", Size: Between(4_000, cDynamic+src, 2_000_000+20*src), Confidence: Guessed,
		Source: "a dynamically linked program is about the size of its sources"}
}

// makeCommand estimates make (and cmake, ninja): a program built from
// the C sources of the directory, its objects beside it.
func (rc *runCtx) makeCommand(c *shell.Command) {
	if c.HasFlag("--version", "-v", "--help", "-h", "-n", "--dry-run", "--just-print") {
		return
	}
	dir := rc.wd
	if v, ok := c.FlagValue("-C", "--directory"); ok {
		if !path.IsAbs(v) {
			v = path.Join(rc.wd, v)
		}
		dir = v
	}
	src, files, staticMk := rc.cSources(dir)
	static := staticMk || strings.Contains(c.Text, "-static") || strings.Contains(rc.env["LDFLAGS"], "-static")
	if files == 0 {
		rc.guessBuild(c, c.Base(), "what "+c.Base()+" builds cannot be known; no C sources were found in "+dir)
		return
	}
	bin := cBinary(src, static)
	bin.What = "the program " + c.Base() + " builds"
	objects := src + int64(files)*4_000
	layer := bin
	layer.What = "what " + c.Base() + " builds (the program and its objects)"
	layer.Size = bin.Size.Add(Between(0, objects, 10*objects))
	rc.step.add(layer)
	rc.s.tree.add(&entry{path: dir, size: layer.Size, conf: Guessed, source: bin.Source, artifact: &bin})
	rc.r.out.unknownf("line %d: the size of what %s builds is guessed from its sources (a range is given)", rc.in.StartLine, c.Base())
}

// compilerCommand estimates a compiler run: its -o output.
func (rc *runCtx) compilerCommand(c *shell.Command) {
	out, _ := c.FlagValue("-o")
	static := c.HasFlag("-static") || strings.Contains(c.Text, "-static")
	src, _, _ := rc.cSources(rc.wd)
	if c.HasFlag("-c") {
		static = false
	}
	bin := cBinary(src, static)
	bin.What = "what " + c.Base() + " writes"
	rc.step.add(bin)
	rc.r.out.unknownf("line %d: the size of what %s writes is guessed from its sources (a range is given)", rc.in.StartLine, c.Base())
	if out == "" {
		out = "a.out"
	}
	if !path.IsAbs(out) {
		out = path.Join(rc.wd, out)
	}
	rc.s.tree.add(&entry{path: out, size: bin.Size, conf: Guessed, source: bin.Source})
}

// guessBuild accounts for a build whose output cannot be sized: about
// the size of the sources in the working directory, up to ten times
// that and 50 MB more.
func (rc *runCtx) guessBuild(c *shell.Command, what, why string) {
	key := strings.Fields(what)[0]
	if rc.builds[key] {
		return // one guess per tool and RUN: make, then make install
	}
	rc.builds[key] = true
	var src int64
	for _, f := range rc.s.tree.contextFilesUnder(rc.wd) {
		src += f.size
	}
	high := 10*src + 50e6
	if src == 0 {
		high = 300e6 // sources fetched at build time: nothing to scale by
	}
	p := Part{What: "what " + what + " writes", Size: Between(0, src/2, high), Confidence: Guessed,
		Source: "about half the size of the sources in " + rc.wd, Note: why}
	rc.step.add(p)
	rc.r.out.unknownf("line %d: what %s writes (a range is given)", rc.in.StartLine, what)
	rc.s.tree.add(&entry{path: rc.wd, size: p.Size, conf: Guessed, source: p.Source, artifact: &p})
}

// isScriptRun: npm run X, npm run-script X, yarn X (not add/install),
// pnpm run X; npm test and npm start do not build.
func isScriptRun(c *shell.Command) bool {
	if len(c.Args) == 0 {
		return false
	}
	switch c.Args[0] {
	case "run", "run-script", "build":
		return true
	}
	if c.Base() == "yarn" {
		switch c.Args[0] {
		case "add", "install", "remove", "cache", "global", "config", "init", "upgrade", "why", "info", "list", "audit":
			return false
		}
		return !strings.HasPrefix(c.Args[0], "-")
	}
	return false
}

// scriptRun estimates a package script (npm run build): it writes into
// the working directory what cannot be known.
func (rc *runCtx) scriptRun(c *shell.Command) {
	script := strings.Join(c.Args, " ")
	rc.guessBuild(c, c.Base()+" "+script, "a package script runs whatever package.json says")
}

// downloadCommand estimates curl and wget: the file's size from the
// server (HEAD) when reachable; what an archive piped to tar unpacks is
// about three times that; an installer piped to a shell is unknown.
func (rc *runCtx) downloadCommand(ctx context.Context, c *shell.Command) {
	var url string
	for _, w := range c.Operands() {
		v := w.Value
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "ftp://") {
			url = v
			if !w.Literal {
				url = ""
			}
			break
		}
	}
	into := ""
	if c.InPipeline() {
		for _, p := range rc.sc.Pipelines() {
			for _, o := range p.Commands {
				if o.PipeStage > c.PipeStage && o.Pipeline == c.Pipeline {
					switch b := o.Base(); {
					case b == "tar" || b == "bsdtar":
						into = "tar"
					case isShell(b) || b == "python" || b == "python3":
						into = "shell"
					}
					rc.handled[o] = true
				}
			}
			if into != "" {
				break
			}
		}
	}
	if out := rc.downloadOutput(c, url); out != "" && rc.sc.RemovesPath(out, c) {
		rc.step.add(Part{What: c.Base() + " download " + out, Size: Range{}, Confidence: Modelled, Source: "removed later in the same RUN"})
		return
	}
	if url == "" {
		rc.r.out.unknownf("line %d: %s downloads from an address given by a variable", rc.in.StartLine, c.Base())
		rc.step.add(Part{What: c.Base() + " download", Size: Between(0, 20e6, 1e9), Confidence: Unknown, Source: "unknown: the address holds a variable"})
		return
	}
	p := rc.r.download(ctx, url, c.Base()+" downloads it")
	switch into {
	case "tar":
		if p.Confidence != Unknown {
			n := p.Size.Expected
			p = Part{What: "files unpacked from " + fetch.Redact(url), Size: Between(n, 3*n, 6*n), Confidence: Guessed,
				Source: fmt.Sprintf("%s compressed (%s), unpacked about 3 times larger", vocab.FormatSize(n), p.Source)}
		}
	case "shell":
		rc.r.out.unknownf("line %d: an installer script from %s: what it installs is not known", rc.in.StartLine, fetch.Host(url))
		p = Part{What: "what the installer from " + fetch.Host(url) + " installs", Size: Between(0, 50e6, 1e9), Confidence: Unknown, Source: "unknown: a script downloaded and run"}
	}
	rc.step.add(p)
}

// downloadOutput is the file curl or wget writes (-o, -O, --output,
// --output-document), absolute; "" for standard output or unknown.
func (rc *runCtx) downloadOutput(c *shell.Command, url string) string {
	var out string
	switch c.Base() {
	case "wget":
		v, ok := c.FlagValue("-O", "--output-document")
		if !ok {
			if url == "" {
				return ""
			}
			v = path.Base(url)
		}
		out = v
	case "curl":
		if v, ok := c.FlagValue("-o", "--output"); ok {
			out = v
		} else if c.HasFlag("-O", "--remote-name") && url != "" {
			out = path.Base(url)
		}
	}
	if out == "" || out == "-" || strings.ContainsAny(out, "$`") {
		return ""
	}
	if !path.IsAbs(out) {
		out = path.Join(rc.wd, out)
	}
	return path.Clean(out)
}

// download sizes a file fetched at build time from its server's answer to
// a HEAD request.
func (r *run) download(ctx context.Context, url, why string) Part {
	what := fetch.Redact(url)
	if r.e.Web != nil && !r.e.Web.Offline {
		if n, err := r.e.Web.Size(ctx, url); err == nil && n > 0 {
			return Part{What: what, Size: Point(n), Confidence: Declared, Source: "the server's Content-Length"}
		} else if err != nil {
			r.out.unknownf("the size of %s (%s): %v", what, why, err)
			return Part{What: what, Size: Between(0, 20e6, 1e9), Confidence: Unknown, Source: "unknown: " + err.Error()}
		}
	}
	r.out.unknownf("the size of %s (%s): not asked (offline)", what, why)
	return Part{What: what, Size: Between(0, 20e6, 1e9), Confidence: Unknown, Source: "unknown: not asked (offline)"}
}
