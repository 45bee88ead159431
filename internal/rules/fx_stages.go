package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// fxRuntime describes the runtime stage fxMultiStage writes.
type fxRuntime struct {
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
	// userFamily says how the runtime creates its user.
	userFamily string
	// prune is a command the build stage runs after pruneAfter (npm
	// prune --omit=dev), when pruneAfter is not nil.
	prune      string
	pruneAfter *dockerfile.Instruction
	why        string
}

// fxStageKeep are the instructions that stay in the build stage; the
// others (CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, ...) describe the running
// container and move to the runtime stage.
var fxStageKeep = map[string]bool{
	"from": true, "run": true, "copy": true, "add": true, "workdir": true, "env": true,
	"arg": true, "user": true, "shell": true,
}

// fxMultiStage splits a single-stage Dockerfile into a build stage (the
// original stage, named build, keeping the toolchain) and a runtime stage
// that receives only what the application runs:
//
//   - Go: the binary, built static (CGO_ENABLED=0), on scratch;
//   - C and C++ built with gcc, cc, clang or make: the binary, linked
//     -static, on scratch;
//   - a BusyBox applet (busybox httpd serving a generated site, say):
//     the directories the command names, on busybox;
//   - Python, Node.js and Java: the application directory (and what pip
//     or npm -g put in /usr/local, or a virtualenv), on the same base with
//     only the runtime packages (no compilers, git, curl, pip or npm; a JRE
//     instead of a JDK), installed without recommends and without caches;
//     Node.js builds that install dependencies prune the dev dependencies.
//
// The runtime stage runs as an unprivileged user (UID 10001) and gets the
// ARG and ENV values, EXPOSE, HEALTHCHECK, CMD and ENTRYPOINT of the
// original, with their comments.
//
// It returns nil for multi-stage files, Windows images, and when what the
// image runs cannot be told (no CMD or ENTRYPOINT, a shell script as the
// command, a binary the build does not produce). The fix is unsafe: files
// the application reads at run time that the build stage does not copy
// over are gone.
func fxMultiStage(p *Pass, st *dockerfile.Stage) *Fix {
	f := p.File
	if st == nil || len(f.Stages) != 1 || st != f.FinalStage() || st.Base.Scratch || st.Base.Unresolved || hasVariable(st.BaseRaw) || isWindowsStage(f, st) {
		return nil
	}
	for _, in := range st.Instructions {
		if in.Cmd == "onbuild" || in.Cmd == "run" && len(in.Heredocs) > 0 {
			return nil
		}
	}
	entry := lastOfFx(st, "entrypoint")
	if entry == nil {
		entry = lastOfFx(st, "cmd")
	}
	if entry == nil {
		return nil
	}
	argv, simple := fxSimpleArgv(entry)
	if !simple {
		return nil
	}
	var edits []TextEdit
	rt, more, ok := fxPlanRuntime(p, st, entry, argv)
	if !ok {
		return nil
	}
	edits = append(edits, more...)
	nl := f.Newline()
	// scratch has no shell: every command must be in exec form there.
	execOnly := rt.base == "scratch"
	for _, in := range st.Instructions {
		if execOnly && (in.Cmd == "cmd" || in.Cmd == "entrypoint") && in != entry {
			if _, ok := fxSimpleArgv(in); !ok {
				return nil
			}
		}
	}

	// Name the build stage.
	name := st.Name
	if name == "" {
		name = "build"
		at := fxHeaderEnd(f, st.From)
		edits = append(edits, TextEdit{Pos: at, End: at, NewText: " " + fxKeyword(st.From, "as") + " build"})
	}

	// The instructions that move, and the tail of the file they are
	// rewritten in: everything after the last instruction that stays.
	var lastKept *dockerfile.Instruction
	for _, in := range st.Instructions {
		if fxStageKeep[in.Cmd] {
			lastKept = in
		}
	}
	// The tail starts at the end of the last kept line, before its line
	// break, so that another fix's insertion before a moved instruction
	// overlaps this fix instead of landing in the build stage.
	tailPos := f.LineEnd(lastKept.EndLine)
	tailLine := lastKept.EndLine + 1
	movedText := func(in *dockerfile.Instruction) string {
		pos, end := fxSpan(f, in)
		argv := rt.argv
		if in != entry || argv == nil {
			argv = nil
			if a, ok := fxSimpleArgv(in); ok && execOnly && !in.JSON && (in.Cmd == "cmd" || in.Cmd == "entrypoint") {
				argv = a
			}
		}
		if argv != nil {
			cpos, _ := fxBareSpan(f, in)
			return fxLines(f, pos, cpos) + fxKeyword(in, in.Cmd) + " " + fxExecForm(argv) + nl
		}
		return fxLines(f, pos, end)
	}
	var moved strings.Builder
	// Instructions that move from before the tail are deleted there.
	blockAt := map[int]*dockerfile.Instruction{}
	for _, in := range st.Instructions {
		if fxStageKeep[in.Cmd] {
			continue
		}
		if in.StartLine < tailLine {
			pos, end := fxSpan(f, in)
			edits = append(edits, TextEdit{Pos: pos, End: end})
			moved.WriteString(movedText(in))
			continue
		}
		blockAt[fxCommentStart(f, in)] = in
	}
	// The tail is rewritten: its instructions with their comments, and
	// the comment lines that belong to none, in order; blank lines go.
	for ln := tailLine; ln <= len(f.Lines); ln++ {
		if in, ok := blockAt[ln]; ok {
			moved.WriteString(movedText(in))
			ln = in.EndLine
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(f.Lines[ln-1]), "#") {
			moved.WriteString(f.Lines[ln-1] + nl)
		}
	}

	// The runtime stage.
	var b strings.Builder
	kw := func(w string) string { return fxKeyword(st.From, w) }
	b.WriteString(nl)
	if rt.pruneAfter != nil {
		line := fxKeyword(rt.pruneAfter, "run") + " " + rt.prune + nl
		if rt.pruneAfter == lastKept {
			b.WriteString(line)
		} else {
			at, pre := fxAfter(f, rt.pruneAfter)
			edits = append(edits, TextEdit{Pos: at, End: at, NewText: pre + line})
		}
	}
	b.WriteString(nl)
	fmt.Fprintf(&b, "%s %s%s", kw("from"), rt.base, nl)
	if len(rt.packages) > 0 {
		b.WriteString(fxInstallLine(kw("run"), rt.manager, rt.packages) + nl)
	}
	if rt.userFamily != "none" {
		b.WriteString(fxUserCreate(rt.userFamily, kw("run")) + nl)
	}
	for _, in := range st.Instructions {
		if in.Cmd == "arg" || in.Cmd == "env" {
			pos, end := fxBareSpan(f, in)
			b.WriteString(fxLines(f, pos, end))
		}
	}
	if rt.workdir != "" {
		fmt.Fprintf(&b, "%s %s%s", kw("workdir"), rt.workdir, nl)
	}
	for _, c := range rt.copies {
		fmt.Fprintf(&b, "%s --from=%s %s %s%s", kw("copy"), name, c, c, nl)
	}
	if rt.userFamily == "none" {
		fmt.Fprintf(&b, "%s 10001:10001%s", kw("user"), nl)
	} else {
		fmt.Fprintf(&b, "%s app%s", kw("user"), nl)
	}
	b.WriteString(moved.String())
	edits = append(edits, TextEdit{Pos: tailPos, End: len(f.Source), NewText: b.String()})

	return &Fix{
		Message: "split the build from the runtime: " + rt.why + "; the runtime stage runs as an unprivileged user",
		Unsafe:  true,
		Edits:   edits,
	}
}

