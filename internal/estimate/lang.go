package estimate

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/estimate/npm"
	"github.com/stratatools/strata/internal/estimate/pypi"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Models of the language package managers' leftovers.
const (
	// pipPycRatio: the .pyc files pip writes for the .py files it
	// installs.
	pipPycRatio = 0.9
	// npmTarballRatio: a package tarball against its unpacked files,
	// when the registry did not tell the tarball's size.
	npmTarballRatio = 0.35
)

// contextFile finds the context file the stage holds at p (absolute).
func (rc *runCtx) contextFile(p string) (copied, bool) {
	for _, f := range rc.s.tree.contextFilesUnder(path.Dir(p)) {
		if f.dstRel == p {
			return f, true
		}
	}
	return copied{}, false
}

var rePyVer = lazyre.New(`^python3\.(\d+)$`)
var rePyTag = lazyre.New(`^3\.(\d+)`)

// pythonTag is the stage's interpreter's wheel tag ("cp311"), "" when
// unknown.
func (rc *runCtx) pythonTag() string {
	if in := rc.s.deb.installed; in != nil {
		for _, n := range in.Names() {
			if m := rePyVer.FindStringSubmatch(n); m != nil {
				return "cp3" + m[1]
			}
		}
	}
	if rc.s.facts != nil {
		ref := rc.s.facts.Ref
		if i := strings.LastIndexByte(ref, ':'); i >= 0 && strings.Contains(ref[:i], "python") {
			if m := rePyTag.FindStringSubmatch(ref[i+1:]); m != nil {
				return "cp3" + m[1]
			}
		}
	}
	return ""
}

