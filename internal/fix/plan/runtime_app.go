package plan

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Applications run by an interpreter or a VM (Python, Node.js, Java):
// the runtime stage keeps the stage's base, installs only the runtime
// packages (no compilers, git, curl, pip or npm; a JRE for a JDK)
// without recommends and caches, and copies the application directories
// and what language package managers installed outside them.

// appKind names the runtime that runs the program base ("python",
// "node", "java"), or "" for none of them.
func appKind(base string) string {
	switch {
	case isPythonCommand(base):
		return "python"
	case isNodeCommand(base):
		return "node"
	case isJavaCommand(base):
		return "java"
	}
	return ""
}

// planApp plans the runtime stage of an application of the given kind.
// It declines an interpreter with nothing to run (a REPL: the image is a
// base for others), a stage that builds from source with make or
// configure, whose install goes where the plan cannot see, and a build
// that would leave nothing behind: when every package the stage
// installs is one the application runs (or one nothing uses, which SD403
// drops instead), a build stage only repeats the installs.
//
// The stages are lean: the runtime packages are installed once, in a
// base stage both the build stage and the runtime stage start from; the
// build stage installs only the packages its commands use on top; the
// source is copied into the build stage only when a build step reads
// it (otherwise the runtime stage copies it from the context, last); and
// the runtime stage copies what was installed outside the application
// (pip's /usr/local, a virtualenv, npm -g) before the application.
func (b *build) planApp(kind string) (runtimeStage, []edit.TextEdit, bool) {
	if kind != "java" && len(b.argv) == 1 {
		return runtimeStage{declined: "the interpreter runs with nothing to run: the image is a base for others"}, nil, false
	}
	if b.buildsFromSource() {
		return runtimeStage{declined: "the stage builds from source with make or configure, whose install goes where the plan cannot see"}, nil, false
	}
	rt := runtimeStage{kind: kind, base: b.st.BaseRaw, manager: b.mgr, userFamily: userFamily(b.p, b.st)}
	if rt.userFamily == "none" || rt.userFamily == "" {
		return runtimeStage{declined: "the base image's user tools are unknown"}, nil, false
	}
	keep := b.keptTools()
	var dropped []string
	rt.packages, dropped = runtimePackages(b.pkgs, b.mgr, keep)
	if len(b.pkgs) > 0 && b.mgr == "" {
		return runtimeStage{declined: "the stage mixes package managers"}, nil, false
	}
	deps, app, pruneDir, ok := b.appCopies(kind)
	if !ok || len(deps)+len(app) == 0 {
		return runtimeStage{declined: "what the application needs from the build stage cannot be told (a copy or a download to a path with a variable)"}, nil, false
	}
	if b.pipIntoSystemPrefix() {
		return runtimeStage{declined: "pip installs into the distribution's Python, whose directory the plan cannot name"}, nil, false
	}
	if rt.writable, ok = writableDirs(b.p, b.st.Chain(), runUser{name: "app", home: "/home/app", create: true}); !ok {
		return runtimeStage{declined: "a directory the application writes cannot be told"}, nil, false
	}
	prune := pruneDir != "" && !keep["npm"]
	// What the build stage keeps that the runtime stage leaves behind.
	use := stageUse(b.p, b.st)
	inRuntime := map[string]bool{}
	for _, n := range rt.packages {
		inRuntime[n] = true
	}
	rt.baseStage = len(rt.packages) > 0 && len(b.st.From.Flags) == 0 && b.st.Name != "base"
	rt.buildDrop = map[string]bool{}
	var behind []string
	for _, n := range b.pkgs {
		switch {
		case inRuntime[n]:
			if rt.baseStage {
				rt.buildDrop[n] = true // the base stage has it
			}
		case use.usedByBuild(n, b.runtimeCommands()):
			behind = append(behind, n)
		default:
			rt.buildDrop[n] = true // nothing runs it
		}
	}
	if len(behind) == 0 && !prune {
		return runtimeStage{declined: "the build uses nothing the runtime stage would leave behind: a build stage would only repeat the installs"}, nil, false
	}
	// The source, when no build step reads it, is copied by the runtime
	// stage from the context rather than through the build stage.
	rt.fromContext = b.unreadCopies()
	for _, c := range rt.fromContext {
		// The copy's own destination, and the directory the command
		// runs in when the copy fills it; what a RUN made under it
		// still comes from the build stage.
		d := copyDest(c)
		app = slices.DeleteFunc(app, func(a string) bool { return a == d || a == b.wd && strings.HasPrefix(a, d+"/") })
	}
	rt.copies = append(deps, app...)
	if b.wd != "/" && b.wd != "" {
		rt.workdir = b.wd
	}
	if prune {
		rt.pruneAfter, rt.prune = nodePrune(b.st, pruneDir)
	}
	jlink := ""
	if kind == "java" {
		// jlink takes the JRE's place: with no other runtime package
		// there is nothing for a base stage to hold.
		if jlink = b.planJlink(&rt); jlink != "" && len(rt.packages) == 0 && rt.baseStage {
			rt.baseStage = false
			for n := range inRuntime {
				delete(rt.buildDrop, n)
			}
		}
	}
	rt.why = appWhy(kind, rt.packages, dropped, behind, rt.copies, prune, rt.baseStage) + jlink
	return rt, nil, true
}