// lastOfFx returns the last instruction of kind cmd in st.
func lastOfFx(st *dockerfile.Stage, cmd string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Cmd == cmd {
			last = in
		}
	}
	return last
}

// fxBuildOutput is a file a RUN of the build stage produces.
type fxBuildOutput struct {
	path string
	cmd  *shell.Command
	rs   *RunScript
	in   *dockerfile.Instruction
	kind string // go or c
}

// fxPlanRuntime decides what the runtime stage holds; more are the edits
// the build stage needs for it (static linking).
func fxPlanRuntime(p *Pass, st *dockerfile.Stage, entry *dockerfile.Instruction, argv []string) (rt fxRuntime, more []TextEdit, ok bool) {
	wd := workdirBefore(entry)
	prog := argv[0]
	base := path.Base(prog)
	pkgs, mgr := fxSystemPackages(p, st)

	// Compiled programs: find what the build writes.
	var outs []fxBuildOutput
	makes := []fxBuildOutput{}
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range p.Shell(in) {
			for _, c := range rs.Commands {
				switch {
				case c.Is("go") && len(c.Args) > 0 && c.Args[0] == "build":
					if o, has := c.FlagValue("-o"); has {
						outs = append(outs, fxBuildOutput{fxResolve(c.Dir, o), c, rs, in, "go"})
					}
				case fxIsCCompiler(c.Base()):
					if o, has := c.FlagValue("-o"); has && !c.HasArgs("-c") {
						outs = append(outs, fxBuildOutput{fxResolve(c.Dir, o), c, rs, in, "c"})
					}
				case c.Is("make", "gmake"):
					makes = append(makes, fxBuildOutput{"", c, rs, in, "c"})
				}
			}
		}
	}
	target := ""
	switch {
	case path.IsAbs(prog):
		target = path.Clean(prog)
	case strings.Contains(prog, "/"):
		target = fxResolve(wd, prog)
	}
	var out *fxBuildOutput
	for i := range outs {
		o := &outs[i]
		if o.path == "" {
			continue
		}
		if target != "" && o.path == target || target == "" && path.Base(o.path) == base && fxOnPath(path.Dir(o.path)) {
			out = o
		}
	}
	if out == nil && len(makes) > 0 && target != "" && fxBuiltInSource(st, target) {
		out = &fxBuildOutput{path: target, kind: "c"}
	}
	if out != nil {
		static, edits, ok := fxStaticEdits(p, st, out, outs, makes)
		if !ok {
			return rt, nil, false
		}
		for _, in := range st.Instructions {
			if in.Cmd == "healthcheck" {
				return rt, nil, false // nothing to run it with on scratch
			}
		}
		newArgv := append([]string{out.path}, argv[1:]...)
		lang := map[string]string{"go": "the Go binary", "c": "the C binary"}[out.kind]
		return fxRuntime{
			kind: out.kind, base: "scratch", copies: fxWithCerts(out.path, pkgs), argv: newArgv, userFamily: "none",
			why: fmt.Sprintf("%s (%s) is copied alone onto scratch, leaving the compiler, the package lists and the distribution behind", lang, static),
		}, edits, true
	}

	if base == "busybox" {
		var copies []string
		for _, a := range argv[1:] {
			if path.IsAbs(a) && !fxSystemDir(a) {
				copies = append(copies, path.Clean(a))
			}
		}
		if len(copies) == 0 {
			return rt, nil, false
		}
		return fxRuntime{kind: "busybox", base: "busybox:latest", copies: copies, argv: argv, userFamily: "none",
			why: fmt.Sprintf("the command is a BusyBox applet, so %s is served from the busybox image alone, without the distribution and the tools that generated it", joinAnd(copies)),
		}, nil, true
	}

	kind := ""
	switch {
	case base == "python" || strings.HasPrefix(base, "python3") || strings.HasPrefix(base, "python2") ||
		base == "gunicorn" || base == "uwsgi" || base == "uvicorn" || base == "flask":
		kind = "python"
	case base == "node" || base == "nodejs" || base == "npm" || base == "yarn" || base == "yarnpkg":
		kind = "node"
	case base == "java":
		kind = "java"
	default:
		return rt, nil, false
	}
	rt = fxRuntime{kind: kind, base: st.BaseRaw, manager: mgr, argv: nil, workdir: "", userFamily: fxUserFamily(p, st)}
	if rt.userFamily == "none" {
		return rt, nil, false
	}
	keepTool := map[string]bool{}
	if base == "npm" {
		keepTool["npm"] = true
	}
	if base == "yarn" || base == "yarnpkg" {
		keepTool["yarnpkg"] = true
	}
	for _, in := range st.Instructions {
		if in.Cmd == "healthcheck" {
			for _, t := range []string{"curl", "wget"} {
				if strings.Contains(in.Original, t) {
					keepTool[t] = true
				}
			}
		}
	}
	var dropped []string
	for _, n := range pkgs {
		r := fxRuntimePackage(n)
		if keepTool[n] {
			r = n
		}
		if r == "" {
			dropped = append(dropped, n)
			continue
		}
		if r != n {
			dropped = append(dropped, n)
		}
		rt.packages = append(rt.packages, r)
	}
	if len(pkgs) > 0 && mgr == "" {
		return rt, nil, false
	}

	// What to copy: the application directories, and what language
	// package managers installed outside them.
	var copies []string
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
		if jar := fxJarArg(argv); jar != "" {
			add(fxResolve(wd, jar))
		}
	}
	if len(copies) == 0 {
		for _, in := range st.Instructions {
			if (in.Cmd == "copy" || in.Cmd == "add") && len(in.Args) >= 2 {
				if _, from := in.Flag("from"); from {
					continue
				}
				d := fxResolve(workdirBefore(in), dropQuotes(in.Args[len(in.Args)-1]))
				if d == "" {
					return rt, nil, false
				}
				add(d)
			}
		}
	}
	var pruneDir string
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, op := range fxPackageOps(p, in) {
			switch {
			case op.Manager == shell.Pip && op.Action == shell.ActionInstall && !op.HasFlag("--user", "-t", "--target", "--prefix", "--root"):
				if venv := fxVenv(op); venv != "" {
					add(venv)
				} else {
					add("/usr/local")
				}
			case (op.Manager == shell.Npm || op.Manager == shell.Yarn) && op.Action == shell.ActionInstall && op.HasFlag("-g", "--global"):
				add("/usr/local")
			case op.Manager == shell.Npm && op.Action == shell.ActionInstall && len(op.Packages) == 0 && !op.HasFlag("--omit", "--production", "--only"):
				pruneDir = op.Command.Dir
			}
		}
		for _, rs := range p.Shell(in) {
			for _, c := range rs.Commands {
				if (c.Is("python3", "python") || strings.HasPrefix(c.Base(), "python3")) && len(c.Args) >= 3 && c.Args[0] == "-m" && (c.Args[1] == "venv" || c.Args[1] == "virtualenv") {
					add(fxResolve(c.Dir, c.Args[len(c.Args)-1]))
				}
			}
		}
	}
	if len(copies) == 0 {
		return rt, nil, false
	}
	rt.copies = copies
	if wd != "/" && wd != "" {
		rt.workdir = wd
	}
	if pruneDir != "" && !keepTool["npm"] {
		rt.pruneAfter = lastOfFx(st, "run")
		rt.prune = "npm prune --omit=dev"
		if workdirBefore(rt.pruneAfter) != pruneDir {
			rt.prune = "cd " + pruneDir + " && npm prune --omit=dev"
		}
	}
	lang := map[string]string{"python": "Python", "node": "Node.js", "java": "Java"}[kind]
	rt.why = fmt.Sprintf("the %s runtime stage installs only %s", lang, joinAnd(rt.packages))
	if len(rt.packages) == 0 {
		rt.why = fmt.Sprintf("the %s runtime stage installs nothing", lang)
	}
	if len(dropped) > 0 {
		rt.why += fmt.Sprintf(" (not %s)", joinAnd(dropped))
	}
	rt.why += fmt.Sprintf(" and copies %s from the build stage", joinAnd(copies))
	if pruneDir != "" && !keepTool["npm"] {
		rt.why += ", after npm prune --omit=dev drops the dev dependencies"
	}
	return rt, more, true
}

