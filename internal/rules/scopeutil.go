package rules

import (
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/util/suggest"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/pmap"
	"github.com/tonistiigi/go-csvvalue"
)

// What BuildKit's Dockerfile frontend knows while it converts a
// Dockerfile, as far as it can be known without a builder: the global
// build arguments with their default values, and per stage the variables
// ARG and ENV define. The BuildKit checks (UndefinedVar,
// UndefinedArgInFrom, CopyIgnoredFile, ...) read it. Variable expansion
// uses BuildKit's own shell lexer so that quoting, escapes and
// ${VAR:-default} forms behave exactly as in a build.

// bkPlatformArgs are the build arguments BuildKit predefines in the global
// scope, with the values strata assumes for a static analysis (a linux/amd64
// builder building for linux/amd64).
var bkPlatformArgs = [...][2]string{
	{"BUILDPLATFORM", "linux/amd64"},
	{"BUILDOS", "linux"},
	{"BUILDOSVERSION", ""},
	{"BUILDARCH", "amd64"},
	{"BUILDVARIANT", ""},
	{"TARGETPLATFORM", "linux/amd64"},
	{"TARGETOS", "linux"},
	{"TARGETOSVERSION", ""},
	{"TARGETARCH", "amd64"},
	{"TARGETVARIANT", ""},
	{"TARGETSTAGE", ""}, // the target stage's name, filled in per file
}

// bkNonEnvArgs are build arguments BuildKit reads itself and never puts in
// the environment; using them is never reported as undefined.
var bkNonEnvArgs = [...]string{"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"}

func isBKPlatformArg(name string) bool {
	for _, kv := range bkPlatformArgs {
		if kv[0] == name {
			return true
		}
	}
	return false
}

func isBKNonEnvArg(name string) bool {
	for _, n := range bkNonEnvArgs {
		if n == name {
			return true
		}
	}
	return false
}

// bkEnv is an ordered variable list that BuildKit's lexer can read. Its
// parts are persistent, so that a clone (for a stage built FROM another)
// costs time for the variables set since the last clone only.
type bkEnv struct {
	vals pmap.Layer[string]
	// last is the most recently added name; the list runs back to the
	// first.
	last *bkEnvKey
}

type bkEnvKey struct {
	name string
	prev *bkEnvKey
}

func newBKEnv() *bkEnv { return &bkEnv{} }

func (e *bkEnv) Get(k string) (string, bool) { return e.vals.Get(k) }

// Keys returns the names in the order they were first set.
func (e *bkEnv) Keys() []string {
	out := make([]string, e.vals.Len())
	i := len(out)
	for k := e.last; k != nil && i > 0; k = k.prev {
		i--
		out[i] = k.name
	}
	return out[i:]
}

func (e *bkEnv) Len() int { return e.vals.Len() }

func (e *bkEnv) set(k, v string) {
	if !e.vals.Has(k) {
		e.last = &bkEnvKey{name: k, prev: e.last}
	}
	e.vals.Set(k, v)
}

func (e *bkEnv) clone() *bkEnv {
	return &bkEnv{vals: *e.vals.Fork(), last: e.last}
}

// bkGlobals is the global scope: the predefined arguments and the ARGs
// before the first FROM, evaluated with their default values.
type bkGlobals struct {
	lex *shell.Lex
	// args holds every global argument that has a value.
	args *bkEnv
	// declared holds every name FROM may use: the predefined arguments and
	// every global ARG, with or without a default.
	declared map[string]bool
	// user holds the names declared by ARG instructions before FROM.
	user map[string]bool
	// ok is false when a default value could not be evaluated (BuildKit
	// then fails the build and skips the checks that need the values).
	ok bool
	// stages lists the indexes of the stages of each name (lower case),
	// in order, for bkBaseStage.
	stages map[string][]int
}

var bkGlobalsKey = NewKey[*bkGlobals]("BuildKit global scope")