// pipIntoSystemPrefix reports whether pip installs into the system
// Python of a distribution that does not send it to /usr/local (Alpine,
// RHEL, SUSE: /usr/lib/pythonX.Y/site-packages, a path the plan cannot
// name): only Debian's and the official python images' pip install
// there.
func (b *build) pipIntoSystemPrefix() bool {
	chain := b.st.Chain()
	name := strings.ToLower(chain[len(chain)-1].Base.Name())
	if name == "python" || name == "pypy" {
		return false
	}
	switch b.mgr {
	case shell.AptGet, "":
		return false
	}
	for _, in := range b.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, op := range packageOps(b.p, in) {
			if pipInstallDir(op) == "/usr/local" {
				return true
			}
		}
	}
	return false
}

// runtimeCommands returns the base names of the commands the container
// runs: the words of its CMD, ENTRYPOINT and HEALTHCHECK.
func (b *build) runtimeCommands() map[string]bool {
	out := map[string]bool{}
	for _, in := range b.st.Instructions {
		if in.Cmd == "cmd" || in.Cmd == "entrypoint" || in.Cmd == "healthcheck" {
			for _, a := range in.Args {
				for _, w := range strings.Fields(a) {
					out[path.Base(dockerfile.TrimQuotes(w))] = true
				}
			}
		}
	}
	return out
}

// unreadCopies returns the COPY instructions of the build context when no
// RUN after any of them reads or writes under their destinations: the
// source of an application whose build only installs dependencies by
// name. It is all of them or none: moving some would change which
// copy's files win where they overlap. Each copies to an absolute
// directory, or to one relative to the WORKDIR the command runs in.
func (b *build) unreadCopies() []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for i, c := range b.st.Instructions {
		if c.Cmd == "add" && copiesFromContext(c) {
			return nil
		}
		if c.Cmd != "copy" || !copiesFromContext(c) {
			continue
		}
		if len(c.Flags) > 0 {
			return nil
		}
		dest := copyDest(c)
		if dest == "" || !path.IsAbs(dockerfile.TrimQuotes(c.Args[len(c.Args)-1])) && c.Workdir() != b.wd {
			// A relative destination resolves alike in the runtime
			// stage only under the same WORKDIR.
			return nil
		}
		for _, in := range b.st.Instructions[i+1:] {
			if in.Cmd != "run" {
				continue
			}
			manifests, _, free := contextFreeRun(b.p, in, dest)
			if !free || len(manifests) > 0 || touchesUnder(b.p, in, dest) {
				return nil
			}
		}
		out = append(out, c)
	}
	return out
}