// fxStaticEdits makes the build of out produce a static binary: Go with
// CGO_ENABLED=0, gcc and friends with -static, make with LDFLAGS=-static.
// It describes what it did.
func fxStaticEdits(p *Pass, st *dockerfile.Stage, out *fxBuildOutput, outs, makes []fxBuildOutput) (string, []TextEdit, bool) {
	f := p.File
	var edits []TextEdit
	insert := func(o fxBuildOutput, off int, text string) bool {
		m, ok := fxScriptOffset(f, o.in, o.rs)
		if !ok {
			return false
		}
		pos := m(off)
		edits = append(edits, TextEdit{Pos: pos, End: pos, NewText: text})
		return true
	}
	if out.kind == "go" {
		envOff := false
		for _, in := range st.Instructions {
			if in.Cmd == "env" || in.Cmd == "arg" {
				for _, kv := range keyValues(in) {
					if kv[0] == "CGO_ENABLED" && dropQuotes(kv[1]) == "0" {
						envOff = true
					}
				}
			}
		}
		for _, o := range outs {
			if o.kind != "go" {
				continue
			}
			if v, ok := o.rs.Env(o.cmd, "CGO_ENABLED"); envOff || ok && v == "0" {
				continue
			}
			if o.cmd.Sudo || !insert(o, o.cmd.Pos.Offset, "CGO_ENABLED=0 ") {
				return "", nil, false
			}
		}
		return "static, CGO_ENABLED=0", edits, true
	}
	for _, o := range outs {
		if o.kind != "c" || o.cmd.HasFlag("-static") {
			continue
		}
		if !insert(o, o.cmd.NameWord.End.Offset, " -static") {
			return "", nil, false
		}
	}
	for _, o := range makes {
		set := false
		for _, a := range o.cmd.Args {
			if strings.HasPrefix(a, "LDFLAGS=") {
				set = strings.Contains(a, "-static")
				if !set {
					return "", nil, false
				}
			}
		}
		if !set && !insert(o, o.cmd.End.Offset, " LDFLAGS=-static") {
			return "", nil, false
		}
	}
	return "linked -static", edits, true
}

