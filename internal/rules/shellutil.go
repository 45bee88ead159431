package rules

import (
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/pmap"
	"github.com/stratatools/strata/internal/shell"
)

// The shell model of the rules that read RUN: every POSIX-shell RUN
// with its parsed scripts, its SHELL and the ARG and ENV variables in
// force, computed once per file (facts shared by the rules of a run).

// shRun is one RUN to judge: a RUN of a stage, or the RUN an ONBUILD
// triggers.
type shRun struct {
	// outer is the top-level instruction findings are reported on (the
	// ONBUILD for a trigger).
	outer *dockerfile.Instruction
	// run is the RUN itself (the trigger of an ONBUILD).
	run *dockerfile.Instruction
	// scripts are the parsed shell scripts of the RUN.
	scripts []*edit.Script
	// stage is the stage the instruction belongs to.
	stage *dockerfile.Stage
	// onbuild is true for an ONBUILD RUN: it runs in images built FROM
	// this one, so it always ships.
	onbuild bool
	// shell is the SHELL argv in force.
	shell []string
	// declared are the ARG and ENV names in force.
	declared declaredSet
	// vars looks up the values of the ARG and ENV variables in force.
	vars *shVars
}

// shellRuns returns every RUN and ONBUILD RUN of the file whose shell is
// POSIX shell and parsed, in source order: those of the prelude (see
// prelude.go; run by the default shell, with no variables declared) and
// those of the stages.
func shellRuns(p *Pass) []shRun {
	return Memo(p, shellRunsKey, func() []shRun { return computeShellRuns(p) })
}

// shellRunsKey and shIndexKey name the file's shell runs and shIndex
// among the facts shared by the rules of a run.
var (
	shellRunsKey = NewKey[[]shRun]("shell runs")
	shIndexKey   = NewKey[*shIndex]("shell index")
)

// shIndexOf returns the file's shIndex, computed once per lint run.
func shIndexOf(p *Pass) *shIndex {
	return Memo(p, shIndexKey, func() *shIndex { return newShIndex(p.File) })
}

func computeShellRuns(p *Pass) []shRun {
	idx := shIndexOf(p)
	var out []shRun
	for _, st := range stagesWithPrelude(p) {
		for _, in := range st.Instructions {
			run := in
			if in.Trigger != nil {
				run = in.Trigger
			}
			if run.Cmd != "run" || run.JSON {
				continue
			}
			sh, ok := idx.shell[in]
			if !ok {
				sh = dockerfile.DefaultShell() // the prelude
			}
			if !shell.IsPOSIXShell(sh) {
				continue
			}
			scripts := p.Shell(in)
			if len(scripts) == 0 {
				continue
			}
			out = append(out, shRun{outer: in, run: run, scripts: scripts, stage: st, onbuild: run != in,
				shell: sh, declared: idx.declared[in], vars: idx.varsAt(in)})
		}
	}
	return out
}

// declaredSet is the set of ARG and ENV names in force at one
// instruction, each with its place in declaration order: the ENV names
// the stage inherits (a persistent map shared with the stage it is built
// FROM) and the stage's own names declared so far (a map shared by the
// stage's instructions, where a name counts when its place is below
// upto). A chain of stages costs time linear in its length.
type declaredSet struct {
	base pmap.Map[int]
	own  map[string]int
	upto int
}

// Get returns the place of name in declaration order, if it is declared.
func (d declaredSet) Get(name string) (int, bool) {
	if o, ok := d.own[name]; ok && o < d.upto {
		return o, true
	}
	return d.base.Get(name)
}

// Range calls fn for every name declared.
func (d declaredSet) Range(fn func(name string)) {
	d.base.Range(func(n string, _ int) bool {
		fn(n)
		return true
	})
	for n, o := range d.own {
		if o < d.upto && !d.base.Has(n) {
			fn(n)
		}
	}
}

// shIndex holds, for every instruction of a file, the SHELL in force and
// the ARG and ENV names declared before it, computed in one pass.
type shIndex struct {
	shell    map[*dockerfile.Instruction][]string
	declared map[*dockerfile.Instruction]declaredSet
	// pos is each instruction's position in its stage and timeline its
	// stage's variable assignments.
	pos      map[*dockerfile.Instruction]int
	timeline map[*dockerfile.Stage]*varTimeline
}