// copyDest returns the absolute destination of a COPY or ADD ("" when it
// cannot be told).
func copyDest(in *dockerfile.Instruction) string {
	if len(in.Args) < 2 {
		return ""
	}
	return dockerfile.ResolvePath(in.Workdir(), dockerfile.TrimQuotes(in.Args[len(in.Args)-1]))
}

// touchesUnder reports whether a command of the RUN names a path under
// dir (or runs in it).
func touchesUnder(p *pass, in *dockerfile.Instruction, dir string) bool {
	for _, rs := range p.Shell(in) {
		for _, c := range rs.Commands {
			if (c.Dir == dir || strings.HasPrefix(c.Dir, dir+"/")) && !harmless(c) && !c.IsAssignment() && !installsByName(rs, c) {
				return true
			}
			for _, a := range c.Args {
				if a == dir || strings.HasPrefix(a, dir+"/") {
					return true
				}
			}
		}
	}
	return false
}

// installsByName reports whether c installs or manages packages by name
// (a distribution's package manager, pip or npm -g), reading nothing of
// the directory it runs in.
func installsByName(rs *edit.Script, c *shell.Command) bool {
	for _, op := range rs.PackageOps() {
		if op.Command != c {
			continue
		}
		if systemManager(op.Manager) {
			return namedPackages(op)
		}
		if op.Manager == shell.Pip && op.Action == shell.ActionInstall {
			return len(op.FlagValues("-r", "--requirement", "-c", "--constraint")) == 0 && namedPackages(op) && !op.HasFlag("-e", "--editable")
		}
		return npmGlobalInstall(op) && namedPackages(op)
	}
	return false
}

// keptTools are the packages the runtime stage keeps although they only
// build: the package manager the command runs (npm, yarn) and the
// downloader a health check calls (a HEALTHCHECK, a compose file of the
// context, or as a comment above its install says).
func (b *build) keptTools() map[string]bool {
	keep := map[string]bool{}
	nodeKeptTools(b.base, keep)
	for _, in := range b.st.Instructions {
		if in.Cmd == "healthcheck" {
			for _, t := range []string{"curl", "wget"} {
				if strings.Contains(in.Original, t) {
					keep[t] = true
				}
			}
		}
		// "# curl for the health check" above the install.
		if in.Cmd == "run" {
			note := strings.ToLower(strings.Join(in.Comments, " "))
			for _, t := range []string{"curl", "wget"} {
				if strings.Contains(note, "health") && strings.Contains(in.Original, t) {
					keep[t] = true
				}
			}
		}
	}
	// A compose file of the context may probe the service with them.
	if r, ok := b.p.Context.(contextReader); ok {
		for _, name := range []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"} {
			data, err := r.ReadFile(name, 1<<20)
			if err != nil {
				continue
			}
			for _, t := range []string{"curl", "wget"} {
				if strings.Contains(string(data), t) {
					keep[t] = true
				}
			}
		}
	}
	return keep
}

// runtimePackages maps the build stage's distribution packages to the
// runtime stage's (see runtimePackage), keeping those in keep; dropped
// are the packages left out or replaced.
func runtimePackages(pkgs []string, m shell.Manager, keep map[string]bool) (packages, dropped []string) {
	for _, n := range pkgs {
		r := runtimePackage(n, m)
		if keep[n] {
			r = n
		}
		if r == "" {
			dropped = append(dropped, n)
			continue
		}
		if r != n {
			dropped = append(dropped, n)
		}
		packages = append(packages, r)
	}
	return packages, dropped
}