func fxIsCCompiler(name string) bool {
	switch name {
	case "gcc", "cc", "clang", "g++", "c++", "clang++", "musl-gcc":
		return true
	}
	return strings.HasPrefix(name, "gcc-") || strings.HasPrefix(name, "g++-") || strings.HasPrefix(name, "clang-")
}

// fxOnPath reports whether dir is on the default PATH.
func fxOnPath(dir string) bool {
	switch dir {
	case "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin":
		return true
	}
	return false
}

// fxSystemDir reports whether p belongs to the distribution rather than
// to the application.
func fxSystemDir(p string) bool {
	for _, d := range []string{"/bin", "/sbin", "/usr", "/etc", "/lib", "/proc", "/sys", "/dev", "/tmp", "/run", "/var/run"} {
		if p == d || strings.HasPrefix(p, d+"/") {
			return !strings.HasPrefix(p, "/usr/local/") && !strings.HasPrefix(p, "/usr/share/nginx/")
		}
	}
	return false
}

// fxBuiltInSource reports whether target lies in a directory the stage
// copies the context into (where make writes its output).
func fxBuiltInSource(st *dockerfile.Stage, target string) bool {
	for _, in := range st.Instructions {
		if (in.Cmd == "copy" || in.Cmd == "add") && len(in.Args) >= 2 && copiesWholeContextFx(in) {
			d := fxResolve(workdirBefore(in), dropQuotes(in.Args[len(in.Args)-1]))
			if _, ok := fxUnder(d, target); ok {
				return true
			}
		}
	}
	return false
}

// fxWithCerts adds the CA bundle to the copies when the build installs
// ca-certificates: a static binary on scratch needs it for TLS.
func fxWithCerts(bin string, pkgs []string) []string {
	for _, n := range pkgs {
		if n == "ca-certificates" {
			return []string{bin, "/etc/ssl/certs/ca-certificates.crt"}
		}
	}
	return []string{bin}
}

// fxJarArg returns the jar a java command runs (-jar X).
func fxJarArg(argv []string) string {
	for i, a := range argv {
		if a == "-jar" && i+1 < len(argv) {
			return argv[i+1]
		}
	}
	return ""
}

// fxVenv returns the virtualenv a pip command installs into when it is
// run as VENV/bin/pip, or "".
func fxVenv(op *shell.PackageOp) string {
	prog := op.Command.Name
	if i := strings.Index(prog, "/bin/"); i > 0 && path.IsAbs(prog) {
		return prog[:i]
	}
	return ""
}