// pip estimates pip install: the wheels from the index, unpacked, their
// byte-compiled files, and pip's cache; a local project from its
// sources. What it installs into a virtualenv (/opt/venv/bin/pip) is
// recorded there, for a COPY --from of the virtualenv.
func (rc *runCtx) pip(ctx context.Context) error {
	var reqs []pypi.Requirement
	var unknown, locals []string
	noCache, noIndex := true, false
	installs := false
	prefix := ""
	for _, op := range rc.sc.PackageOps() {
		if op.Manager != shell.Pip {
			continue
		}
		rc.handled[op.Command] = true
		if op.Action != shell.ActionInstall {
			continue
		}
		installs = true
		if !op.NoCache() {
			noCache = false
		}
		if op.HasFlag("--no-index") {
			noIndex = true
		}
		if p := venvOf(op.Program); p != "" {
			prefix = p
		}
		for _, p := range op.Packages {
			switch {
			case p.Literal && p.Local:
				locals = append(locals, p.Raw)
			case !p.Literal || p.URL:
				unknown = append(unknown, p.Raw)
			default:
				if r, ok := pypi.ParseRequirement(p.Raw); ok {
					reqs = append(reqs, r)
				} else {
					unknown = append(unknown, p.Raw)
				}
			}
		}
		for _, f := range op.FlagValues("-r", "--requirement") {
			p := f
			if !path.IsAbs(p) {
				p = path.Join(rc.wd, p)
			}
			cf, ok := rc.contextFile(p)
			if !ok {
				unknown = append(unknown, "-r "+f)
				continue
			}
			b, err := rc.r.cix.read(cf.ctxRel, 16<<20)
			if err != nil {
				unknown = append(unknown, "-r "+f)
				continue
			}
			rs, local, notes := pypi.ParseRequirementsFile(b)
			reqs = append(reqs, rs...)
			locals = append(locals, local...)
			for _, n := range notes {
				rc.r.out.notef("line %d: %s: %s", rc.in.StartLine, f, n)
			}
		}
	}
	if !installs {
		return nil
	}
	var installed Range
	conf := Confidence("")
	if len(unknown) > 0 {
		rc.r.out.unknownf("line %d: pip install %s: URLs and variables are not sized", rc.in.StartLine, clip(uniq(unknown), 4))
		p := Part{What: "pip install " + clip(uniq(unknown), 4), Size: Between(0, int64(len(unknown))*10e6, int64(len(unknown))*500e6), Confidence: Unknown, Source: "unknown: a URL or a name given by a variable"}
		rc.step.add(p)
		installed, conf = installed.Add(p.Size), Weaker(conf, p.Confidence)
	}
	for _, l := range uniq(locals) {
		p := rc.localProject(l)
		rc.step.add(p)
		installed, conf = installed.Add(p.Size), Weaker(conf, p.Confidence)
	}
	defer func() {
		if prefix != "" && installed != (Range{}) {
			rc.s.tree.add(&entry{path: prefix, size: installed, conf: conf, source: "pip install into " + prefix})
		}
	}()
	if len(reqs) == 0 {
		return nil
	}
	if noIndex {
		p := rc.unknownPip(reqs, "installed with --no-index from local files")
		installed, conf = installed.Add(p.Size), Weaker(conf, p.Confidence)
		return nil
	}
	if rc.r.e.PyPI == nil {
		p := rc.unknownPip(reqs, "no Python index source configured")
		installed, conf = installed.Add(p.Size), Weaker(conf, p.Confidence)
		return nil
	}
	client := *rc.r.e.PyPI
	client.Python = rc.pythonTag()
	dists, err := client.Resolve(ctx, reqs)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(dists) == 0 {
		p := rc.unknownPip(reqs, errText(err))
		installed, conf = installed.Add(p.Size), Weaker(conf, p.Confidence)
		return nil
	}
	if err != nil {
		rc.r.out.unknownf("line %d: some Python packages could not be sized: %s", rc.in.StartLine, errText(err))
	}
	var un, src, whl int64
	exact := true
	var names []string
	for _, d := range dists {
		un += d.Unpacked
		src += d.Source
		whl += d.Size
		exact = exact && d.Exact && !d.Sdist
		names = append(names, d.Name+" "+d.Version)
	}
	pconf, source := Declared, "the wheels' file directories, read from "+fetchHost(client.Index, pypi.DefaultIndex)
	rng := Around(un, 0.05, 0.05)
	if !exact {
		pconf, source = Modelled, "the files' sizes on "+fetchHost(client.Index, pypi.DefaultIndex)+", some unpacked sizes modelled (2.5× a wheel, 3× a source archive)"
		rng = Around(un, 0.4, 0.6)
	}
	rc.step.add(Part{What: fmt.Sprintf("%s (pip)", clip(names, 4)), Size: rng, Confidence: pconf, Source: source})
	installed, conf = installed.Add(rng), Weaker(conf, pconf)
	if src > 0 {
		pyc := Around(int64(float64(src)*pipPycRatio), 0.3, 0.3)
		rc.step.add(Part{What: "byte-compiled Python (.pyc) pip writes", Size: pyc, Confidence: Modelled,
			Source: fmt.Sprintf("%.1f × the %s of .py files", pipPycRatio, vocab.FormatSize(src))})
		installed = installed.Add(pyc)
	}
	cacheDir := path.Join(rc.home(), ".cache/pip")
	if !noCache && !rc.mounted(cacheDir) && !rc.sc.CleansPipCache() {
		rc.step.add(Part{What: "pip's cache (" + cacheDir + ")", Size: Point(whl), Confidence: Declared, Source: "the downloaded files' sizes", Note: "--no-cache-dir keeps none"})
	}
	return nil
}

// venvOf is the virtualenv a pip invocation installs into
// ("/opt/venv" for /opt/venv/bin/pip or /opt/venv/bin/python -m pip),
// "" for the system's.
func venvOf(program string) string {
	f := strings.Fields(program)
	if len(f) == 0 || !path.IsAbs(f[0]) {
		return ""
	}
	dir := path.Dir(f[0])
	if path.Base(dir) != "bin" {
		return ""
	}
	root := path.Dir(dir)
	switch root {
	case "/usr", "/usr/local", "/", "/opt/conda":
		return ""
	}
	return root
}