// appCopies returns the absolute paths the runtime stage copies from the
// build stage: deps, what pip (into /usr/local or a virtualenv) and npm
// -g installed outside the application and the virtualenvs the build
// makes, which change rarely; and app, the jar a java command runs or
// else every directory the stage copies files into, the directory the
// command runs in and what the RUNs fetch or unpack. pruneDir is the
// directory of an npm install of the dependencies, whose dev
// dependencies the build stage should prune. ok is false when a copy's
// destination cannot be told.
func (b *build) appCopies(kind string) (deps, app []string, pruneDir string, ok bool) {
	has := func(pth string) bool {
		for _, c := range append(append([]string(nil), deps...), app...) {
			if c == pth || strings.HasPrefix(pth, c+"/") {
				return true
			}
		}
		return false
	}
	addTo := func(list *[]string) func(string) {
		return func(pth string) {
			if pth == "" || pth == "/" || has(pth) {
				return
			}
			// A path that holds one already listed replaces it.
			for _, l := range []*[]string{&deps, &app} {
				*l = slices.DeleteFunc(*l, func(c string) bool { return strings.HasPrefix(c, pth+"/") })
			}
			*list = append(*list, pth)
		}
	}
	pruneDir = b.installedOutside(addTo(&deps))
	add := addTo(&app)
	if kind == "java" {
		add(javaJar(b))
	}
	if len(app) == 0 {
		dests, ok := copyDestinations(b.st)
		if !ok {
			return nil, nil, "", false
		}
		for _, d := range dests {
			add(d)
		}
		// The directory the command runs in, and what the RUNs fetch
		// or unpack (a git clone of the application, say).
		if b.wd != "" && !systemPath(b.wd) {
			add(b.wd)
		}
		made, ok := b.createdPaths()
		if !ok {
			return nil, nil, "", false
		}
		for _, d := range made {
			add(d)
		}
	}
	return deps, app, pruneDir, true
}

// buildsFromSource reports whether a RUN of the stage runs make,
// ./configure or cmake.
func (b *build) buildsFromSource() bool {
	for _, in := range b.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range b.p.Shell(in) {
			for _, c := range rs.Commands {
				if c.Is("make", "gmake", "cmake", "ninja", "meson") || path.Base(c.Name) == "configure" {
					return true
				}
			}
		}
	}
	return false
}

// removedLater reports whether a RUN of the stage deletes d after the
// command c of in (or in a later RUN).
func (b *build) removedLater(in *dockerfile.Instruction, c *shell.Command, d string) bool {
	after := false
	for _, i := range b.st.Instructions {
		if i == in {
			after = true
		}
		if !after || i.Cmd != "run" {
			continue
		}
		for _, rs := range b.p.Shell(i) {
			ref := c
			if i != in {
				ref = nil
			}
			if rs.RemovesPath(d, ref) {
				return true
			}
		}
	}
	return false
}

// createdPaths returns what the stage's RUNs fetch or unpack outside the
// distribution's directories: git clone targets, tar -C and unzip -d
// directories, curl -o and wget -O files (wherever they go: a tool
// downloaded into /usr/local/bin is needed too). ok is false when one
// cannot be told, or unpacks over the whole system (tar -C /).
func (b *build) createdPaths() ([]string, bool) {
	var out []string
	for _, in := range b.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range b.p.Shell(in) {
			for _, c := range rs.Commands {
				var got []string
				file := false
				switch {
				case c.Is("git") && len(c.Args) > 0 && c.Args[0] == "clone":
					ops := c.Operands()
					switch {
					case len(ops) >= 3:
						got = append(got, ops[2].Value)
					case len(ops) == 2:
						got = append(got, strings.TrimSuffix(path.Base(ops[1].Value), ".git"))
					}
				case c.Is("tar"):
					if d, ok := c.FlagValue("-C", "--directory"); ok {
						got = append(got, d)
					}
				case c.Is("unzip"):
					if d, ok := c.FlagValue("-d"); ok {
						got = append(got, d)
					}
				case c.Is("curl"):
					if o, ok := c.FlagValue("-o", "--output"); ok && o != "-" && o != "/dev/null" {
						got, file = append(got, o), true
					}
				case c.Is("wget"):
					if o, ok := c.FlagValue("-O", "--output-document"); ok && o != "-" && o != "/dev/null" {
						got, file = append(got, o), true
					}
				}
				for _, g := range got {
					d := dockerfile.ResolvePath(c.Dir, g)
					if d != "" && path.IsAbs(d) && b.removedLater(in, c, d) {
						continue // fetched to build, then deleted
					}
					switch {
					case d == "" || strings.ContainsAny(d, "*?[{$`"):
						return nil, false
					case d == "/" || d == "/usr":
						return nil, false
					case strings.HasPrefix(d, "/tmp/") || strings.HasPrefix(d, "/var/tmp/") || d == "/tmp" || strings.HasPrefix(d, "/root"):
					case file || !systemPath(d) || d == "/usr/local" || strings.HasPrefix(d, "/usr/local/") || strings.HasPrefix(d, "/opt/"):
						out = append(out, d)
					}
				}
			}
		}
	}
	return out, true
}