// newShIndex walks the stages in order. SHELL and ENV are part of the
// image configuration, so a stage starts with those of the stage it is
// built FROM; ARGs are not inherited.
func newShIndex(f *dockerfile.File) *shIndex {
	idx := &shIndex{shell: map[*dockerfile.Instruction][]string{}, declared: map[*dockerfile.Instruction]declaredSet{},
		pos: map[*dockerfile.Instruction]int{}, timeline: map[*dockerfile.Stage]*varTimeline{}}
	globals := globalArgValues(f)
	endShell := map[*dockerfile.Stage][]string{}
	// endEnv holds, for each stage used as a base, its ENV names at its
	// end, each with its place in declaration order (ord counts up).
	endEnv := map[*dockerfile.Stage]pmap.Map[int]{}
	ord := 0
	for _, st := range f.Stages {
		var sh []string
		var base pmap.Map[int]
		if b := st.BaseStage; b != nil && b != st {
			sh = endShell[b]
			base = endEnv[b]
		}
		if sh == nil {
			sh = dockerfile.DefaultShell()
			if isWindowsImage(rootBase(st)) {
				sh = []string{"cmd", "/S", "/C"}
			}
		}
		tl := &varTimeline{events: map[string][]varEvent{}}
		if b := st.BaseStage; b != nil && b != st && idx.timeline[b] != nil {
			tl.base = idx.timeline[b].envAtEnd()
		}
		idx.timeline[st] = tl
		own, ownEnv := map[string]int{}, map[string]int{}
		var envOrder []string
		declare := func(n string) {
			if _, ok := own[n]; !ok && !base.Has(n) {
				ord++
				own[n] = ord
			}
		}
		declareEnv := func(n string) {
			if _, ok := ownEnv[n]; !ok && !base.Has(n) {
				ord++
				ownEnv[n] = ord
				envOrder = append(envOrder, n)
			}
		}
		for i, in := range st.Instructions {
			idx.pos[in] = i
			idx.shell[in] = sh
			idx.declared[in] = declaredSet{base: base, own: own, upto: ord + 1}
			switch in.Cmd {
			case "shell":
				if in.JSON && len(in.Args) > 0 {
					sh = in.Args
				}
			case "env":
				for _, kv := range in.Pairs() {
					val, _ := dockerfile.ExpandArgs(unquoteValue(kv[1]), tl.at(i).lookup)
					tl.add(kv[0], varEvent{pos: i, value: val, known: true, env: true})
					declare(kv[0])
					declareEnv(kv[0])
				}
			case "arg":
				for _, a := range in.Args {
					n, def, hasDef := strings.Cut(a, "=")
					declare(n)
					if tl.isEnv(n, i) {
						continue // ENV takes precedence over ARG
					}
					ev := varEvent{pos: i}
					if hasDef {
						ev.value, _ = dockerfile.ExpandArgs(unquoteValue(def), tl.at(i).lookup)
						ev.known = true
					} else if g, ok := globals[n]; ok {
						ev.value, ev.known = g, true
					}
					tl.add(n, ev)
				}
			}
		}
		endShell[st] = sh
		if f.UsedAsBase(st) {
			env := base
			for _, n := range envOrder {
				env = env.Set(n, ownEnv[n])
			}
			endEnv[st] = env
		}
	}
	return idx
}

// ops returns the package-manager invocations of every script of the RUN
// with the given action ("" for any) and managers (none for any).
func (r shRun) ops(action shell.Action, ms ...shell.Manager) []*shellOp {
	var out []*shellOp
	for _, sc := range r.scripts {
		for _, op := range sc.PackageOpsFor(action, ms...) {
			out = append(out, &shellOp{PackageOp: op, script: sc})
		}
	}
	return out
}

// find returns the commands named one of names in every script of the
// RUN.
func (r shRun) find(names ...string) []*shellCmd {
	var out []*shellCmd
	for _, sc := range r.scripts {
		for _, c := range sc.Find(names...) {
			out = append(out, &shellCmd{Command: c, script: sc})
		}
	}
	return out
}

