package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// How MultiStage decides what the runtime stage holds. planRuntime looks
// at what the single stage builds and what its command runs, and hands
// over to the planner for that kind of program: a compiled binary (Go in
// runtime_go.go, C and C++ in runtime_c.go) goes alone onto scratch, a
// BusyBox applet (runtime_busybox.go) onto busybox, and an application
// run by an interpreter or a VM (runtime_app.go, with what is particular
// to Python, Node.js and Java in runtime_python.go, runtime_node.go and
// runtime_java.go) onto the same base with only its runtime packages.

// runtimeStage describes the runtime stage multiStage writes.
type runtimeStage struct {
	kind string // go, c, busybox, python, node, java
	base string // FROM of the runtime stage
	// packages are the distribution packages the runtime stage installs
	// with manager.
	packages []string
	manager  shell.Manager
	// copies are the absolute paths copied from the build stage.
	copies []string
	// argv replaces the CMD or ENTRYPOINT argv when non-nil (exec form).
	argv []string
	// workdir is the runtime stage's WORKDIR, "" for none.
	workdir string
	// userFamily says how the runtime creates its user; writable are
	// the directories the user is given.
	userFamily string
	writable   writable
	// prune is a command the build stage runs after pruneAfter (npm
	// prune --omit=dev), when pruneAfter is not nil.
	prune      string
	pruneAfter *dockerfile.Instruction
	// linkStage, when set, is the name of a stage of its own, from the
	// build stage's base, that installs linkPackages (the headless JDK)
	// and links the Java runtime (see planJlink); the runtime stage
	// copies javaRuntimeDir from it.
	linkStage    string
	linkPackages []string
	// baseStage puts the runtime packages in a stage of their own that
	// the build stage and the runtime stage both start from; buildDrop
	// are the packages the build stage's installs leave out (the base
	// stage's, and those no build step uses).
	baseStage bool
	buildDrop map[string]bool
	// fromContext are the COPYs of the build context no build step
	// reads: the runtime stage makes them itself, after the copies from
	// the build stage, and the build stage loses them.
	fromContext []*dockerfile.Instruction
	why         string
	// declined says why no runtime stage can be planned (when the
	// planner's ok is false).
	declined string
}

// build is what the runtime planners know about the stage being split.
type build struct {
	p     *pass
	st    *dockerfile.Stage
	entry *dockerfile.Instruction // the CMD or ENTRYPOINT that says what runs
	argv  []string                // its argv
	wd    string                  // the WORKDIR in force at entry
	base  string                  // the program's base name
	// pkgs are the distribution packages the stage installs with mgr.
	pkgs []string
	mgr  shell.Manager
}

// buildOutput is a file a RUN of the build stage produces.
type buildOutput struct {
	path string
	cmd  *shell.Command
	rs   *edit.Script
	in   *dockerfile.Instruction
	kind string // go or c
}

// planRuntime decides what the runtime stage holds; the edits are what
// the build stage needs for it (static linking). ok is false when no
// planner can tell what the image runs.
func planRuntime(p *pass, st *dockerfile.Stage, entry *dockerfile.Instruction, argv []string) (runtimeStage, []edit.TextEdit, bool) {
	pkgs, mgr := systemPackages(p, st)
	b := &build{p: p, st: st, entry: entry, argv: argv, wd: entry.Workdir(), base: path.Base(argv[0]), pkgs: pkgs, mgr: mgr}
	if out, outs, makes := b.compiledOutput(); out != nil {
		return b.leanCompiled(b.planCompiled(out, outs, makes))
	}
	if b.base == "busybox" {
		return b.leanCompiled(b.planBusybox())
	}
	if kind := appKind(b.base); kind != "" {
		return b.planApp(kind)
	}
	return runtimeStage{declined: "what the command runs is neither a binary the build compiles nor a Python, Node.js, Java or BusyBox program"}, nil, false
}

// leanCompiled makes the build stage of a program that runs alone (on
// scratch or busybox) install only what its build commands use: the
// tools nothing runs and the programs only the container runs (busybox
// for busybox httpd) leave its installs.
func (b *build) leanCompiled(rt runtimeStage, edits []edit.TextEdit, ok bool) (runtimeStage, []edit.TextEdit, bool) {
	if !ok {
		return rt, edits, ok
	}
	use := stageUse(b.p, b.st)
	rt.buildDrop = map[string]bool{}
	for _, n := range b.pkgs {
		if !use.usedByBuild(n, b.runtimeCommands()) {
			rt.buildDrop[n] = true
		}
	}
	return rt, edits, ok
}