// localProject guesses what pip installs from a local project: about
// its sources (Python files, a compiled extension) and its metadata.
func (rc *runCtx) localProject(l string) Part {
	p := l
	if !path.IsAbs(p) {
		p = path.Join(rc.wd, p)
	}
	var src int64
	files := 0
	for _, f := range rc.s.tree.contextFilesUnder(path.Clean(p)) {
		src += f.size
		files++
	}
	rc.r.out.unknownf("line %d: pip builds the local project %s: its size is guessed from its sources (a range is given)", rc.in.StartLine, l)
	if files == 0 {
		return Part{What: "the local project " + l + " (pip)", Size: Between(0, 5e6, 500e6), Confidence: Unknown, Source: "unknown: its sources are not in the build context the estimate follows"}
	}
	return Part{What: "the local project " + l + " (pip)", Size: Between(src/2, 2*src+50_000, 20*src+20e6), Confidence: Guessed,
		Source: fmt.Sprintf("about twice its %s of sources (code, a compiled extension, metadata)", vocab.FormatSize(src))}
}

func (rc *runCtx) unknownPip(reqs []pypi.Requirement, why string) Part {
	var names []string
	for _, r := range reqs {
		names = append(names, r.Name)
	}
	rc.r.out.unknownf("line %d: Python packages %s: %s", rc.in.StartLine, clip(names, 5), why)
	p := Part{What: "Python packages " + clip(names, 5), Size: Between(int64(len(reqs))*100e3, int64(len(reqs))*5e6, int64(len(reqs))*300e6), Confidence: Unknown, Source: "unknown: " + why}
	rc.step.add(p)
	return p
}

func errText(err error) string {
	if err == nil {
		return "the index answered nothing"
	}
	s := strings.ReplaceAll(err.Error(), "\n", "; ")
	if len(s) > 300 {
		s = s[:299] + "…"
	}
	return s
}

func fetchHost(u, def string) string {
	if u == "" {
		u = def
	}
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	return u
}

// npm estimates npm ci and npm install: node_modules from the lock file
// (or package.json, resolved against the registry) and npm's cache.
func (rc *runCtx) npm(ctx context.Context) error {
	var ops []*shell.PackageOp
	for _, op := range rc.sc.PackageOps() {
		if op.Manager == shell.Npm && op.Action != shell.ActionOther {
			rc.handled[op.Command] = true
			if op.Action == shell.ActionInstall {
				ops = append(ops, op)
			}
		}
	}
	for _, op := range ops {
		if err := rc.npmInstall(ctx, op); err != nil {
			return err
		}
	}
	return nil
}

