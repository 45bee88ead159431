package plan

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// ManifestsFirst reorders a stage so that dependencies are installed
// before the source is copied: the COPY (or ADD) c of the whole build
// context moves down past the instructions after it that do not read the
// context (WORKDIR, ENV, ARG, LABEL, EXPOSE, and RUNs that install
// packages by name), and an install that reads a dependency manifest
// (pip install -r requirements.txt, npm ci, go mod download, bundle
// install, ...) gets a COPY of just its manifests before it. When the
// stage builds Go code and the context has a go.mod, the module
// downloads get a layer of their own (COPY go.mod go.sum, RUN go mod
// download). A change to the source then rebuilds only the layers from
// the COPY down; the dependency layers come from the cache.
//
// It returns nil when nothing can move. The fix is unsafe: an install
// hook that reads other files of the context would no longer see them.
func ManifestsFirst(src Input, c *dockerfile.Instruction) *edit.Fix {
	p := newPass(src)
	if c == nil || c.Stage == nil || c.Trigger != nil || (c.Cmd != "copy" && c.Cmd != "add") || !copiesWholeContext(c) {
		return nil
	}
	f := p.File
	dest := dockerfile.ResolvePath(c.Workdir(), dockerfile.TrimQuotes(c.Args[len(c.Args)-1]))
	if dest == "" {
		return nil
	}
	relDest := !path.IsAbs(dockerfile.TrimQuotes(c.Args[len(c.Args)-1]))
	st := c.Stage
	idx := slices.Index(st.Instructions, c)
	if idx < 0 {
		return nil
	}
	after := st.Instructions[idx+1:]
	mw := &manifestWriter{f: f, c: c, dest: dest, nl: f.Newline()}
	w := walkInstalls(p, after, dest, relDest)

	// Go modules: download them in a layer of their own before the
	// source, when the stage builds Go code after the COPY.
	var goLines string
	if w.stop != nil && buildsGo(p, w.stop) && !downloadsGoModules(p, st) && p.Context.Exists("go.mod") && w.stop.Workdir() == dest &&
		goBefore(p, st, goAt(c, w.last)) {
		goLines = mw.goModules(p.Context)
		w.installed = append(w.installed, "Go modules")
		// c moves past everything up to the first instruction that
		// needs the source.
		for _, in := range after {
			if in == w.stop {
				break
			}
			w.last = in
		}
		if w.last == nil {
			// Nothing between c and the build: add the download before c.
			pos := f.Offset(edit.CommentStart(f, c), 1)
			return &edit.Fix{
				Message:    fmt.Sprintf("copy go.mod first and download the modules in their own layer before %s copies the source: a source change no longer downloads every module again", c.Keyword),
				Unsafe:     true,
				Structural: true,
				Edits:      []edit.TextEdit{{Pos: pos, End: pos, NewText: goLines}},
			}
		}
	}
	if w.last == nil {
		if fix := splitLeadingInstall(p, c, after, w.stop, dest); fix != nil {
			return fix
		}
		if w.stop != nil {
			return edit.Decline(fmt.Sprintf("the %s on line %d, right after the COPY, needs the copied files or is not an install whose manifests strata can copy first (a build, a tool install, an install reading more than its manifests)",
				strings.ToUpper(w.stop.Cmd), w.stop.StartLine))
		}
		return nil
	}
	return mw.fix(w, goLines)
}

// manifestCopy is a COPY of dependency manifests to add before an
// install.
type manifestCopy struct {
	before *dockerfile.Instruction
	files  []string
}

// installWalk is what ManifestsFirst finds after the COPY of the context.
type installWalk struct {
	last      *dockerfile.Instruction // last instruction the COPY moves past
	copies    []manifestCopy
	installed []string                // what the installs install, for the message
	stop      *dockerfile.Instruction // first instruction that needs the source
}

