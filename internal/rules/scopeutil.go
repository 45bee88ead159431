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
	last *bkKey
}

type bkKey struct {
	name string
	prev *bkKey
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
		e.last = &bkKey{name: k, prev: e.last}
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
	in      *dockerfile.Instruction
	name    string
	suggest string
	// global is set when the name is a global ARG or a predefined
	// argument that the stage does not redeclare.
	global bool
}

// bkScope is what a stage knows about its variables at one instruction.
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
	// external is true when the stage's root is an image from a registry,
	// whose environment is unknown.
	external bool
	// fromVars are the variables the root stage's FROM line uses.
	fromVars map[string]bool
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

// bkStageScopes walks the stages of f in order and calls before for every
// instruction after FROM with the scope in force before it. It returns the
// undefined-variable uses BuildKit would report.
func bkStageScopes(f *dockerfile.File, before func(*dockerfile.Instruction, *bkScope)) []bkUndef {
	g := bkGlobalScope(f)
	final := make([]*bkScope, len(f.Stages))
	var out []bkUndef
	for _, st := range f.Stages {
		var sc *bkScope
		if base := bkBaseStage(f, g, st); base != nil && final[base.Index] != nil {
			sc = final[base.Index].clone()
		} else {
			sc = &bkScope{
				g:         g,
				lex:       g.lex,
				raw:       shell.NewLex('\\'),
				env:       newBKEnv(),
				uncertain: &pmap.Layer[bool]{},
				declared:  &pmap.Layer[bool]{},
				fromVars:  map[string]bool{},
			}
			sc.raw.SkipProcessQuotes = true
			sc.env.set("PATH", bkPathValue)
			res, err := g.expand(st.BaseRaw)
			sc.external = err != nil || res.Result != "scratch"
			if sc.external {
				sc.uncertain.Set("PATH", true)
			}
			for k := range res.Matched {
				sc.fromVars[k] = true
			}
			for k := range res.Unmatched {
				sc.fromVars[k] = true
			}
		}
		for _, in := range st.Instructions {
			if in.Cmd == "from" {
				continue
			}
			if before != nil {
				before(in, sc)
			}
			out = append(out, sc.step(in)...)
		}
		final[st.Index] = sc
	}
	return out
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
	for k := range res.Unmatched {
		un = append(un, k)
		if sc.external {
			certain = false
		}
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
	if len(res.Unmatched) > 0 && sc.external {
		return nil, false
	}
	return res.Words, true
}

// undefined filters the variables a word used without a value down to
// those BuildKit reports and strata can know are undefined.
func (sc *bkScope) undefined(in *dockerfile.Instruction, names []string) []bkUndef {
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
		if sc.external && !bkReportExternal(n, sug, sc) {
			continue
		}
		out = append(out, bkUndef{in: in, name: n, suggest: sug, global: global})
	}
	return out
}

// bkReportExternal decides whether an undefined name is reported in a
// stage built on a registry image, whose environment strata cannot see
// (BuildKit reads it from the image configuration). Reported are names
// that cannot come from it: the predefined platform arguments; global
// ARGs the stage does not redeclare, unless the FROM line uses them or
// they are named like the variables official images set (a
// PYTHON_VERSION ARG used for FROM python:${PYTHON_VERSION} is also set
// by the image); and names a typo away from a variable the stage has,
// unless they look like an image's variable themselves (GOPATH is not a
// typo of PATH).
func bkReportExternal(name, suggestion string, sc *bkScope) bool {
	switch {
	case isBKPlatformArg(name):
		return true
	case sc.g.user[name] && !sc.fromVars[name] && !bkInList(bkImageEnv[:], name):
		return true
	case suggestion != "" && !bkLooksLikeImageEnv(name):
		return true
	}
	return false
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
		out = append(out, sc.undefined(in, un)...)
	}
	return out
}

// step applies one instruction to the scope, returning the undefined
// variables it uses, in the order BuildKit evaluates them.
func (sc *bkScope) step(in *dockerfile.Instruction) []bkUndef {
	switch c := in.Typed.(type) {
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
				out = append(out, sc.undefined(in, un)...)
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
			out = append(out, sc.undefined(in, unK)...)
			out = append(out, sc.undefined(in, unV)...)
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
		return sc.expandAll(in, sc.lex, c.Path)
	case *instructions.RunCommand:
		var ws []string
		for _, m := range in.FlagValues("mount") {
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

// bkUndefinedKey names the undefined variables of the file's stages among
// the facts shared by the rules of a run.
var bkUndefinedKey = NewKey[[]bkUndef]("undefined variables")