// prefix is "ONBUILD " for a trigger, for messages.
func (r shRun) prefix() string { return triggerPrefix(r.run, r.outer) }

// mounts returns the RUN's --mount flags.
func (r shRun) mounts() []dockerfile.Mount { return r.run.Mounts() }

// shellOp is a package-manager invocation with the script it belongs to.
type shellOp struct {
	*shell.PackageOp
	script *edit.Script
}

// shellCmd is a command with the script it belongs to.
type shellCmd struct {
	*shell.Command
	script *edit.Script
}

// ships reports whether what a RUN leaves in its stage's filesystem can
// end up in an image someone runs: the stage is the final one or one it is
// built FROM, or a later stage is built FROM it, or the RUN is an ONBUILD
// trigger (it runs in the images built on this one). Stages only read with
// COPY --from do not ship their caches. The prelude counts as the image
// only in a file without any FROM, as in hadolint's DL3009 and DL3060.
func (r shRun) ships(f *dockerfile.File) bool {
	if r.onbuild || r.stage == nil {
		return true
	}
	if isPrelude(r.stage) {
		return len(f.Stages) == 0
	}
	return f.Inherited(r.stage) || f.UsedAsBase(r.stage)
}

// hasCacheMount reports whether the RUN mounts a BuildKit cache or tmpfs
// at one of dirs or below it (the mount keeps the directory out of the
// image layer).
func (r shRun) hasCacheMount(dirs ...string) bool {
	for _, m := range r.mounts() {
		if m.Type != "cache" && m.Type != "tmpfs" {
			continue
		}
		t := path.Clean("/" + strings.Trim(m.Target, `"'`))
		for _, d := range dirs {
			if t == d || strings.HasPrefix(t, d+"/") {
				return true
			}
		}
	}
	return false
}

// hasCacheMountAbove reports whether the RUN mounts a cache or tmpfs at
// dir or one of its ancestors (so dir is not in the layer).
func (r shRun) hasCacheMountAbove(dir string) bool {
	for _, m := range r.mounts() {
		if m.Type != "cache" && m.Type != "tmpfs" {
			continue
		}
		t := path.Clean("/" + strings.Trim(m.Target, `"'`))
		if t == dir || t == "/" || strings.HasPrefix(dir, t+"/") {
			return true
		}
	}
	return false
}

// varsAt returns the variables in force at instruction in.
func (idx *shIndex) varsAt(in *dockerfile.Instruction) *shVars {
	if in.Stage == nil || idx.timeline[in.Stage] == nil {
		return &shVars{tl: &varTimeline{events: map[string][]varEvent{}}}
	}
	return idx.timeline[in.Stage].at(idx.pos[in])
}

// varTimeline records the ARG and ENV assignments of one stage in order,
// on top of the ENV values inherited from the stage it is built FROM.
type varTimeline struct {
	// end caches envAtEnd.
	end    *pmap.Map[string]
	base   pmap.Map[string]
	events map[string][]varEvent // per name, in order
	order  []string              // names in order of first assignment
}

// varEvent is one assignment: at instruction pos of the stage, value
// (known false when it is not known statically: an ARG without default).
type varEvent struct {
	pos   int
	value string
	known bool
	env   bool
}

func (tl *varTimeline) add(name string, ev varEvent) {
	if _, ok := tl.events[name]; !ok {
		tl.order = append(tl.order, name)
	}
	tl.events[name] = append(tl.events[name], ev)
}

// last returns the last assignment of name before instruction pos.
func (tl *varTimeline) last(name string, pos int) (varEvent, bool) {
	evs := tl.events[name]
	i := sort.Search(len(evs), func(i int) bool { return evs[i].pos >= pos })
	if i == 0 {
		return varEvent{}, false
	}
	return evs[i-1], true
}

// isEnv reports whether name holds an ENV value before pos.
func (tl *varTimeline) isEnv(name string, pos int) bool {
	for _, ev := range tl.events[name][:sortSearchBefore(tl.events[name], pos)] {
		if ev.env {
			return true
		}
	}
	return tl.base.Has(name)
}