// walkInstalls walks the instructions after a COPY of the whole context
// to dest while they do not need the context: WORKDIR (unless the COPY's
// destination is relative to it), ENV, ARG, LABEL, EXPOSE, and RUNs that
// install dependencies by name or from manifests (see
// contextFreeInstall), whose manifests it copies before them.
func walkInstalls(p *pass, after []*dockerfile.Instruction, dest string, relDest bool) *installWalk {
	w := &installWalk{}
	copied := map[string]bool{}
	for _, in := range after {
		ok := false
		switch in.Cmd {
		case "workdir", "env", "arg", "label", "expose":
			// A relative destination would resolve against the
			// WORKDIR c moves past.
			ok = !(in.Cmd == "workdir" && relDest)
		case "run":
			files, what, free := contextFreeRun(p, in, dest)
			if !free {
				break
			}
			ok = true
			if len(what) == 0 {
				// An index update or a clean-up: the COPY may pass
				// it, but only an install after it is worth the move.
				continue
			}
			var need []string
			for _, m := range files {
				if !copied[m] {
					need = append(need, m)
					copied[m] = true
				}
			}
			if len(need) > 0 {
				w.copies = append(w.copies, manifestCopy{before: in, files: need})
			}
			for _, x := range what {
				if !slices.Contains(w.installed, x) {
					w.installed = append(w.installed, x)
				}
			}
			w.last = in
		}
		if !ok {
			w.stop = in
			break
		}
	}
	return w
}

// manifestWriter writes ManifestsFirst's instructions for the COPY c of
// the context to dest, in the file's style.
type manifestWriter struct {
	f    *dockerfile.File
	c    *dockerfile.Instruction
	dest string
	nl   string
}

// copyLine copies files of the context to the destination directory;
// a path in a subdirectory, or a directory (written with a trailing
// slash), gets a COPY of its own that keeps it where it was.
func (mw *manifestWriter) copyLine(files []string) string {
	dest := strings.TrimSuffix(mw.dest, "/") + "/"
	var top []string
	var own strings.Builder
	for _, f := range files {
		if strings.Contains(f, "/") {
			own.WriteString(edit.Keyword(mw.c, "copy") + " " + f + " " + dest + f + mw.nl)
		} else {
			top = append(top, f)
		}
	}
	if len(top) == 0 {
		return own.String()
	}
	return edit.Keyword(mw.c, "copy") + " " + strings.Join(top, " ") + " " + dest + mw.nl + own.String()
}

// goModules copies go.mod (and go.sum) and downloads the modules.
func (mw *manifestWriter) goModules(ctx Context) string {
	files := []string{"go.mod"}
	if ctx.Exists("go.sum") {
		files = append(files, "go.sum")
	}
	return mw.copyLine(files) + edit.Keyword(mw.c, "run") + " go mod download" + mw.nl
}

// fix moves the COPY after w.last, with the Go module lines before it,
// and adds the manifest copies before their installs.
func (mw *manifestWriter) fix(w *installWalk, goLines string) *edit.Fix {
	f, c := mw.f, mw.c
	var edits []edit.TextEdit
	cpos, cend := edit.Block(f, c)
	edits = append(edits, edit.TextEdit{Pos: cpos, End: cend})
	for _, mc := range w.copies {
		pos := f.Offset(edit.CommentStart(f, mc.before), 1)
		edits = append(edits, edit.TextEdit{Pos: pos, End: pos, NewText: mw.copyLine(mc.files)})
	}
	at, pre := edit.After(f, w.last)
	edits = append(edits, edit.TextEdit{Pos: at, End: at, NewText: pre + goLines + edit.Lines(f, cpos, cend)})
	var manifests []string
	for _, mc := range w.copies {
		manifests = append(manifests, mc.files...)
	}
	msg := fmt.Sprintf("install %s before %s copies the source", vocab.JoinAnd(w.installed), c.Keyword)
	if len(manifests) > 0 {
		msg = fmt.Sprintf("copy %s first and install %s before %s copies the source", vocab.JoinAnd(manifests), vocab.JoinAnd(w.installed), c.Keyword)
	}
	msg += ": a change to the source then rebuilds only the layers after the copy, and the dependency layers come from the cache"
	return &edit.Fix{Message: msg, Unsafe: true, Structural: true, Edits: edits}
}