func (rc *runCtx) npmInstall(ctx context.Context, op *shell.PackageOp) error {
	line := rc.in.StartLine
	global := op.HasFlag("-g", "--global")
	production := op.HasFlag("--production") || rc.env["NODE_ENV"] == "production"
	if v, ok := op.FlagValue("--omit"); ok && v == "dev" {
		production = true
	}
	if v, ok := op.FlagValue("--only"); ok && strings.HasPrefix(v, "prod") {
		production = true
	}
	var names []string
	for _, p := range op.Packages {
		if !p.Literal || p.Local || p.URL {
			rc.r.out.unknownf("line %d: npm install %s: not a registry package", line, p.Raw)
			continue
		}
		rng := p.Version
		if rng == "" {
			rng = "latest"
		}
		names = append(names, p.Name+"\x00"+rng)
	}
	if rc.r.e.Npm == nil {
		rc.unknownNpm("no npm registry source configured")
		return nil
	}
	var pkgs []npm.Locked
	var err error
	source := ""
	lockPath := ""
	if !global {
		for _, n := range []string{"npm-shrinkwrap.json", "package-lock.json"} {
			if f, ok := rc.contextFile(path.Join(rc.wd, n)); ok {
				lockPath = f.ctxRel
				break
			}
		}
	}
	var lockSize int64
	switch {
	case lockPath != "" && len(names) == 0:
		b, rerr := rc.r.cix.read(lockPath, 256<<20)
		if rerr != nil {
			rc.unknownNpm(rerr.Error())
			return nil
		}
		lock, perr := npm.ParseLock(b)
		if perr != nil {
			rc.r.out.unknownf("line %d: %s: %v", line, lockPath, perr)
			rc.unknownNpm("the lock file does not parse")
			return nil
		}
		lockSize = int64(len(b))
		for _, p := range lock.Packages {
			if production && p.Dev {
				continue
			}
			pkgs = append(pkgs, p)
		}
		source = lockPath
		var sizes []npm.Size
		sizes, err = rc.r.e.Npm.Sizes(ctx, pkgs)
		return rc.npmParts(ctx, sizes, err, len(pkgs), source, lockSize)
	default:
		deps := map[string]string{}
		for _, n := range names {
			name, rng, _ := strings.Cut(n, "\x00")
			deps[name] = rng
		}
		if !global {
			if f, ok := rc.contextFile(path.Join(rc.wd, "package.json")); ok {
				if b, rerr := rc.r.cix.read(f.ctxRel, 16<<20); rerr == nil {
					if m, perr := npm.ParseManifest(b); perr == nil {
						for k, v := range m.Dependencies {
							deps[k] = v
						}
						if !production {
							for k, v := range m.DevDependencies {
								deps[k] = v
							}
						}
					}
				}
			}
		}
		if len(deps) == 0 {
			return nil
		}
		pkgs, err = rc.r.e.Npm.Resolve(ctx, deps)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if len(pkgs) == 0 {
			rc.unknownNpm(errText(err))
			return nil
		}
		if err != nil {
			rc.r.out.unknownf("line %d: some npm packages could not be resolved: %s", line, errText(err))
		}
		source = "package.json's ranges, resolved against the registry (no lock file)"
		sizes, serr := rc.r.e.Npm.Sizes(ctx, pkgs)
		return rc.npmParts(ctx, sizes, serr, len(pkgs), source, 0)
	}
}

func (rc *runCtx) unknownNpm(why string) {
	rc.r.out.unknownf("line %d: npm packages: %s", rc.in.StartLine, why)
	rc.step.add(Part{What: "node_modules", Size: Between(0, 50e6, 1e9), Confidence: Unknown, Source: "unknown: " + why})
}

func (rc *runCtx) npmParts(ctx context.Context, sizes []npm.Size, err error, n int, source string, lockSize int64) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var un, tgz, missingTgz int64
	known := 0
	for _, s := range sizes {
		if s.From == "" {
			continue
		}
		known++
		un += s.Unpacked
		if s.Tarball > 0 {
			tgz += s.Tarball
		} else {
			missingTgz += s.Unpacked
		}
	}
	if known == 0 {
		rc.unknownNpm(errText(err))
		return nil
	}
	rng := Around(un+lockSize, 0.05, 0.05)
	conf := Declared
	if known < n {
		avg := un / int64(known)
		miss := int64(n - known)
		rng = rng.Add(Between(0, avg*miss, 10*avg*miss))
		conf = Unknown
		rc.r.out.unknownf("line %d: %d of %d npm packages could not be sized: %s", rc.in.StartLine, n-known, n, errText(err))
	}
	rc.step.add(Part{What: fmt.Sprintf("node_modules (%s)", plural(n, "package", "packages")), Size: rng, Confidence: conf,
		Source: "the npm registry's unpacked sizes (dist.unpackedSize, else the tarball's files) of " + source})
	cache := path.Join(rc.home(), ".npm")
	if rc.mounted(cache) || rc.sc.CleansNpmCache() {
		return nil
	}
	c := tgz + int64(float64(missingTgz)*npmTarballRatio)
	cconf := Declared
	if missingTgz > 0 {
		cconf = Modelled
	}
	rc.step.add(Part{What: "npm's cache (" + cache + "/_cacache)", Size: Around(c, 0.1, 0.3), Confidence: cconf, Source: "the packages' tarballs, which npm keeps",
		Note: "npm cache clean --force in the same RUN, or a cache mount, keeps it out"})
	return nil
}
