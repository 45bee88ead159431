package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// fxManifestsFirst reorders a stage so that dependencies are installed
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
func fxManifestsFirst(p *Pass, c *dockerfile.Instruction) *Fix {
	if c == nil || c.Stage == nil || c.Trigger != nil || (c.Cmd != "copy" && c.Cmd != "add") || !copiesWholeContextFx(c) {
		return nil
	}
	f := p.File
	dest := fxResolve(workdirBefore(c), dropQuotes(c.Args[len(c.Args)-1]))
	if dest == "" {
		return nil
	}
	relDest := !path.IsAbs(dropQuotes(c.Args[len(c.Args)-1]))
	st := c.Stage
	idx := -1
	for i, in := range st.Instructions {
		if in == c {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	nl := f.Newline()
	copyKw := fxKeyword(c, "copy")
	runKw := fxKeyword(c, "run")

	// Walk the instructions after c while they do not need the context.
	type manifestCopy struct {
		before *dockerfile.Instruction
		files  []string
	}
	var (
		last      *dockerfile.Instruction // last instruction c moves past
		copies    []manifestCopy
		copied    = map[string]bool{}
		installed []string
		stop      *dockerfile.Instruction
	)
	for _, in := range st.Instructions[idx+1:] {
		ok := false
		switch in.Cmd {
		case "workdir", "env", "arg", "label", "expose":
			// A relative destination would resolve against the
			// WORKDIR c moves past.
			ok = !(in.Cmd == "workdir" && relDest)
		case "run":
			files, what, isInstall := fxContextFreeInstall(p, in, dest)
			if !isInstall {
				break
			}
			ok = true
			var need []string
			for _, m := range files {
				if !copied[m] {
					need = append(need, m)
					copied[m] = true
				}
			}
			if len(need) > 0 {
				copies = append(copies, manifestCopy{before: in, files: need})
			}
			installed = append(installed, what...)
			last = in
		}
		if !ok {
			stop = in
			break
		}
	}

	// Go modules: download them in a layer of their own before the
	// source, when the stage builds Go code after the COPY.
	var goLines string
	if stop != nil && fxBuildsGo(p, stop) && !fxDownloadsGoModules(p, st) && p.Context.Exists("go.mod") && workdirBefore(stop) == dest {
		files := []string{"go.mod"}
		if p.Context.Exists("go.sum") {
			files = append(files, "go.sum")
		}
		goLines = copyKw + " " + strings.Join(files, " ") + " " + strings.TrimSuffix(dest, "/") + "/" + nl + runKw + " go mod download" + nl
		installed = append(installed, "Go modules")
		// c moves past everything up to the first instruction that
		// needs the source.
		for _, in := range st.Instructions[idx+1:] {
			if in == stop {
				break
			}
			last = in
		}
		if last == nil {
			// Nothing between c and the build: add the download before c.
			pos := f.Offset(fxCommentStart(f, c), 1)
			return &Fix{
				Message: fmt.Sprintf("copy go.mod first and download the modules in their own layer before %s copies the source: a source change no longer downloads every module again", c.Keyword),
				Unsafe:  true,
				Edits:   []TextEdit{{Pos: pos, End: pos, NewText: goLines}},
			}
		}
	}
	if last == nil {
		return nil
	}

	var edits []TextEdit
	cpos, cend := fxSpan(f, c)
	edits = append(edits, TextEdit{Pos: cpos, End: cend})
	for _, mc := range copies {
		pos := f.Offset(fxCommentStart(f, mc.before), 1)
		edits = append(edits, TextEdit{Pos: pos, End: pos,
			NewText: copyKw + " " + strings.Join(mc.files, " ") + " " + strings.TrimSuffix(dest, "/") + "/" + nl})
	}
	at, pre := fxAfter(f, last)
	edits = append(edits, TextEdit{Pos: at, End: at, NewText: pre + goLines + fxLines(f, cpos, cend)})
	var manifests []string
	for _, mc := range copies {
		manifests = append(manifests, mc.files...)
	}
	msg := fmt.Sprintf("install %s before %s copies the source", joinAnd(installed), c.Keyword)
	if len(manifests) > 0 {
		msg = fmt.Sprintf("copy %s first and install %s before %s copies the source", joinAnd(manifests), joinAnd(installed), c.Keyword)
	}
	msg += ": a change to the source then rebuilds only the layers after the copy, and the dependency layers come from the cache"
	return &Fix{Message: msg, Unsafe: true, Edits: edits}
}

// copiesWholeContextFx reports whether a COPY or ADD (without --from)
// copies the whole build context.
func copiesWholeContextFx(in *dockerfile.Instruction) bool {
	if _, from := in.Flag("from"); from || len(in.Args) < 2 || len(in.Heredocs) > 0 {
		return false
	}
	for _, s := range in.Args[:len(in.Args)-1] {
		if IsContextSource(dropQuotes(s)) {
			return true
		}
	}
	return false
}

// fxManifests lists the dependency manifests each kind of install reads,
// lock files included (only those present in the context are copied).
var fxManifests = map[string][]string{
	"npm":      {"package.json", "package-lock.json", "npm-shrinkwrap.json"},
	"yarn":     {"package.json", "yarn.lock", ".yarnrc.yml"},
	"pnpm":     {"package.json", "pnpm-lock.yaml"},
	"go":       {"go.mod", "go.sum"},
	"bundle":   {"Gemfile", "Gemfile.lock"},
	"composer": {"composer.json", "composer.lock"},
	"cargo":    {"Cargo.toml", "Cargo.lock"},
	"maven":    {"pom.xml"},
}

// fxContextFreeInstall classifies a RUN that follows a COPY of the whole
// context to dest: isInstall is true when it only installs dependencies,
// either by name (system packages, pip install NAME, npm install -g NAME)
// or from manifests, which are then returned as context-relative paths.
// what names the installs for messages.
func fxContextFreeInstall(p *Pass, in *dockerfile.Instruction, dest string) (manifests, what []string, isInstall bool) {
	scripts := p.Shell(in)
	if len(scripts) == 0 || len(in.Heredocs) > 0 {
		return nil, nil, false
	}
	if _, ok := in.Flag("mount"); ok {
		return nil, nil, false
	}
	ctx := p.Context
	have := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if ctx.Exists(n) {
				out = append(out, n)
			}
		}
		return out
	}
	seenWhat := map[string]bool{}
	addWhat := func(w string) {
		if !seenWhat[w] {
			seenWhat[w] = true
			what = append(what, w)
		}
	}
	for _, rs := range scripts {
		ops := map[*shell.Command]*shell.PackageOp{}
		for _, op := range rs.PackageOps() {
			ops[op.Command] = op
		}
		for _, cmd := range rs.Commands {
			op := ops[cmd]
			switch {
			case cmd.IsAssignment():
				continue
			case op == nil:
				if !fxHarmless(cmd) {
					return nil, nil, false
				}
				continue
			case fxSystemManager(op.Manager):
				for _, pk := range op.Packages {
					if pk.Local || !pk.Literal {
						return nil, nil, false
					}
				}
				if op.Action == shell.ActionInstall {
					addWhat("the system packages")
				}
				continue
			}
			dir := cmd.Dir
			switch op.Manager {
			case shell.Pip:
				if op.Action != shell.ActionInstall {
					return nil, nil, false
				}
				reqs := op.FlagValues("-r", "--requirement", "-c", "--constraint")
				for _, pk := range op.Packages {
					if pk.Local || !pk.Literal || op.HasFlag("-e", "--editable") {
						return nil, nil, false
					}
				}
				for _, r := range reqs {
					abs := fxResolve(dir, r)
					rel, ok := fxUnder(dest, abs)
					if !ok || !ctx.Exists(rel) {
						return nil, nil, false
					}
					manifests = append(manifests, rel)
				}
				addWhat("the Python packages")
			case shell.Npm, shell.Yarn, shell.Pnpm:
				if op.Action != shell.ActionInstall {
					return nil, nil, false
				}
				if len(op.Packages) > 0 {
					if !op.HasFlag("-g", "--global") {
						return nil, nil, false
					}
					addWhat("the Node.js packages")
					continue
				}
				if dir != dest {
					return nil, nil, false
				}
				kind := map[shell.Manager]string{shell.Npm: "npm", shell.Yarn: "yarn", shell.Pnpm: "pnpm"}[op.Manager]
				m := have(fxManifests[kind]...)
				if len(m) == 0 || m[0] != "package.json" {
					return nil, nil, false
				}
				manifests = append(manifests, m...)
				addWhat("the Node.js packages")
			case shell.Go:
				if op.Action != shell.ActionDownload || dir != dest {
					return nil, nil, false
				}
				m := have(fxManifests["go"]...)
				if len(m) == 0 || m[0] != "go.mod" {
					return nil, nil, false
				}
				manifests = append(manifests, m...)
				addWhat("the Go modules")
			case shell.Bundle, shell.Composer, shell.Cargo:
				if dir != dest || (op.Action != shell.ActionInstall && op.Action != shell.ActionDownload) {
					return nil, nil, false
				}
				kind := map[shell.Manager]string{shell.Bundle: "bundle", shell.Composer: "composer", shell.Cargo: "cargo"}[op.Manager]
				m := have(fxManifests[kind]...)
				if len(m) == 0 {
					return nil, nil, false
				}
				manifests = append(manifests, m...)
				addWhat(map[string]string{"bundle": "the gems", "composer": "the PHP packages", "cargo": "the crates"}[kind])
			case shell.Gem:
				if op.Action != shell.ActionInstall {
					return nil, nil, false
				}
				for _, pk := range op.Packages {
					if pk.Local || !pk.Literal {
						return nil, nil, false
					}
				}
				addWhat("the gems")
			default:
				return nil, nil, false
			}
		}
	}
	if len(what) == 0 {
		return nil, nil, false
	}
	return manifests, what, true
}

// fxHarmless reports whether a command that is not a package-manager call
// may run before the source is there: clean-ups and settings that touch
// only absolute paths outside the source.
func fxHarmless(c *shell.Command) bool {
	switch c.Base() {
	case "true", "echo", "set", "export", "apt-mark", "update-ca-certificates", "ldconfig",
		"useradd", "groupadd", "adduser", "addgroup", "debconf-set-selections":
		return true
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

// fxUnder returns abs relative to dir when it lies under it.
func fxUnder(dir, abs string) (string, bool) {
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

// fxBuildsGo reports whether in (a RUN) builds Go code.
func fxBuildsGo(p *Pass, in *dockerfile.Instruction) bool {
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

// fxDownloadsGoModules reports whether the stage already runs go mod
// download.
func fxDownloadsGoModules(p *Pass, st *dockerfile.Stage) bool {
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