// copiesWholeContext reports whether a COPY or ADD (without --from)
// copies the whole build context.
func copiesWholeContext(in *dockerfile.Instruction) bool {
	if _, from := in.Flag("from"); from || len(in.Args) < 2 || len(in.Heredocs) > 0 {
		return false
	}
	for _, s := range in.Args[:len(in.Args)-1] {
		if dockerfile.IsContextSource(dockerfile.TrimQuotes(s)) {
			return true
		}
	}
	return false
}

// manifestFiles lists the dependency manifests each kind of install reads,
// lock files included (only those present in the context are copied).
var manifestFiles = map[string][]string{
	"npm":      {"package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"},
	"yarn":     {"package.json", "yarn.lock", ".yarnrc", ".yarnrc.yml", ".npmrc"},
	"pnpm":     {"package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc"},
	"go":       {"go.mod", "go.sum"},
	"bundle":   {"Gemfile", "Gemfile.lock"},
	"composer": {"composer.json", "composer.lock"},
	"cargo":    {"Cargo.toml", "Cargo.lock"},
	"maven":    {"pom.xml"},
}

// contextFreeInstall classifies a RUN that follows a COPY of the whole
// context to dest: isInstall is true when it only installs dependencies,
// either by name (system packages, pip install NAME, npm install -g NAME)
// or from manifests, which are then returned as context-relative paths.
// what names the installs for messages.
func contextFreeInstall(p *pass, in *dockerfile.Instruction, dest string) (manifests, what []string, isInstall bool) {
	manifests, what, free := contextFreeRun(p, in, dest)
	return manifests, what, free && len(what) > 0
}

// contextFreeRun is contextFreeInstall without the need to install:
// free is also true for a RUN that only updates a package index or
// cleans up (what is then empty).
func contextFreeRun(p *pass, in *dockerfile.Instruction, dest string) (manifests, what []string, free bool) {
	scripts := p.Shell(in)
	if len(scripts) == 0 || len(in.Heredocs) > 0 {
		return nil, nil, false
	}
	if _, ok := in.Flag("mount"); ok {
		return nil, nil, false
	}
	seenWhat := map[string]bool{}
	for _, rs := range scripts {
		ops := map[*shell.Command]*shell.PackageOp{}
		for _, op := range rs.PackageOps() {
			ops[op.Command] = op
		}
		for _, cmd := range rs.Commands {
			if cmd.IsAssignment() {
				continue
			}
			m, w, ok := installFromManifests(p.Context, cmd, ops[cmd], dest)
			if !ok {
				return nil, nil, false
			}
			manifests = append(manifests, m...)
			if w != "" && !seenWhat[w] {
				seenWhat[w] = true
				what = append(what, w)
			}
		}
	}
	return manifests, what, true
}

// installFromManifests classifies one command cmd (with its package
// operation op, nil for none) of a RUN after a COPY of the whole context
// to dest: ok is true when it may run before the source is copied,
// because it is harmless or installs packages by name or from the
// manifests it returns; what names the install ("" for none).
func installFromManifests(ctx Context, cmd *shell.Command, op *shell.PackageOp, dest string) (manifests []string, what string, ok bool) {
	switch {
	case op == nil:
		return nil, "", harmless(cmd)
	case systemManager(op.Manager):
		if !namedPackages(op) {
			return nil, "", false
		}
		if op.Action == shell.ActionInstall {
			return nil, "the system packages", true
		}
		return nil, "", true
	}
	switch op.Manager {
	case shell.Pip:
		return pipManifests(ctx, op, cmd.Dir, dest)
	case shell.Npm, shell.Yarn, shell.Pnpm:
		return nodeManifests(ctx, op, cmd.Dir, dest)
	case shell.Go:
		if op.Action != shell.ActionDownload || cmd.Dir != dest {
			return nil, "", false
		}
		m := present(ctx, manifestFiles["go"]...)
		if len(m) == 0 || m[0] != "go.mod" {
			return nil, "", false
		}
		return m, "the Go modules", true
	case shell.Bundle, shell.Composer, shell.Cargo:
		if cmd.Dir != dest || (op.Action != shell.ActionInstall && op.Action != shell.ActionDownload) {
			return nil, "", false
		}
		kind := map[shell.Manager]string{shell.Bundle: "bundle", shell.Composer: "composer", shell.Cargo: "cargo"}[op.Manager]
		m := present(ctx, manifestFiles[kind]...)
		if len(m) == 0 {
			return nil, "", false
		}
		return m, map[string]string{"bundle": "the gems", "composer": "the PHP packages", "cargo": "the crates"}[kind], true
	case shell.Gem:
		if op.Action != shell.ActionInstall || !namedPackages(op) {
			return nil, "", false
		}
		return nil, "the gems", true
	}
	return nil, "", false
}

