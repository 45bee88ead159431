package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Helpers shared by the shell-aware rules in the sh_*.go files.

// shRun is one RUN to judge: a RUN of a stage, or the RUN an ONBUILD
// triggers.
type shRun struct {
	// outer is the top-level instruction findings are reported on (the
	// ONBUILD for a trigger).
	outer *dockerfile.Instruction
	// run is the RUN itself (the trigger of an ONBUILD).
	run *dockerfile.Instruction
	// scripts are the parsed shell scripts of the RUN.
	scripts []*RunScript
	// stage is the stage the instruction belongs to.
	stage *dockerfile.Stage
	// onbuild is true for an ONBUILD RUN: it runs in images built FROM
	// this one, so it always ships.
	onbuild bool
}

// shellRuns returns every RUN and ONBUILD RUN of the file whose shell is
// POSIX shell and parsed, in source order.
func shellRuns(p *Pass) []shRun {
	var out []shRun
	for _, st := range p.File.Stages {
		for _, in := range st.Instructions {
			run := in
			if in.Trigger != nil {
				run = in.Trigger
			}
			if run.Cmd != "run" || run.JSON {
				continue
			}
			if !shell.IsPOSIXShell(effectiveShell(p.File, in)) {
				continue
			}
			scripts := p.Shell(in)
			if len(scripts) == 0 {
				continue
			}
			out = append(out, shRun{outer: in, run: run, scripts: scripts, stage: st, onbuild: run != in})
		}
	}
	return out
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
	script *RunScript
}

// shellCmd is a command with the script it belongs to.
type shellCmd struct {
	*shell.Command
	script *RunScript
}

// ships reports whether what a RUN leaves in its stage's filesystem can
// end up in an image someone runs: the stage is the final one or one it is
// built FROM, or a later stage is built FROM it, or the RUN is an ONBUILD
// trigger (it runs in the images built on this one). Stages only read with
// COPY --from do not ship their caches.
func (r shRun) ships(f *dockerfile.File) bool {
	if r.onbuild || r.stage == nil {
		return true
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

// effectiveShell returns the SHELL argv RUN text is run with at in: the
// last SHELL before it in its stage, else the last SHELL of the stages it
// is built FROM (SHELL is part of the image configuration, so a stage
// inherits it), else cmd for Windows base images and /bin/sh otherwise.
func effectiveShell(f *dockerfile.File, in *dockerfile.Instruction) []string {
	st := in.Stage
	if st == nil {
		return dockerfile.DefaultShell()
	}
	for i, s := range baseChain(st) {
		var last []string
		for _, x := range s.Instructions {
			if i == 0 && x == in {
				break
			}
			if x.Cmd == "shell" && x.JSON && len(x.Args) > 0 {
				last = x.Args
			}
		}
		if last != nil {
			return last
		}
	}
	if isWindowsImage(rootBase(st)) {
		return []string{"cmd", "/S", "/C"}
	}
	return dockerfile.DefaultShell()
}

// isWindowsImage reports whether an image reference names one of
// Microsoft's Windows base images.
func isWindowsImage(ref dockerfile.ImageRef) bool {
	b := strings.ToLower(ref.Raw)
	return strings.Contains(b, "windows/") || strings.Contains(b, "nanoserver") || strings.Contains(b, "servercore")
}

// shVars are the build arguments and environment variables in force at a
// RUN: names declared with ARG or ENV, and the values known statically.
type shVars struct {
	// declared lists every name in order of first declaration.
	declared []string
	// values holds the names whose value is known (ARG defaults, ENV).
	values map[string]string
	seen   map[string]bool
}

func (v *shVars) declare(name string) {
	if !v.seen[name] {
		v.seen[name] = true
		v.declared = append(v.declared, name)
	}
}

func (v *shVars) lookup(name string) (string, bool) {
	val, ok := v.values[name]
	return val, ok
}

// varsAt collects the ARG and ENV variables in force at instruction in:
// ENV of the stages its stage is built FROM and ARG and ENV of its own
// stage before it. An ARG without a default takes the default of the
// global ARG of that name, if any; otherwise its value is unknown.
func varsAt(f *dockerfile.File, in *dockerfile.Instruction) *shVars {
	v := &shVars{values: map[string]string{}, seen: map[string]bool{}}
	env := map[string]bool{} // ENV takes precedence over ARG of the same name
	st := in.Stage
	if st == nil {
		return v
	}
	globals := globalArgValues(f)
	chain := baseChain(st)
	for i := len(chain) - 1; i >= 0; i-- {
		s := chain[i]
		own := i == 0
		for _, x := range s.Instructions {
			if own && x == in {
				return v
			}
			switch x.Cmd {
			case "env":
				for _, kv := range keyValues(x) {
					val, _ := dockerfile.ExpandArgs(unquoteValue(kv[1]), v.lookup)
					v.declare(kv[0])
					v.values[kv[0]] = val
					env[kv[0]] = true
				}
			case "arg":
				if !own {
					continue
				}
				for _, a := range x.Args {
					name, def, hasDef := strings.Cut(a, "=")
					v.declare(name)
					if env[name] {
						continue
					}
					if hasDef {
						val, _ := dockerfile.ExpandArgs(unquoteValue(def), v.lookup)
						v.values[name] = val
					} else if g, ok := globals[name]; ok {
						v.values[name] = g
					}
				}
			}
		}
	}
	return v
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

// listNames joins up to max names for a message, noting how many more
// there are.
func listNames(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:limit], ", ") + ", …"
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