// compiledOutput finds the binary the command runs among the files the
// stage's RUNs compile (go build -o, cc -o) and, failing that, a program
// make builds in the copied source. outs are all the compiled files and
// makes the make runs, which the static-linking edits need.
func (b *build) compiledOutput() (out *buildOutput, outs, makes []buildOutput) {
	outs, makes = b.compiled()
	prog := b.argv[0]
	target := ""
	switch {
	case path.IsAbs(prog):
		target = path.Clean(prog)
	case strings.Contains(prog, "/"):
		target = dockerfile.ResolvePath(b.wd, prog)
	}
	for i := range outs {
		o := &outs[i]
		if o.path == "" {
			continue
		}
		if target != "" && o.path == target || target == "" && path.Base(o.path) == b.base && onPath(path.Dir(o.path)) {
			out = o
		}
	}
	if out == nil && len(makes) > 0 && target != "" && builtInSource(b.st, target) {
		out = &buildOutput{path: target, kind: "c"}
	}
	return out, outs, makes
}

// compiled returns the files the stage's RUNs compile with go build or a
// C compiler, and its make runs.
func (b *build) compiled() (outs, makes []buildOutput) {
	makes = []buildOutput{}
	for _, in := range b.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range b.p.Shell(in) {
			for _, c := range rs.Commands {
				switch {
				case isGoBuild(c):
					if o, ok := goOutput(c, rs, in); ok {
						outs = append(outs, o)
					}
				case isCCompiler(c.Base()):
					if o, ok := cOutput(c, rs, in); ok {
						outs = append(outs, o)
					}
				case c.Is("make", "gmake"):
					makes = append(makes, buildOutput{"", c, rs, in, "c"})
				}
			}
		}
	}
	return outs, makes
}

// planCompiled puts the compiled binary out alone on scratch, built
// static (see goStatic and cStatic), with the CA bundle when the build
// installs one.
func (b *build) planCompiled(out *buildOutput, outs, makes []buildOutput) (runtimeStage, []edit.TextEdit, bool) {
	var static string
	var edits []edit.TextEdit
	var ok bool
	if out.kind == "go" {
		if slim, why := b.prebuiltGoRuntime(); slim != "" {
			return b.onSlim(out, slim, why)
		}
		static, edits, ok = goStatic(b, outs)
	} else {
		static, edits, ok = cStatic(b, outs, makes)
	}
	if !ok {
		return runtimeStage{declined: "the build cannot be made to link the program statically (LDFLAGS set, sudo, a script strata cannot place)"}, nil, false
	}
	if lastOf(b.st, "healthcheck") != nil {
		return runtimeStage{declined: "the HEALTHCHECK would have nothing to run on scratch"}, nil, false
	}
	if w, ok := writableDirs(b.p, b.st.Chain(), runUser{uid: newUID}); !ok || w.written() {
		return runtimeStage{declined: "the program writes directories that no RUN on scratch could hand over"}, nil, false
	}
	newArgv := append([]string{out.path}, b.argv[1:]...)
	lang := map[string]string{"go": "the Go binary", "c": "the C binary"}[out.kind]
	return runtimeStage{
		kind: out.kind, base: "scratch", copies: withCerts(out.path, b.pkgs), argv: newArgv, userFamily: "none",
		why: fmt.Sprintf("%s (%s) is copied alone onto scratch, leaving the compiler, the package lists and the distribution behind", lang, static),
	}, edits, true
}