// bkGlobalsOf returns the global scope of the pass's file, evaluated once
// per file and shared: its users only read it.
func bkGlobalsOf(p *Pass) *bkGlobals {
	return Memo(p, bkGlobalsKey, func() *bkGlobals { return bkGlobalScope(p.File) })
}

// bkGlobalScope evaluates the global ARGs of f with their defaults.
func bkGlobalScope(f *dockerfile.File) *bkGlobals {
	g := &bkGlobals{lex: shell.NewLex(f.Escape), args: newBKEnv(), declared: map[string]bool{}, user: map[string]bool{}, ok: true,
		stages: map[string][]int{}}
	for _, st := range f.Stages {
		if st.Name != "" {
			n := strings.ToLower(st.Name)
			g.stages[n] = append(g.stages[n], st.Index)
		}
	}
	target := "default"
	if st := f.FinalStage(); st != nil && st.Name != "" {
		target = strings.ToLower(st.Name)
	}
	for _, kv := range bkPlatformArgs {
		v := kv[1]
		if kv[0] == "TARGETSTAGE" {
			v = target
		}
		g.args.set(kv[0], v)
		g.declared[kv[0]] = true
	}
	for _, in := range f.GlobalArgs {
		ac, ok := in.Typed.(*instructions.ArgCommand)
		if !ok {
			continue
		}
		for _, a := range ac.Args {
			g.declared[a.Key] = true
			g.user[a.Key] = true
			if a.Value == nil {
				continue
			}
			res, err := g.lex.ProcessWordWithMatches(*a.Value, g.args)
			if err != nil {
				g.ok = false
				continue
			}
			g.args.set(a.Key, res.Result)
		}
	}
	return g
}