// copyDestinations returns the absolute destinations of the stage's COPY
// and ADD instructions from the build context, in order; ok is false when
// one cannot be told.
func copyDestinations(st *dockerfile.Stage) ([]string, bool) {
	var out []string
	for _, in := range st.Instructions {
		if (in.Cmd == "copy" || in.Cmd == "add") && len(in.Args) >= 2 {
			if _, from := in.Flag("from"); from {
				continue
			}
			d := dockerfile.ResolvePath(in.Workdir(), dockerfile.TrimQuotes(in.Args[len(in.Args)-1]))
			if d == "" {
				return nil, false
			}
			out = append(out, d)
		}
	}
	return out, true
}

// installedOutside calls add, in order, for what the stage's RUNs install
// outside the application: pip's target, npm -g's /usr/local and the
// virtualenvs made. It returns the directory of the last npm install of
// a project's dependencies, "" for none.
func (b *build) installedOutside(add func(string)) (pruneDir string) {
	for _, in := range b.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, op := range packageOps(b.p, in) {
			if dir := pipInstallDir(op); dir != "" {
				add(dir)
			} else if npmGlobalInstall(op) {
				add("/usr/local")
			} else if npmInstallsDependencies(op) {
				pruneDir = op.Command.Dir
			}
		}
		for _, rs := range b.p.Shell(in) {
			for _, c := range rs.Commands {
				if isVenvCreate(c) {
					add(dockerfile.ResolvePath(c.Dir, c.Args[len(c.Args)-1]))
				}
			}
		}
	}
	return pruneDir
}

// appWhy explains the runtime stage of an application.
func appWhy(kind string, packages, dropped, behind, copies []string, prune, base bool) string {
	lang := map[string]string{"python": "Python", "node": "Node.js", "java": "Java"}[kind]
	why := fmt.Sprintf("the %s runtime stage installs only %s", lang, vocab.JoinAnd(packages))
	if len(packages) == 0 {
		why = fmt.Sprintf("the %s runtime stage installs nothing", lang)
	} else if base {
		why = fmt.Sprintf("a base stage installs what the %s application runs (%s) once, for the build and the runtime stage", lang, vocab.JoinAnd(packages))
	}
	if len(behind) > 0 {
		why += fmt.Sprintf("; %s stay%s in the build stage", vocab.JoinAnd(behind), map[bool]string{true: "s", false: ""}[len(behind) == 1])
	}
	var left []string
	for _, d := range dropped {
		if !slices.Contains(behind, d) {
			left = append(left, d)
		}
	}
	if len(left) > 0 && !base {
		why += fmt.Sprintf(" (%s %s neither)", vocab.JoinAnd(left), map[bool]string{true: "goes", false: "go"}[len(left) == 1])
	}
	if len(copies) > 0 {
		why += fmt.Sprintf("; the runtime stage copies %s from the build stage", vocab.JoinAnd(copies))
	}
	if prune {
		why += ", after npm prune --omit=dev drops the dev dependencies"
	}
	return why
}