// prebuiltGoRuntime returns the slim image of the stage's distribution
// release when its Go comes from that release's golang-go package and is
// older than Go 1.20 (Debian 12's 1.19, Ubuntu 22.04's 1.18): such a Go
// ships its standard library prebuilt for cgo, so a static build for
// scratch (CGO_ENABLED=0) recompiles much of it and the cold build gets
// slower, while the dynamic binary runs on the slim image, which has the
// C library. It returns "" otherwise; why explains the choice.
func (b *build) prebuiltGoRuntime() (slim, why string) {
	fromApt := false
	for _, n := range b.pkgs {
		if n == "golang-go" || n == "golang" || strings.HasPrefix(n, "golang-1") && strings.HasSuffix(n, "-go") {
			fromApt = true
		}
	}
	if !fromApt || b.mgr != shell.AptGet || b.cgoOff() {
		return "", ""
	}
	chain := b.st.Chain()
	base := chain[len(chain)-1].Base
	if base.Digest != "" || base.Registry != "" {
		return "", ""
	}
	repo, tag := strings.ToLower(base.Repository), strings.ToLower(base.Tag)
	v, slimTag := "", ""
	switch {
	case repo == "debian" && (tag == "bookworm" || tag == "12" || tag == "bookworm-slim" || tag == "12-slim"):
		v, slimTag = "1.19", "debian:bookworm-slim"
	case repo == "debian" && (tag == "bullseye" || tag == "11" || tag == "bullseye-slim" || tag == "11-slim"):
		v, slimTag = "1.15", "debian:bullseye-slim"
	case repo == "ubuntu" && (tag == "22.04" || tag == "jammy"):
		v, slimTag = "1.18", "ubuntu:"+tag
	case repo == "ubuntu" && (tag == "20.04" || tag == "focal"):
		v, slimTag = "1.13", "ubuntu:"+tag
	default:
		return "", ""
	}
	return slimTag, fmt.Sprintf("the distribution's Go %s has its standard library prebuilt for cgo, so the binary stays as built (a static build for scratch would recompile the library) and runs on %s, which has the C library it loads", v, slimTag)
}

// cgoOff reports whether the file turns cgo off itself (an ENV or ARG,
// or every go build's own environment): the build recompiles the
// standard library whatever the runtime.
func (b *build) cgoOff() bool {
	for _, in := range b.st.Instructions {
		if in.Cmd == "env" || in.Cmd == "arg" {
			for _, kv := range in.Pairs() {
				if kv[0] == "CGO_ENABLED" && dockerfile.TrimQuotes(kv[1]) == "0" {
					return true
				}
			}
		}
	}
	outs, _ := b.compiled()
	off, any := true, false
	for _, o := range outs {
		if o.kind != "go" {
			continue
		}
		any = true
		if v, ok := o.rs.Env(o.cmd, "CGO_ENABLED"); !ok || v != "0" {
			off = false
		}
	}
	return any && off
}

// onSlim puts the binary out alone on the slim image of the stage's
// distribution, as the numeric user (no RUN: nothing to install).
func (b *build) onSlim(out *buildOutput, slim, why string) (runtimeStage, []edit.TextEdit, bool) {
	if w, ok := writableDirs(b.p, b.st.Chain(), runUser{uid: newUID}); !ok || w.written() {
		return runtimeStage{declined: "the program writes directories that no RUN on the runtime stage hands over"}, nil, false
	}
	return runtimeStage{
		kind: out.kind, base: slim, copies: withCerts(out.path, b.pkgs), argv: append([]string{out.path}, b.argv[1:]...), userFamily: "none",
		why: "the Go binary is copied alone onto " + slim + ", leaving the compiler and the package lists behind: " + why,
	}, nil, true
}

// insertAt returns the edit that inserts text at offset off of the
// script of o's RUN; ok is false when the script cannot be located.
func insertAt(f *dockerfile.File, o buildOutput, off int, text string) (edit.TextEdit, bool) {
	m, ok := edit.ShellFormOffsets(f, o.in, o.rs)
	if !ok {
		return edit.TextEdit{}, false
	}
	pos := m(off)
	return edit.TextEdit{Pos: pos, End: pos, NewText: text}, true
}

// onPath reports whether dir is on the default PATH.
func onPath(dir string) bool {
	switch dir {
	case "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin":
		return true
	}
	return false
}

// builtInSource reports whether target lies in a directory the stage
// copies the context into (where make writes its output).
func builtInSource(st *dockerfile.Stage, target string) bool {
	for _, in := range st.Instructions {
		if (in.Cmd == "copy" || in.Cmd == "add") && len(in.Args) >= 2 && copiesWholeContext(in) {
			d := dockerfile.ResolvePath(in.Workdir(), dockerfile.TrimQuotes(in.Args[len(in.Args)-1]))
			if _, ok := under(d, target); ok {
				return true
			}
		}
	}
	return false
}

// withCerts adds the CA bundle to the copies when the build installs
// ca-certificates: a static binary on scratch needs it for TLS.
func withCerts(bin string, pkgs []string) []string {
	for _, n := range pkgs {
		if n == "ca-certificates" {
			return []string{bin, "/etc/ssl/certs/ca-certificates.crt"}
		}
	}
	return []string{bin}
}