func sortSearchBefore(evs []varEvent, pos int) int {
	return sort.Search(len(evs), func(i int) bool { return evs[i].pos >= pos })
}

// envAtEnd returns the ENV values in force at the end of the stage,
// computed once (many stages may be built FROM one).
func (tl *varTimeline) envAtEnd() pmap.Map[string] {
	if tl.end != nil {
		return *tl.end
	}
	out := tl.base
	defer func() { tl.end = &out }()
	for _, n := range tl.order {
		for _, ev := range tl.events[n] {
			if ev.env {
				out = out.Set(n, ev.value)
			}
		}
	}
	return out
}

// at returns the view of the variables before instruction pos.
func (tl *varTimeline) at(pos int) *shVars { return &shVars{tl: tl, pos: pos} }

// shVars are the build arguments and environment variables in force at
// one instruction.
type shVars struct {
	tl  *varTimeline
	pos int
}

// lookup returns the value of name when it is known statically.
func (v *shVars) lookup(name string) (string, bool) {
	if v == nil {
		return "", false
	}
	if ev, ok := v.tl.last(name, v.pos); ok {
		return ev.value, ev.known
	}
	return v.tl.base.Get(name)
}

// unquoteValue removes one pair of matching quotes around an ARG or ENV
// value.
func unquoteValue(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// expandWord returns the words a shell word stands for once the ARG and
// ENV values in force are substituted: the word itself when literal, the
// field-split expansion when every variable in it has a known value, and
// ok false otherwise (command substitutions, unknown variables).
func expandWord(w shell.Word, vars *shVars) ([]string, bool) {
	if w.Literal {
		return []string{w.Value}, true
	}
	if vars == nil || strings.Contains(w.Raw, "$(") || strings.Contains(w.Raw, "`") {
		return nil, false
	}
	expanded, unresolved := dockerfile.ExpandArgs(w.Raw, vars.lookup)
	if unresolved || strings.ContainsAny(expanded, "$`") {
		return nil, false
	}
	sc, err := shell.Parse("x " + expanded)
	if err != nil || len(sc.Commands) != 1 {
		return nil, false
	}
	var out []string
	for _, a := range sc.Commands[0].ArgWords {
		if !a.Literal {
			return nil, false
		}
		out = append(out, a.Value)
	}
	return out, true
}

// packagesOf returns the package operands of op with ARG and ENV values
// substituted into words that are not literal, parsed again with the
// manager's grammar. Operands whose value cannot be known are left out:
// they are not judged.
func packagesOf(op *shell.PackageOp, vars *shVars) []shell.Package {
	var out []shell.Package
	for _, p := range op.Packages {
		if p.Literal {
			out = append(out, p)
			continue
		}
		if p.Version != "" || p.Local || p.URL {
			// The literal part already pins it (curl=${CURL_VERSION}).
			out = append(out, p)
			continue
		}
		w := op.Command.ArgWords[p.Word]
		vals, ok := expandWord(w, vars)
		if !ok || hasOption(vals) {
			continue
		}
		for _, v := range vals {
			q, ok := parsePackage(op.Manager, v)
			if !ok {
				continue
			}
			q.Raw, q.Pos, q.Word, q.Literal = v, p.Pos, p.Word, true
			out = append(out, q)
		}
	}
	return out
}

// verbWord returns the index in op.Command.ArgWords of the word holding
// the first word of op.Verb (the "install" of "apt-get -q install"),
// skipping option words and option values; -1 when there is none.
func verbWord(op *shell.PackageOp) int {
	if op.Verb == "" {
		return -1
	}
	first, _, _ := strings.Cut(op.Verb, " ")
	taken := map[int]bool{}
	for _, fl := range op.Flags {
		taken[fl.Word] = true
		if fl.ValueWord >= 0 {
			taken[fl.ValueWord] = true
		}
	}
	for i, w := range op.Command.ArgWords {
		if taken[i] || !w.Literal {
			continue
		}
		if w.Value == first {
			return i
		}
	}
	return -1
}

// hasOption reports whether any of the words is an option.
func hasOption(words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(w, "-") {
			return true
		}
	}
	return false
}
