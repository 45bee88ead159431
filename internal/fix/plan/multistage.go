package plan

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
)

// stageKeep are the instructions that stay in the build stage; the
// others (CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, ...) describe the running
// container and move to the runtime stage.
var stageKeep = map[string]bool{
	"from": true, "run": true, "copy": true, "add": true, "workdir": true, "env": true,
	"arg": true, "user": true, "shell": true,
}

// MultiStage splits a single-stage Dockerfile into a build stage (the
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
//     instead of a JDK, or a runtime jlink links from Debian's JDK),
//     installed without recommends and without caches;
//     Node.js builds that install dependencies prune the dev dependencies.
//
// The runtime stage runs as an unprivileged user (UID 10001) and gets the
// ARG and ENV values, EXPOSE, HEALTHCHECK, CMD and ENTRYPOINT of the
// original, with their comments.
//
// It returns nil for multi-stage files and when what the image runs
// cannot be told (no CMD or ENTRYPOINT, a shell script as the
// command, a binary the build does not produce). The fix is unsafe: files
// the application reads at run time that the build stage does not copy
// over are gone. The caller makes sure st is a Linux stage (the commands
// are POSIX).
func MultiStage(src Input, st *dockerfile.Stage) *edit.Fix {
	p := newPass(src)
	entry, argv, ok := splittable(p.File, st)
	if !ok {
		return edit.Decline(unsplittable(p.File, st))
	}
	if setsUpUsers(p, st) {
		return edit.Decline("the stage sets up users or file ownership, which the runtime stage would not repeat")
	}
	rt, edits, ok := planRuntime(p, st, entry, argv)
	if !ok {
		return edit.Decline(rt.declined)
	}
	if !rt.fits(st, entry) {
		return edit.Decline("a command of the image cannot be written in exec form for scratch, which has no shell")
	}
	sp := &split{f: p.File, st: st, entry: entry, rt: rt, nl: p.File.Newline()}
	lastKept, tailPos, moved, e := sp.moveTail()
	edits = append(edits, e...)
	drops, ok := sp.leanBuild(p, lastKept)
	if !ok {
		// The runtime packages cannot leave the build stage's installs:
		// no base stage, the runtime stage installs its own.
		sp.rt.baseStage = false
	}
	edits = append(edits, drops...)
	name, e := sp.nameBuildStage()
	edits = append(edits, e...)
	stage, e := sp.runtimeStage(name, lastKept)
	edits = append(edits, e...)
	edits = append(edits, edit.TextEdit{Pos: tailPos, End: len(p.File.Source), NewText: stage + moved})
	rt = sp.rt
	return &edit.Fix{
		Message:    "split the build from the runtime: " + rt.why + "; the runtime stage runs as an unprivileged user",
		Unsafe:     true,
		Structural: true,
		Edits:      edits,
	}
}

// splittable returns the instruction that says what a single-stage file
// runs (its last ENTRYPOINT, else its last CMD) and that command's argv,
// when MultiStage can split the file: one stage, on a known base that is
// not scratch, without ONBUILD or heredoc RUNs, whose command can be
// written in exec form.
func splittable(f *dockerfile.File, st *dockerfile.Stage) (*dockerfile.Instruction, []string, bool) {
	if st == nil || len(f.Stages) != 1 || st != f.FinalStage() || st.Base.Scratch || st.Base.Unresolved || dockerfile.HasVariable(st.BaseRaw) {
		return nil, nil, false
	}
	for _, in := range st.Instructions {
		// ONBUILD and heredoc RUNs cannot be placed; a USER of the
		// file's own, and the users and ownership its RUNs set up,
		// would not carry over to the runtime stage.
		if in.Cmd == "onbuild" || in.Cmd == "user" || in.Cmd == "run" && len(in.Heredocs) > 0 {
			return nil, nil, false
		}
	}
	entry := lastOf(st, "entrypoint")
	if entry == nil {
		entry = lastOf(st, "cmd")
	}
	if entry == nil {
		return nil, nil, false
	}
	argv, simple := simpleArgv(entry)
	if !simple {
		return nil, nil, false
	}
	return entry, argv, true
}