// pipManifests classifies a pip command run in dir: an install of
// packages by name, or from requirement files under dest that the
// context has (returned context-relative).
func pipManifests(ctx Context, op *shell.PackageOp, dir, dest string) ([]string, string, bool) {
	if op.Action != shell.ActionInstall {
		return nil, "", false
	}
	reqs := op.FlagValues("-r", "--requirement", "-c", "--constraint")
	for _, pk := range op.Packages {
		if pk.Local || !pk.Literal || op.HasFlag("-e", "--editable") {
			return nil, "", false
		}
	}
	var manifests []string
	for _, r := range reqs {
		abs := dockerfile.ResolvePath(dir, r)
		rel, ok := under(dest, abs)
		if !ok || !ctx.Exists(rel) {
			return nil, "", false
		}
		more, ok := requirementPaths(ctx, rel, dir, dest, 0)
		if !ok {
			return nil, "", false
		}
		manifests = append(append(manifests, rel), more...)
	}
	return manifests, "the Python packages", true
}

// nodeManifests classifies an npm, yarn or pnpm command run in dir: a
// global install by name, or an install of the project at dest from its
// package.json and lock file.
func nodeManifests(ctx Context, op *shell.PackageOp, dir, dest string) ([]string, string, bool) {
	if op.Action != shell.ActionInstall {
		return nil, "", false
	}
	if len(op.Packages) > 0 {
		if !op.HasFlag("-g", "--global") {
			return nil, "", false
		}
		return nil, "the Node.js packages", true
	}
	if dir != dest {
		return nil, "", false
	}
	kind := map[shell.Manager]string{shell.Npm: "npm", shell.Yarn: "yarn", shell.Pnpm: "pnpm"}[op.Manager]
	m := present(ctx, manifestFiles[kind]...)
	if len(m) == 0 || m[0] != "package.json" || !selfContainedPackage(ctx) {
		return nil, "", false
	}
	return m, "the Node.js packages", true
}

