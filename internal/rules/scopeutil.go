package rules

import (
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/util/suggest"
	"github.com/stratatools/strata/internal/dockerfile"
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

// bkEnv is an ordered variable list that BuildKit's lexer can read.
type bkEnv struct {
	keys []string
	vals map[string]string
}

func newBKEnv() *bkEnv { return &bkEnv{vals: map[string]string{}} }

func (e *bkEnv) Get(k string) (string, bool) {
	v, ok := e.vals[k]
	return v, ok
}

func (e *bkEnv) Keys() []string { return e.keys }

func (e *bkEnv) set(k, v string) {
	if _, ok := e.vals[k]; !ok {
		e.keys = append(e.keys, k)
	}
	e.vals[k] = v
}

func (e *bkEnv) clone() *bkEnv {
	c := &bkEnv{keys: append([]string(nil), e.keys...), vals: make(map[string]string, len(e.vals))}
	for k, v := range e.vals {
		c.vals[k] = v
	}
	return c
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
}

// bkGlobalScope evaluates the global ARGs of f with their defaults.
func bkGlobalScope(f *dockerfile.File) *bkGlobals {
	g := &bkGlobals{lex: shell.NewLex(f.Escape), args: newBKEnv(), declared: map[string]bool{}, user: map[string]bool{}, ok: true}
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
	var found *dockerfile.Stage
	for _, o := range f.Stages[:st.Index] {
		if o.Name != "" && strings.ToLower(o.Name) == res.Result {
			found = o // a later duplicate wins, as in BuildKit's name map
		}
	}
	return found
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
	uncertain map[string]bool
	// declared holds the stage's ARG names (BuildKit never reports them,
	// with or without a value).
	declared map[string]bool
	// envKnown is true when strata knows every variable the base image
	// of the stage chain defines (see bkEnvKnownImage); otherwise a
	// variable without a value here may come from the image.
	envKnown bool
	// fromVars are the variables the root stage's FROM line uses.
	fromVars map[string]bool
	// elsewhere holds the names ARG and ENV define in this file outside
	// the stage chain (global ARGs included).
	elsewhere map[string]bool
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
	c.uncertain = bkCopySet(sc.uncertain)
	c.declared = bkCopySet(sc.declared)
	return &c
}

func bkCopySet(m map[string]bool) map[string]bool {
	c := make(map[string]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

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
	steps []bkTraced
	undef []bkUndef
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
	return Memo(p, bkTraceKey, func() *bkTrace { return bkWalk(p.File) })
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
	t := &bkTrace{}
	g := bkGlobalScope(f)
	runs := bkRuns(f, g)
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
				uncertain: map[string]bool{},
				declared:  map[string]bool{},
				fromVars:  map[string]bool{},
				os:        "linux",
			}
			sc.raw.SkipProcessQuotes = true
			sc.env.set("PATH", bkPathValue)
			res, err := g.expand(st.BaseRaw)
			sc.envKnown = err == nil && bkEnvKnownImage(res.Result)
			if !sc.envKnown {
				sc.uncertain["PATH"] = true
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
		sc.elsewhere = bkNamesOutside(f, r, runs)
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

// bkNamesOutside returns the names defined by ARG (global ones included)
// and ENV anywhere in f outside the stage chain of r.
func bkNamesOutside(f *dockerfile.File, r bkRun, runs []bkRun) map[string]bool {
	chain := map[*dockerfile.Stage]bool{}
	for s := r.stage; s != nil && !chain[s]; s = runs[s.Index].base {
		chain[s] = true
	}
	out := map[string]bool{}
	add := func(in *dockerfile.Instruction) {
		if in.Trigger != nil {
			in = in.Trigger
		}
		switch c := in.Typed.(type) {
		case *instructions.ArgCommand:
			for _, a := range c.Args {
				out[a.Key] = true
			}
		case *instructions.EnvCommand:
			for _, e := range c.Env {
				out[e.Key] = true
			}
		}
	}
	for _, in := range f.GlobalArgs {
		add(in)
	}
	for _, st := range f.Stages {
		if !chain[st] {
			for _, in := range st.Instructions {
				add(in)
			}
		}
	}
	return out
}

// word expands one word and returns the result, the variables it used
// without a value and whether the result is certain.
func (sc *bkScope) word(lex *shell.Lex, w string) (string, []string, bool) {
	res, err := lex.ProcessWordWithMatches(w, sc.env)
	certain := err == nil
	for k := range res.Matched {
		if sc.uncertain[k] {
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
		if sc.declared[k] {
			sure = false
		}
	}
	for k := range res.Matched {
		sure = sure && !sc.uncertain[k]
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
		if sc.uncertain[k] {
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
		if sc.declared[n] || isBKNonEnvArg(n) {
			continue
		}
		sug, _ := suggest.Search(n, sc.env.Keys(), true)
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
	case (sc.elsewhere[name] || name == self) && !sc.fromVars[name] && !bkInList(bkImageEnv[:], name):
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
				sc.uncertain[a.Key] = !certain
			}
			sc.declared[a.Key] = true
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
			sc.uncertain[e.k] = !e.certain
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