// unsplittable says why splittable declines st.
func unsplittable(f *dockerfile.File, st *dockerfile.Stage) string {
	switch {
	case st == nil || len(f.Stages) != 1 || st != f.FinalStage():
		return "the file has several stages already"
	case st.Base.Scratch || st.Base.Unresolved || dockerfile.HasVariable(st.BaseRaw):
		return "the base image cannot be told"
	}
	for _, in := range st.Instructions {
		switch {
		case in.Cmd == "onbuild":
			return "ONBUILD triggers cannot be placed in a build or a runtime stage"
		case in.Cmd == "user":
			return "the file's own USER would not carry over to the runtime stage"
		case in.Cmd == "run" && len(in.Heredocs) > 0:
			return "a heredoc RUN cannot be placed"
		}
	}
	if lastOf(st, "entrypoint") == nil && lastOf(st, "cmd") == nil {
		return "the image has no CMD or ENTRYPOINT: what it runs cannot be told"
	}
	return "the command cannot be written in exec form (a shell script, variables, operators)"
}

// fits reports whether the other CMD and ENTRYPOINT of st can run in the
// runtime stage: scratch has no shell, so there they must be in exec
// form or plain words that can be written in it.
func (rt runtimeStage) fits(st *dockerfile.Stage, entry *dockerfile.Instruction) bool {
	if rt.base != "scratch" {
		return true
	}
	for _, in := range st.Instructions {
		if (in.Cmd == "cmd" || in.Cmd == "entrypoint") && in != entry {
			if _, ok := simpleArgv(in); !ok {
				return false
			}
		}
	}
	return true
}

// split writes MultiStage's edits for one stage and its runtime plan.
type split struct {
	f     *dockerfile.File
	st    *dockerfile.Stage
	entry *dockerfile.Instruction
	rt    runtimeStage
	nl    string
}

// nameBuildStage returns the build stage's name, naming it "build" when
// it has none. With a base stage, the stage is written before the build
// stage's FROM, which then starts from it.
func (sp *split) nameBuildStage() (string, []edit.TextEdit) {
	var edits []edit.TextEdit
	from := sp.st.From
	kw := func(w string) string { return edit.Keyword(from, w) }
	var b strings.Builder
	// stage starts a stage from the build stage's base, with what the
	// package manager reads (DEBIAN_FRONTEND, a proxy) set as there.
	stage := func(name string) {
		fmt.Fprintf(&b, "%s %s %s %s%s", kw("from"), sp.st.BaseRaw, kw("as"), name, sp.nl)
		for _, in := range sp.st.Instructions {
			if (in.Cmd == "arg" || in.Cmd == "env") && installSetting(in) {
				pos, end := edit.Bare(sp.f, in)
				b.WriteString(edit.Lines(sp.f, pos, end))
			}
		}
	}
	if sp.rt.linkStage != "" {
		stage(sp.rt.linkStage)
		b.WriteString(installLine(kw("run"), sp.rt.manager, sp.rt.linkPackages) + " \\" + sp.nl + " && " + jlinkCommand + sp.nl + sp.nl)
	}
	if sp.rt.baseStage {
		stage("base")
		b.WriteString(installLine(kw("run"), sp.rt.manager, sp.rt.packages) + sp.nl + sp.nl)
		if pos, end, ok := imageSpan(sp.f, from, sp.st.BaseRaw); ok {
			edits = append(edits, edit.TextEdit{Pos: pos, End: end, NewText: "base"})
		}
	}
	if b.Len() > 0 {
		at := sp.f.Offset(from.StartLine, 1)
		edits = append([]edit.TextEdit{{Pos: at, End: at, NewText: b.String()}}, edits...)
	}
	if sp.st.Name != "" {
		return sp.st.Name, edits
	}
	at := edit.HeaderTextEnd(sp.f, from)
	return "build", append(edits, edit.TextEdit{Pos: at, End: at, NewText: " " + edit.Keyword(from, "as") + " build"})
}

// installSetting reports whether an ARG or ENV sets what a package
// manager reads: DEBIAN_FRONTEND, the proxies, apt's and pip's settings.
func installSetting(in *dockerfile.Instruction) bool {
	for _, kv := range in.Pairs() {
		k := strings.ToUpper(kv[0])
		if k == "DEBIAN_FRONTEND" || strings.HasSuffix(k, "_PROXY") || strings.HasPrefix(k, "APT_") || k == "TZ" {
			return true
		}
	}
	return false
}