// selfContainedPackage reports whether installing the context's
// package.json reads nothing but the manifests: no local dependency
// (file:, link:, workspace:), no workspaces, no install scripts
// (preinstall, install, postinstall, prepare), which may read any file.
// A package.json that cannot be read counts as self-contained, as
// before the check.
func selfContainedPackage(ctx Context) bool {
	r, ok := ctx.(contextReader)
	if !ok {
		return true
	}
	data, err := r.ReadFile("package.json", 1<<20)
	if err != nil {
		return true
	}
	var pkg struct {
		Workspaces json.RawMessage   `json:"workspaces"`
		Scripts    map[string]string `json:"scripts"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return false
	}
	if len(pkg.Workspaces) > 0 {
		return false
	}
	for _, s := range []string{"preinstall", "install", "postinstall", "prepare"} {
		if _, ok := pkg.Scripts[s]; ok {
			return false
		}
	}
	var deps map[string]json.RawMessage
	if err := json.Unmarshal(data, &deps); err != nil {
		return false
	}
	for _, field := range []string{"dependencies", "devDependencies", "optionalDependencies"} {
		var list map[string]string
		if raw, ok := deps[field]; !ok || json.Unmarshal(raw, &list) != nil {
			continue
		}
		for _, spec := range list {
			if strings.HasPrefix(spec, "file:") || strings.HasPrefix(spec, "link:") || strings.HasPrefix(spec, "workspace:") ||
				strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || strings.HasPrefix(spec, "/") {
				return false
			}
		}
	}
	return true
}

// namedPackages reports whether op names every package it handles
// literally (no local file, no variable).
func namedPackages(op *shell.PackageOp) bool {
	for _, pk := range op.Packages {
		if pk.Local || !pk.Literal {
			return false
		}
	}
	return true
}

// present returns the names that exist in the build context, in order.
func present(ctx Context, names ...string) []string {
	var out []string
	for _, n := range names {
		if ctx.Exists(n) {
			out = append(out, n)
		}
	}
	return out
}

// harmless reports whether a command that is not a package-manager call
// may run before the source is there: clean-ups and settings that touch
// only absolute paths outside the source.
func harmless(c *shell.Command) bool {
	switch c.Base() {
	case "true", "echo", "set", "export", "apt-mark", "update-ca-certificates", "ldconfig",
		"useradd", "groupadd", "adduser", "addgroup", "debconf-set-selections":
		return true
	case "python3", "python":
		// python3 -m venv /opt/venv reads nothing of the context.
		ops := c.Operands()
		return isVenvCreate(c) && len(ops) > 0 && ops[len(ops)-1].Literal && path.IsAbs(ops[len(ops)-1].Value)
	case "rm", "mkdir", "chmod", "chown", "ln":
		for _, w := range c.Operands() {
			if !w.Literal || !path.IsAbs(w.Value) {
				return false
			}
		}
		return true
	}
	return false
}

// under returns abs relative to dir when it lies under it.
func under(dir, abs string) (string, bool) {
	if abs == "" {
		return "", false
	}
	dir = path.Clean(dir)
	if dir == "/" {
		return strings.TrimPrefix(abs, "/"), abs != "/"
	}
	if !strings.HasPrefix(abs, dir+"/") {
		return "", false
	}
	return strings.TrimPrefix(abs, dir+"/"), true
}

// buildsGo reports whether in (a RUN) builds Go code.
func buildsGo(p *pass, in *dockerfile.Instruction) bool {
	if in.Cmd != "run" {
		return false
	}
	for _, rs := range p.Shell(in) {
		for _, c := range rs.Find("go") {
			if len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install" || c.Args[0] == "test" || c.Args[0] == "vet") {
				return true
			}
		}
	}
	return false
}

// goAt returns the instruction the module download would follow: the
// last instruction the COPY c moves past, or the one before c.
func goAt(c, last *dockerfile.Instruction) *dockerfile.Instruction {
	if last != nil {
		return last
	}
	prev := c.Stage.Instructions[0]
	for _, in := range c.Stage.Instructions {
		if in == c {
			break
		}
		prev = in
	}
	return prev
}

// goBefore reports whether the go command is there once the
// instruction at (of stage st) has run: the chain is built on a Go
// image, or an earlier RUN installs Go with a package manager, unpacks
// a Go release, or already runs go. An install in the same RUN as the
// build does not count: a download placed before that RUN would find
// no go.
func goBefore(p *pass, st *dockerfile.Stage, at *dockerfile.Instruction) bool {
	chain := st.Chain()
	if goImage(chain[len(chain)-1].Base) {
		return true
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in.Cmd == "run" && installsGo(p, in) {
				return true
			}
			if in == at {
				return false
			}
		}
	}
	return false
}

// goImage reports whether an image ships the Go toolchain on PATH: the
// official golang image (and the images of Go's distributors built the
// same way).
func goImage(b dockerfile.ImageRef) bool {
	n := strings.ToLower(b.Name())
	return n == "golang" || n == "go" || strings.HasSuffix(strings.ToLower(b.Repository), "/golang")
}

// installsGo reports whether a RUN makes the go command available:
// a package manager installs Go (golang, golang-go, golang-1.22-go, go),
// it unpacks a Go release into /usr/local/go, or it runs go itself.
func installsGo(p *pass, in *dockerfile.Instruction) bool {
	for _, op := range packageOps(p, in) {
		if op.Action != shell.ActionInstall || !systemManager(op.Manager) {
			continue
		}
		for _, n := range op.PackageNames() {
			if n == "golang" || n == "golang-go" || n == "go" || strings.HasPrefix(n, "golang-1") && strings.HasSuffix(n, "-go") || strings.HasPrefix(n, "golang1.") {
				return true
			}
		}
	}
	for _, rs := range p.Shell(in) {
		for _, c := range rs.Commands {
			if c.Is("go") {
				return true
			}
			if c.Is("tar") && strings.Contains(c.Text, "/usr/local") && strings.Contains(c.Text, "go") {
				return true
			}
		}
	}
	return false
}

// downloadsGoModules reports whether the stage already runs go mod
// download.
func downloadsGoModules(p *pass, st *dockerfile.Stage) bool {
	for _, in := range st.Instructions {
		for _, rs := range p.Shell(in) {
			for _, c := range rs.Find("go") {
				if len(c.Args) > 1 && c.Args[0] == "mod" && c.Args[1] == "download" {
					return true
				}
			}
		}
	}
	return false
}

// splitLeadingInstall is ManifestsFirst's fix when the first RUN after
// the COPY c begins with installs that need nothing of the context (an
// index update and packages by name, `apt-get update && apt-get install
// -y golang-go && go build ...`): those commands become a RUN of their
// own before the COPY, and the RUN keeps the rest. Only a plain shell-form
// RUN without flags whose leading commands are joined by && qualifies,
// with nothing between the COPY and it that the installs could read (an
// ENV or ARG a package manager reads).
func splitLeadingInstall(p *pass, c *dockerfile.Instruction, after []*dockerfile.Instruction, run *dockerfile.Instruction, dest string) *edit.Fix {
	if run == nil || run.Cmd != "run" || len(run.Flags) > 0 || run.JSON || len(run.Heredocs) > 0 || run.Trigger != nil {
		return nil
	}
	for _, in := range after {
		if in == run {
			break
		}
		if (in.Cmd == "env" || in.Cmd == "arg") && installSetting(in) {
			return nil
		}
	}
	scripts := p.Shell(run)
	if len(scripts) != 1 {
		return nil
	}
	rs := scripts[0]
	ops := map[*shell.Command]*shell.PackageOp{}
	for _, op := range rs.PackageOps() {
		ops[op.Command] = op
	}
	k := 0
	var what []string
	for _, cmd := range rs.Commands {
		if cmd.IsAssignment() || cmd.Join != shell.JoinAnd || cmd.Pipeline >= 0 || cmd.InSubshell || cmd.InCondition ||
			cmd.InBranch || cmd.InLoop || cmd.InCmdSubst || cmd.InFunction || cmd.Negated {
			break
		}
		m, w, ok := installFromManifests(p.Context, cmd, ops[cmd], dest)
		if !ok || len(m) > 0 {
			break
		}
		if w != "" && !slices.Contains(what, w) {
			what = append(what, w)
		}
		k++
	}
	if k == 0 || k >= len(rs.Commands) || len(what) == 0 {
		return nil
	}
	mp, ok := edit.ShellFormOffsets(p.File, run, rs)
	if !ok {
		return nil
	}
	f := p.File
	prefix := strings.TrimSpace(rs.Source[rs.Commands[0].Pos.Offset:rs.Commands[k-1].End.Offset])
	if !strings.ContainsAny(prefix, `"'`) {
		// The continuation lines and their indentation: one line of
		// its own, single spaces.
		prefix = strings.Join(strings.Fields(strings.ReplaceAll(prefix, "\\\n", " ")), " ")
	}
	pos := f.Offset(edit.CommentStart(f, c), 1)
	return &edit.Fix{
		Message: fmt.Sprintf("install %s in a RUN of its own before %s copies the source, and keep the build in the RUN on line %d: a change to the source no longer re-runs the install",
			vocab.JoinAnd(what), c.Keyword, run.StartLine),
		Unsafe:     true,
		Structural: true,
		Edits: []edit.TextEdit{
			{Pos: pos, End: pos, NewText: edit.Keyword(run, "run") + " " + prefix + f.Newline()},
			{Pos: mp(rs.Commands[0].Pos.Offset), End: mp(rs.Commands[k].Pos.Offset)},
		},
	}
}
