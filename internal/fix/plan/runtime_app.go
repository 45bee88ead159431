package plan

import (
	"fmt"
	"path"
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
// base for others) and a stage that builds from source with make or
// configure, whose install goes where the plan cannot see.
func (b *build) planApp(kind string) (runtimeStage, []edit.TextEdit, bool) {
	if kind != "java" && len(b.argv) == 1 || b.buildsFromSource() {
		return runtimeStage{}, nil, false
	}
	rt := runtimeStage{kind: kind, base: b.st.BaseRaw, manager: b.mgr, userFamily: userFamily(b.p, b.st)}
	if rt.userFamily == "none" || rt.userFamily == "" {
		return runtimeStage{}, nil, false
	}
	keep := b.keptTools()
	var dropped []string
	rt.packages, dropped = runtimePackages(b.pkgs, b.mgr, keep)
	if len(b.pkgs) > 0 && b.mgr == "" {
		return runtimeStage{}, nil, false
	}
	copies, pruneDir, ok := b.appCopies(kind)
	if !ok || len(copies) == 0 {
		return runtimeStage{}, nil, false
	}
	if rt.writable, ok = writableDirs(b.p, b.st.Chain(), runUser{name: "app", home: "/home/app", create: true}); !ok {
		return runtimeStage{}, nil, false
	}
	rt.copies = copies
	if b.wd != "/" && b.wd != "" {
		rt.workdir = b.wd
	}
	prune := pruneDir != "" && !keep["npm"]
	if prune {
		rt.pruneAfter, rt.prune = nodePrune(b.st, pruneDir)
	}
	jlink := ""
	if kind == "java" {
		jlink = b.planJlink(&rt)
	}
	rt.why = appWhy(kind, rt.packages, dropped, rt.copies, prune) + jlink
	return rt, nil, true
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
// build stage: the jar a java command runs or else every directory the
// stage copies files into, then what pip (into /usr/local or a
// virtualenv) and npm -g installed, and the virtualenvs the build makes.
// pruneDir is the directory of an npm install of the dependencies, whose
// dev dependencies the build stage should prune. ok is false when a
// copy's destination cannot be told.
func (b *build) appCopies(kind string) (copies []string, pruneDir string, ok bool) {
	add := func(pth string) {
		if pth == "" || pth == "/" {
			return
		}
		for _, c := range copies {
			if c == pth || strings.HasPrefix(pth, c+"/") {
				return
			}
		}
		copies = append(copies, pth)
	}
	if kind == "java" {
		add(javaJar(b))
	}
	if len(copies) == 0 {
		dests, ok := copyDestinations(b.st)
		if !ok {
			return nil, "", false
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
			return nil, "", false
		}
		for _, d := range made {
			add(d)
		}
	}
	pruneDir = b.installedOutside(add)
	return copies, pruneDir, true
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
func appWhy(kind string, packages, dropped, copies []string, prune bool) string {
	lang := map[string]string{"python": "Python", "node": "Node.js", "java": "Java"}[kind]
	why := fmt.Sprintf("the %s runtime stage installs only %s", lang, vocab.JoinAnd(packages))
	if len(packages) == 0 {
		why = fmt.Sprintf("the %s runtime stage installs nothing", lang)
	}
	if len(dropped) > 0 {
		why += fmt.Sprintf(" (not %s)", vocab.JoinAnd(dropped))
	}
	why += fmt.Sprintf(" and copies %s from the build stage", vocab.JoinAnd(copies))
	if prune {
		why += ", after npm prune --omit=dev drops the dev dependencies"
	}
	return why
}