// imageSpan returns the byte range of the image reference raw in the FROM
// instruction's line.
func imageSpan(f *dockerfile.File, from *dockerfile.Instruction, raw string) (int, int, bool) {
	if from.StartLine != from.EndLine || raw == "" {
		return 0, 0, false
	}
	line := f.Lines[from.StartLine-1]
	i := from.Column - 1 + len(from.Keyword)
	if i > len(line) {
		return 0, 0, false
	}
	j := strings.Index(line[i:], raw)
	if j < 0 {
		return 0, 0, false
	}
	pos := f.Offset(from.StartLine, 1) + i + j
	return pos, pos + len(raw), true
}

// leanBuild returns the edits that make the build stage lean: its
// installs leave out the packages of the plan's buildDrop, and the COPYs
// the runtime stage makes itself go. ok is false when a package cannot be
// taken out (the edits then leave every install as it is).
func (sp *split) leanBuild(p *pass, lastKept *dockerfile.Instruction) ([]edit.TextEdit, bool) {
	var edits []edit.TextEdit
	for _, c := range sp.rt.fromContext {
		pos, end := edit.Block(sp.f, c)
		if c == lastKept {
			end = sp.f.LineEnd(c.EndLine)
			pos = max(pos-1, 0)
		}
		edits = append(edits, edit.TextEdit{Pos: pos, End: end})
	}
	if len(sp.rt.buildDrop) == 0 {
		return edits, true
	}
	var drops []edit.TextEdit
	for _, in := range sp.st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		e, why := removePackages(p, in, sp.rt.buildDrop)
		if why != "" {
			return edits, false
		}
		for _, x := range e {
			if in == lastKept && x.End > sp.f.LineEnd(in.EndLine) {
				// The RUN would go entirely, where the runtime stage
				// starts: keep it, with its packages.
				return edits, false
			}
		}
		drops = append(drops, e...)
	}
	return append(edits, drops...), true
}

// moveTail finds the instructions that describe the running container
// (see stageKeep) and the tail of the file they are rewritten in:
// everything after lastKept, the last instruction that stays in the build
// stage. The tail starts at tailPos, the end of the last kept line before
// its line break, so that another fix's insertion before a moved
// instruction overlaps this fix instead of landing in the build stage.
// moved is the tail's new text: the moved instructions with their
// comments and the comment lines that belong to none, in order (blank
// lines go); the edits delete the instructions that move from before the
// tail.
func (sp *split) moveTail() (lastKept *dockerfile.Instruction, tailPos int, moved string, edits []edit.TextEdit) {
	f := sp.f
	for _, in := range sp.st.Instructions {
		if stageKeep[in.Cmd] {
			lastKept = in
		}
	}
	tailPos = f.LineEnd(lastKept.EndLine)
	tailLine := lastKept.EndLine + 1
	var b strings.Builder
	blockAt := map[int]*dockerfile.Instruction{}
	for _, in := range sp.st.Instructions {
		if stageKeep[in.Cmd] {
			continue
		}
		if in.StartLine < tailLine {
			pos, end := edit.Block(f, in)
			edits = append(edits, edit.TextEdit{Pos: pos, End: end})
			b.WriteString(sp.movedText(in))
			continue
		}
		blockAt[edit.CommentStart(f, in)] = in
	}
	for ln := tailLine; ln <= len(f.Lines); ln++ {
		if in, ok := blockAt[ln]; ok {
			b.WriteString(sp.movedText(in))
			ln = in.EndLine
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(f.Lines[ln-1]), "#") {
			b.WriteString(f.Lines[ln-1] + sp.nl)
		}
	}
	return lastKept, tailPos, b.String(), edits
}

// movedText is the text of an instruction that moves to the runtime
// stage, with its comments: the command rewritten in exec form when the
// plan gives it a new argv or the runtime has no shell.
func (sp *split) movedText(in *dockerfile.Instruction) string {
	f := sp.f
	pos, end := edit.Block(f, in)
	argv := sp.rt.argv
	if in != sp.entry || argv == nil {
		argv = nil
		if a, ok := simpleArgv(in); ok && sp.rt.base == "scratch" && !in.JSON && (in.Cmd == "cmd" || in.Cmd == "entrypoint") {
			argv = a
		}
	}
	if argv != nil {
		cpos, _ := edit.Bare(f, in)
		return edit.Lines(f, pos, cpos) + edit.Keyword(in, in.Cmd) + " " + edit.ExecForm(argv) + sp.nl
	}
	return edit.Lines(f, pos, end)
}