// declaredNames returns the names FROM may use, sorted, for suggestions.
func (g *bkGlobals) declaredNames() []string {
	out := make([]string, 0, len(g.declared))
	for k := range g.declared {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expand evaluates a FROM word (image reference or platform) in the
// global scope.
func (g *bkGlobals) expand(word string) (shell.ProcessWordResult, error) {
	return g.lex.ProcessWordWithMatches(word, g.args)
}

// bkBaseStage returns the earlier stage a FROM names, matched the way
// BuildKit does: the expanded base name must equal the stage name in
// lower case (stage names are stored lower-cased, the base name is not).
func bkBaseStage(f *dockerfile.File, g *bkGlobals, st *dockerfile.Stage) *dockerfile.Stage {
	res, err := g.expand(st.BaseRaw)
	if err != nil {
		return nil
	}
	// A later duplicate wins, as in BuildKit's name map: the last stage
	// of that name before st.
	idx := g.stages[res.Result]
	k := sort.SearchInts(idx, st.Index)
	if k == 0 || idx[k-1] >= len(f.Stages) {
		return nil
	}
	return f.Stages[idx[k-1]]
}

// bkUndef is one use of an undefined variable.
type bkUndef struct {
	in      *dockerfile.Instruction // where BuildKit reports it
	name    string
	suggest string
	// global is set when the name is a global ARG or a predefined
	// argument that the stage does not redeclare.
	global bool
	// self is set for an ARG default that reads the ARG itself.
	self bool
	// fail, when set, is not a variable but BuildKit's error for a word
	// it cannot expand (${NAME?message} with NAME unset).
	fail string
}

// bkScope is what a stage knows at one instruction, as BuildKit's
// dispatcher has it: variables, and the state the dispatch-time checks
// read.
type bkScope struct {
	g   *bkGlobals
	lex *shell.Lex
	raw *shell.Lex // lexer for heredoc bodies (no quote processing)
	env *bkEnv
	// uncertain marks variables whose value depends on something strata
	// cannot see (the base image's environment).
	uncertain *pmap.Layer[bool]
	// declared holds the stage's ARG names (BuildKit never reports them,
	// with or without a value).
	declared *pmap.Layer[bool]
	// envKnown is true when strata knows every variable the base image
	// of the stage chain defines (see bkEnvKnownImage); otherwise a
	// variable without a value here may come from the image.
	envKnown bool
	// fromVars are the variables the root stage's FROM line uses.
	fromVars map[string]bool
	// elsewhere tells the names ARG and ENV define in this file outside
	// the stage chain (global ARGs included) of stage.
	elsewhere *bkOutside
	stage     int
	// workdirSet is true once a WORKDIR of this file has run in the
	// stage chain; shellSet once a SHELL has.
	workdirSet, shellSet bool
	// os is the operating system the stage is built for as far as
	// strata can tell: "windows" for a Windows base image or
	// --platform, "linux" otherwise.
	os string
	// failed collects, during one step, BuildKit's errors for the words
	// it certainly cannot expand.
	failed []string
}

func (sc *bkScope) clone() *bkScope {
	c := *sc
	c.env = sc.env.clone()
	c.uncertain = sc.uncertain.Fork()
	c.declared = sc.declared.Fork()
	return &c
}

// bkMaxSuggestKeys is the most variables undefined searches for a typo.
const bkMaxSuggestKeys = 1024

// bkPathValue is the PATH BuildKit sets when the base image has none.
const bkPathValue = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// bkEnvImages are the images whose configuration holds no variable but
// PATH: Docker Hub's distribution images built FROM scratch from a root
// file system (the docker-library alpine, debian, ubuntu and busybox
// images set no ENV of their own).
var bkEnvImages = [...]string{"alpine", "debian", "ubuntu", "busybox"}

// bkEnvKnownImage reports whether strata knows the variables a base
// image (after ARG expansion) defines: scratch, and the images of
// bkEnvImages from Docker Hub's library.
func bkEnvKnownImage(ref string) bool {
	if ref == "scratch" {
		return true
	}
	r := dockerfile.ParseImageRef(ref)
	return r.Registry == "" && bkInList(bkEnvImages[:], r.Repository)
}

// bkTrace is the walk of a file's stages as BuildKit dispatches them
// (bkRuns): every step with the scope in force before it, and the
// undefined variables BuildKit would report. Rules share one trace per
// file (bkScopes) and treat it as read-only.
type bkTrace struct {
	steps   []bkTraced
	undef   []bkUndef
	globals *bkGlobals
}

// bkTraced is one step with a copy of the scope in force before it.
type bkTraced struct {
	bkStep
	sc *bkScope
}

// bkTraceKey names the trace among the facts shared by a run's rules.
var bkTraceKey = NewKey[*bkTrace]("BuildKit dispatch trace")

// bkScopes returns the file's trace, computed once per run.
func bkScopes(p *Pass) *bkTrace {
	return Memo(p, bkTraceKey, func() *bkTrace { return bkWalkWith(p.File, bkGlobalsOf(p)) })
}

// bkStageScopes calls before for every step of f's trace with the scope
// in force before it, and returns the undefined-variable uses.
func bkStageScopes(f *dockerfile.File, before func(bkStep, *bkScope)) []bkUndef {
	t := bkWalk(f)
	for _, s := range t.steps {
		if before != nil {
			before(s.bkStep, s.sc)
		}
	}
	return t.undef
}

// bkWalk walks the stages of f as BuildKit dispatches them.
func bkWalk(f *dockerfile.File) *bkTrace {
	return bkWalkWith(f, bkGlobalScope(f))
}

// bkWalkWith is bkWalk with f's global scope already evaluated.
func bkWalkWith(f *dockerfile.File, g *bkGlobals) *bkTrace {
	t := &bkTrace{globals: g}
	runs := bkRuns(f, g)
	outside := newBKOutside(f, runs)
	final := make([]*bkScope, len(f.Stages))
	for _, r := range runs {
		st := r.stage
		var sc *bkScope
		if r.base != nil && final[r.base.Index] != nil {
			sc = final[r.base.Index].clone()
		} else {
			sc = &bkScope{
				g:         g,
				lex:       g.lex,
				raw:       shell.NewLex('\\'),
				env:       newBKEnv(),
				uncertain: &pmap.Layer[bool]{},
				declared:  &pmap.Layer[bool]{},
				fromVars:  map[string]bool{},
				os:        "linux",
			}
			sc.raw.SkipProcessQuotes = true
			sc.env.set("PATH", bkPathValue)
			res, err := g.expand(st.BaseRaw)
			sc.envKnown = err == nil && bkEnvKnownImage(res.Result)
			if !sc.envKnown {
				sc.uncertain.Set("PATH", true)
			}
			for k := range res.Matched {
				sc.fromVars[k] = true
			}
			for k := range res.Unmatched {
				sc.fromVars[k] = true
			}
			if err == nil && isWindowsImage(dockerfile.ParseImageRef(res.Result)) || bkPlatformOS(g, st) == "windows" {
				sc.os = "windows"
			}
		}
		sc.elsewhere, sc.stage = outside, st.Index
		for _, step := range r.steps {
			t.steps = append(t.steps, bkTraced{bkStep: step, sc: sc.clone()})
			t.undef = append(t.undef, sc.step(step)...)
		}
		final[st.Index] = sc
	}
	return t
}

// bkPlatformOS returns the OS of a stage's constant --platform, or "".
func bkPlatformOS(g *bkGlobals, st *dockerfile.Stage) string {
	if st.Platform == "" {
		return ""
	}
	res, err := g.expand(st.Platform)
	if err != nil {
		return ""
	}
	p, ok := bkParsePlatform(res.Result)
	if !ok {
		return ""
	}
	return p.OS
}

// bkOutside tells, for a stage, whether the file defines a name with ARG
// or ENV outside the stage's chain (the stage and those it is built FROM,
// through any number of stages), global ARGs included. One pass over the
// file prepares it and each question takes constant time, so a long
// chain of stages costs linear time (a set per stage cost the square).
type bkOutside struct {
	global map[string]bool
	// defs holds, per name defined in a stage, the deepest stage defining
	// it, and whether every stage defining it is on the chain of that
	// one (else every chain misses one of them).
	defs map[string]*bkDefs
	// enter and leave number each stage as a depth-first walk of the
	// tree of bases first and last reaches it: a is on the chain of b
	// when enter[a] <= enter[b] < leave[a].
	enter, leave []int
}

type bkDefs struct {
	deepest int
	onePath bool
}

func newBKOutside(f *dockerfile.File, runs []bkRun) *bkOutside {
	o := &bkOutside{global: map[string]bool{}, defs: map[string]*bkDefs{}}
	names := func(in *dockerfile.Instruction, fn func(string)) {
		if in.Trigger != nil {
			in = in.Trigger
		}
		switch c := in.Typed.(type) {
		case *instructions.ArgCommand:
			for _, a := range c.Args {
				fn(a.Key)
			}
		case *instructions.EnvCommand:
			for _, e := range c.Env {
				fn(e.Key)
			}
		}
	}
	for _, in := range f.GlobalArgs {
		names(in, func(n string) { o.global[n] = true })
	}
	// The tree of bases: a stage is built FROM an earlier one.
	n := len(runs)
	kids := make([][]int, n)
	var roots []int
	for i, r := range runs {
		if b := r.base; b != nil && b.Index < i {
			kids[b.Index] = append(kids[b.Index], i)
		} else {
			roots = append(roots, i)
		}
	}
	o.enter, o.leave = make([]int, n), make([]int, n)
	clock := 0
	type frame struct{ stage, next int }
	for _, root := range roots {
		stack := []frame{{root, 0}}
		o.enter[root] = clock
		clock++
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(kids[top.stage]) {
				c := kids[top.stage][top.next]
				top.next++
				o.enter[c] = clock
				clock++
				stack = append(stack, frame{c, 0})
				continue
			}
			o.leave[top.stage] = clock
			stack = stack[:len(stack)-1]
		}
	}
	for i, r := range runs {
		for _, in := range r.stage.Instructions {
			names(in, func(name string) {
				d := o.defs[name]
				switch {
				case d == nil:
					o.defs[name] = &bkDefs{deepest: i, onePath: true}
				case !d.onePath:
				case o.onChain(d.deepest, i):
					d.deepest = i
				case !o.onChain(i, d.deepest):
					d.onePath = false
				}
			})
		}
	}
	return o
}

// onChain reports whether stage a is stage b or one b is built FROM.
func (o *bkOutside) onChain(a, b int) bool {
	return o.enter[a] <= o.enter[b] && o.enter[b] < o.leave[a]
}

// has reports whether name is defined outside the chain of stage.
func (o *bkOutside) has(stage int, name string) bool {
	if o.global[name] {
		return true
	}
	d := o.defs[name]
	return d != nil && (!d.onePath || !o.onChain(d.deepest, stage))
}

// word expands one word and returns the result, the variables it used
// without a value and whether the result is certain.
func (sc *bkScope) word(lex *shell.Lex, w string) (string, []string, bool) {
	res, err := lex.ProcessWordWithMatches(w, sc.env)
	certain := err == nil
	for k := range res.Matched {
		if v, _ := sc.uncertain.Get(k); v {
			certain = false
		}
	}
	var un []string
	sure := sc.envKnown // that the expansion fails whatever the build arguments
	for k := range res.Unmatched {
		un = append(un, k)
		if !sc.envKnown {
			certain = false
		}
		if sc.declared.Has(k) {
			sure = false
		}
	}
	for k := range res.Matched {
		unsure, _ := sc.uncertain.Get(k)
		sure = sure && !unsure
	}
	if err != nil && sure {
		sc.failed = append(sc.failed, err.Error())
	}
	sort.Strings(un)
	return res.Result, un, certain
}

// words expands a word and splits the result as EXPOSE does. ok is false
// when the result depends on values strata cannot know.
func (sc *bkScope) words(w string) ([]string, bool) {
	res, err := sc.lex.ProcessWordWithMatches(w, sc.env)
	if err != nil {
		return nil, false
	}
	for k := range res.Matched {
		if v, _ := sc.uncertain.Get(k); v {
			return nil, false
		}
	}
	if len(res.Unmatched) > 0 && !sc.envKnown {
		return nil, false
	}
	return res.Words, true
}

// undefined filters the variables a word used without a value down to
// those BuildKit reports and strata can know are undefined. self is the
// ARG whose default the word is, or "".
func (sc *bkScope) undefined(in *dockerfile.Instruction, names []string, self string) []bkUndef {
	var out []bkUndef
	for _, n := range names {
		if sc.declared.Has(n) || isBKNonEnvArg(n) {
			continue
		}
		// A typo is looked for among the variables in force, up to a
		// number no real Dockerfile reaches: past it, no suggestion
		// rather than time that grows with the square of the file.
		var sug string
		if sc.env.Len() <= bkMaxSuggestKeys {
			sug, _ = suggest.Search(n, sc.env.Keys(), true)
		}
		global := isBKPlatformArg(n) || sc.g.user[n]
		if !sc.envKnown && !bkReportUnknownEnv(n, sug, self, sc) {
			continue
		}
		out = append(out, bkUndef{in: in, name: n, suggest: sug, global: global, self: n == self})
	}
	return out
}

// bkReportUnknownEnv decides whether an undefined name is reported in a
// stage built on an image whose environment strata does not know
// (BuildKit reads it from the image configuration, which strata cannot
// pull). Reported are only names no image can define, or that this file
// evidently means to define itself:
//   - the predefined platform arguments (TARGETARCH...) and the shell's
//     special parameters ($1, $@...), which an image's ENV never holds;
//   - variables the shell sets by itself (UID, EUID, PPID, RANDOM...):
//     ${UID:-1000} in ENV reads no shell, and images do not set them;
//   - names the file defines with ARG or ENV elsewhere (before FROM or
//     in another stage), or an ARG's default that reads the ARG itself:
//     the stage cannot see those; unless the FROM line uses the name or
//     it is one official images set (a global PYTHON_VERSION used for
//     FROM python:${PYTHON_VERSION} is also set by the image);
//   - names a typo away from a variable the stage has, unless they look
//     like an image's variable themselves (GOPATH is not a typo of PATH).
func bkReportUnknownEnv(name, suggestion, self string, sc *bkScope) bool {
	switch {
	case isBKPlatformArg(name), bkSpecialParam(name), bkInList(bkShellSet[:], name):
		return true
	case (sc.elsewhere.has(sc.stage, name) || name == self) && !sc.fromVars[name] && !bkInList(bkImageEnv[:], name):
		return true
	case suggestion != "" && !bkLooksLikeImageEnv(name):
		return true
	}
	return false
}

// bkShellSet are variables a shell sets by itself and container images
// do not put in their configuration.
var bkShellSet = [...]string{"UID", "EUID", "PPID", "RANDOM", "SECONDS", "LINENO", "BASHPID", "SHLVL", "OLDPWD", "BASH_VERSION"}

// bkSpecialParam reports whether name is a shell special or positional
// parameter ($1, $@, $#, $?, $$, $!, $-, $*).
func bkSpecialParam(name string) bool {
	if name == "" {
		return false
	}
	c := name[0]
	return c >= '0' && c <= '9' || strings.IndexByte("@*#?$!-", c) >= 0
}

// bkImageEnv are variables that popular official images set.
var bkImageEnv = [...]string{
	"ASPNETCORE_URLS", "ASPNET_VERSION", "BUNDLE_APP_CONFIG", "BUNDLE_SILENCE_ROOT_WARNING", "CARGO_HOME",
	"CUDA_VERSION", "DOTNET_VERSION", "ELIXIR_VERSION", "GEM_HOME", "GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN",
	"GPG_KEY", "GRADLE_HOME", "GRADLE_VERSION", "HOME", "HOSTNAME", "HTTPD_PREFIX", "HTTPD_VERSION", "JAVA_HOME",
	"JAVA_VERSION", "LANG", "LANGUAGE", "LC_ALL", "LD_LIBRARY_PATH", "MAVEN_CONFIG", "MAVEN_HOME",
	"MONGO_VERSION", "MYSQL_MAJOR", "MYSQL_VERSION", "NGINX_VERSION", "NJS_VERSION", "NODE_VERSION",
	"NVIDIA_VISIBLE_DEVICES", "OTP_VERSION", "PGDATA", "PG_MAJOR", "PG_VERSION", "PHPIZE_DEPS",
	"PHP_INI_DIR", "PHP_VERSION", "PKG_RELEASE", "PYTHON_PIP_VERSION", "PYTHON_SHA256", "PYTHON_VERSION",
	"REDIS_VERSION", "RUBY_MAJOR", "RUBY_VERSION", "RUSTUP_HOME", "RUST_VERSION", "TZ", "YARN_VERSION",
	"container",
}

// bkLooksLikeImageEnv reports whether a name is one an image may well
// set: a known one, or one shaped like them (*_VERSION, *_HOME, *PATH...).
func bkLooksLikeImageEnv(name string) bool {
	if bkInList(bkImageEnv[:], name) {
		return true
	}
	for _, suf := range []string{"_VERSION", "_HOME", "_SHA256", "_SHA512", "_MAJOR", "_URL", "_DIR", "PATH"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// expandAll expands each word, collecting undefined uses.
func (sc *bkScope) expandAll(in *dockerfile.Instruction, lex *shell.Lex, ws ...string) []bkUndef {
	var out []bkUndef
	for _, w := range ws {
		if w == "" {
			continue
		}
		_, un, _ := sc.word(lex, w)
		out = append(out, sc.undefined(in, un, "")...)
	}
	return out
}

// step applies one instruction to the scope, returning the undefined
// variables it uses, in the order BuildKit evaluates them, reported
// where BuildKit reports them, and the words it cannot expand.
func (sc *bkScope) step(s bkStep) []bkUndef {
	sc.failed = nil
	out := sc.stepVars(s)
	for _, msg := range sc.failed {
		out = append(out, bkUndef{in: s.at, fail: msg})
	}
	sc.failed = nil
	return out
}

func (sc *bkScope) stepVars(s bkStep) []bkUndef {
	in := s.at
	switch c := s.in.Typed.(type) {
	case *instructions.ArgCommand:
		var out []bkUndef
		for _, a := range c.Args {
			var val string
			has := false
			certain := true
			if a.Value == nil {
				if v, ok := sc.g.args.Get(a.Key); ok {
					val, has = v, true
				}
			} else {
				var un []string
				val, un, certain = sc.word(sc.lex, *a.Value)
				out = append(out, sc.undefined(in, un, a.Key)...)
				has = true
			}
			if has && !isBKNonEnvArg(a.Key) {
				sc.env.set(a.Key, val)
				sc.uncertain.Set(a.Key, !certain)
			}
			sc.declared.Set(a.Key, true)
		}
		return out
	case *instructions.EnvCommand:
		var out []bkUndef
		type kv struct {
			k, v    string
			certain bool
		}
		var set []kv
		for _, e := range c.Env {
			k, unK, okK := sc.word(sc.lex, e.Key)
			v, unV, okV := sc.word(sc.lex, e.Value)
			out = append(out, sc.undefined(in, unK, "")...)
			out = append(out, sc.undefined(in, unV, "")...)
			set = append(set, kv{k, v, okK && okV})
		}
		for _, e := range set {
			sc.env.set(e.k, e.v)
			sc.uncertain.Set(e.k, !e.certain)
		}
		return out
	case *instructions.LabelCommand:
		var ws []string
		for _, l := range c.Labels {
			ws = append(ws, l.Key, l.Value)
		}
		return sc.expandAll(in, sc.lex, ws...)
	case *instructions.AddCommand:
		ws := append([]string{c.Chown, c.Chmod, c.Checksum}, c.SourcePaths...)
		ws = append(ws, c.DestPath)
		out := sc.expandAll(in, sc.lex, ws...)
		return append(out, sc.heredocs(in, c.SourceContents)...)
	case *instructions.CopyCommand:
		ws := append([]string{c.Chown, c.Chmod}, c.SourcePaths...)
		ws = append(ws, c.DestPath)
		out := sc.expandAll(in, sc.lex, ws...)
		return append(out, sc.heredocs(in, c.SourceContents)...)
	case *instructions.WorkdirCommand:
		out := sc.expandAll(in, sc.lex, c.Path)
		sc.workdirSet = true
		return out
	case *instructions.ShellCommand:
		sc.shellSet = true
	case *instructions.RunCommand:
		var ws []string
		for _, m := range s.in.FlagValues("mount") {
			fields, err := csvvalue.Fields(m, nil)
			if err != nil {
				continue
			}
			for _, fl := range fields {
				if _, v, ok := strings.Cut(fl, "="); ok {
					ws = append(ws, v)
				}
			}
		}
		return sc.expandAll(in, sc.lex, ws...)
	case *instructions.UserCommand:
		return sc.expandAll(in, sc.lex, c.User)
	case *instructions.VolumeCommand:
		return sc.expandAll(in, sc.lex, c.Volumes...)
	case *instructions.StopSignalCommand:
		return sc.expandAll(in, sc.lex, c.Signal)
	}
	return nil
}

// heredocs expands the bodies of COPY/ADD here-documents whose delimiter
// is unquoted.
func (sc *bkScope) heredocs(in *dockerfile.Instruction, cs []instructions.SourceContent) []bkUndef {
	var out []bkUndef
	for _, c := range cs {
		if c.Expand {
			out = append(out, sc.expandAll(in, sc.raw, c.Data)...)
		}
	}
	return out
}