// runtimeStage writes the runtime stage up to the moved instructions:
// its FROM, package install, user, the ARG and ENV values, WORKDIR, the
// copies from the build stage name and USER. A prune the plan asks for
// goes at the end of the build stage (the edits insert it there unless
// it follows lastKept, where the stage's text starts).
func (sp *split) runtimeStage(name string, lastKept *dockerfile.Instruction) (string, []edit.TextEdit) {
	f, rt, nl := sp.f, sp.rt, sp.nl
	var edits []edit.TextEdit
	var b strings.Builder
	kw := func(w string) string { return edit.Keyword(sp.st.From, w) }
	b.WriteString(nl)
	if rt.pruneAfter != nil {
		line := edit.Keyword(rt.pruneAfter, "run") + " " + rt.prune + nl
		if rt.pruneAfter == lastKept {
			b.WriteString(line)
		} else {
			at, pre := edit.After(f, rt.pruneAfter)
			edits = append(edits, edit.TextEdit{Pos: at, End: at, NewText: pre + line})
		}
	}
	b.WriteString(nl)
	switch {
	case rt.baseStage:
		fmt.Fprintf(&b, "%s base%s", kw("from"), nl)
	default:
		fmt.Fprintf(&b, "%s %s%s", kw("from"), rt.base, nl)
		if len(rt.packages) > 0 {
			b.WriteString(installLine(kw("run"), rt.manager, rt.packages) + nl)
		}
	}
	for _, in := range sp.st.Instructions {
		if in.Cmd == "arg" || in.Cmd == "env" {
			pos, end := edit.Bare(f, in)
			b.WriteString(edit.Lines(f, pos, end))
		}
	}
	if rt.workdir != "" {
		fmt.Fprintf(&b, "%s %s%s", kw("workdir"), rt.workdir, nl)
	}
	for _, c := range rt.copies {
		from := name
		if c == javaRuntimeDir && rt.linkStage != "" {
			from = rt.linkStage
		}
		fmt.Fprintf(&b, "%s --from=%s %s %s%s", kw("copy"), from, c, c, nl)
	}
	for _, c := range rt.fromContext {
		// The source last: a change to it rebuilds only this layer
		// and the ones after it.
		pos, end := edit.Block(f, c)
		b.WriteString(edit.Lines(f, pos, end))
	}
	if rt.userFamily != "none" {
		cmds := append([]string{userCreate(rt.userFamily, "app")}, rt.writable.commands("app")...)
		b.WriteString(kw("run") + " " + strings.Join(cmds, " \\"+nl+"    && ") + nl)
	}
	if rt.userFamily == "none" {
		fmt.Fprintf(&b, "%s 10001:10001%s", kw("user"), nl)
	} else {
		fmt.Fprintf(&b, "%s app%s", kw("user"), nl)
	}
	return b.String(), edits
}

// setsUpUsers reports whether a RUN of st creates users or groups or
// changes ownership: set-up the runtime stage would not repeat.
func setsUpUsers(p *pass, st *dockerfile.Stage) bool {
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range p.Shell(in) {
			for _, c := range rs.Commands {
				if c.Is("useradd", "adduser", "groupadd", "addgroup", "usermod", "chown", "chgrp") {
					return true
				}
			}
		}
	}
	return false
}

// lastOf returns the last instruction of kind cmd in st.
func lastOf(st *dockerfile.Stage, cmd string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Cmd == cmd {
			last = in
		}
	}
	return last
}

// simpleArgv returns the argv of a CMD or ENTRYPOINT when it can be written in exec form with the same
// meaning: the exec form itself, or a one-line shell form made only of
// plain words (no quotes, variables, globs or operators).
func simpleArgv(in *dockerfile.Instruction) ([]string, bool) {
	if len(in.Flags) > 0 {
		return nil, false
	}
	if in.JSON {
		return append([]string(nil), in.Args...), len(in.Args) > 0
	}
	if len(in.Args) != 1 || len(in.Heredocs) > 0 {
		return nil, false
	}
	words := strings.Fields(in.Args[0])
	if len(words) == 0 {
		return nil, false
	}
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./:=@%+,-", c) >= 0) {
				return nil, false
			}
		}
	}
	return words, true
}
