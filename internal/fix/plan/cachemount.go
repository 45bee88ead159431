package plan

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// A cache mount keeps a package manager's download cache outside the
// image. What the cache held is then no longer in any layer, which is
// the point, and also the risk: a later step of the build, or the
// container at run time, that expected to find the downloads there
// finds an empty directory.

// cacheTool describes a tool's cache directory for CacheMounts.
type cacheTool struct {
	tool string // "go", "cargo", "maven", "gradle", "dotnet", "npm", "yarn", "pnpm"
	what string // for messages
	// commands are the programs that read or fill the cache.
	commands []string
	// compiles marks build tools whose cache may be needed when the
	// container runs the tool (go run, cargo run, mvn spring-boot:run).
	compiles bool
	// dir resolves the directory from the ENV in force and the base;
	// ok is false when it cannot be told.
	dir func(env map[string]string, base dockerfile.ImageRef) (string, bool)
}

// cacheTools maps the default target a rule proposes (the directory
// root uses in the tool's official image) to the tool.
var cacheTools = map[string]cacheTool{
	"/go/pkg/mod": {tool: "go", what: "the Go module cache", commands: []string{"go"}, compiles: true,
		dir: func(env map[string]string, b dockerfile.ImageRef) (string, bool) {
			if v, ok := env["GOMODCACHE"]; ok {
				return v, true
			}
			if v, ok := env["GOPATH"]; ok {
				first, _, _ := strings.Cut(v, ":")
				return path.Join(first, "pkg/mod"), true
			}
			if goImage(b) {
				return "/go/pkg/mod", true
			}
			return path.Join(home(env), "go/pkg/mod"), true
		}},
	"/root/.cache/go-build": {tool: "go", what: "the Go build cache", commands: []string{"go"}, compiles: true,
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			if v, ok := env["GOCACHE"]; ok {
				return v, true
			}
			if v, ok := env["XDG_CACHE_HOME"]; ok {
				return path.Join(v, "go-build"), true
			}
			return path.Join(home(env), ".cache/go-build"), true
		}},
	"/usr/local/cargo/registry": {tool: "cargo", what: "Cargo's registry", commands: []string{"cargo"}, compiles: true,
		dir: func(env map[string]string, b dockerfile.ImageRef) (string, bool) {
			if v, ok := env["CARGO_HOME"]; ok {
				return path.Join(v, "registry"), true
			}
			if strings.ToLower(b.Name()) == "rust" {
				return "/usr/local/cargo/registry", true
			}
			return path.Join(home(env), ".cargo/registry"), true
		}},
	"/root/.m2": {tool: "maven", what: "Maven's repository", commands: []string{"mvn", "mvnw"}, compiles: true,
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			if strings.Contains(env["MAVEN_OPTS"], "maven.repo.local") {
				return "", false
			}
			return path.Join(home(env), ".m2"), true
		}},
	"/root/.gradle": {tool: "gradle", what: "Gradle's caches", commands: []string{"gradle", "gradlew"}, compiles: true,
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			if v, ok := env["GRADLE_USER_HOME"]; ok {
				return v, true
			}
			return path.Join(home(env), ".gradle"), true
		}},
	"/root/.nuget/packages": {tool: "dotnet", what: "the NuGet packages", commands: []string{"dotnet"}, compiles: true,
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			if v, ok := env["NUGET_PACKAGES"]; ok {
				return v, true
			}
			return path.Join(home(env), ".nuget/packages"), true
		}},
	"/root/.npm": {tool: "npm", what: "npm's cache", commands: []string{"npm", "npx"},
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			for _, k := range []string{"npm_config_cache", "NPM_CONFIG_CACHE"} {
				if v, ok := env[k]; ok {
					return v, true
				}
			}
			return path.Join(home(env), ".npm"), true
		}},
	"/usr/local/share/.cache/yarn": {tool: "yarn", what: "Yarn's cache", commands: []string{"yarn", "yarnpkg"},
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			if v, ok := env["YARN_CACHE_FOLDER"]; ok {
				return v, true
			}
			return "/usr/local/share/.cache/yarn", true
		}},
	"/root/.local/share/pnpm/store": {tool: "pnpm", what: "pnpm's store", commands: []string{"pnpm"},
		dir: func(env map[string]string, _ dockerfile.ImageRef) (string, bool) {
			if _, ok := env["PNPM_HOME"]; ok {
				return "", false // the store may live beside it
			}
			return path.Join(home(env), ".local/share/pnpm/store"), true
		}},
}

// home is $HOME for root as the ENV leaves it.
func home(env map[string]string) string {
	if v, ok := env["HOME"]; ok {
		return v
	}
	return "/root"
}

// CacheMounts adds BuildKit cache mounts to the RUN outer. mounts are
// the --mount flags a rule proposes, with the directories root uses in
// the tool's official image (/go/pkg/mod, /root/.npm, ...); each is
// moved to where the tool keeps its cache in this build (GOPATH,
// GOMODCACHE, CARGO_HOME and the like, and Debian's Go under /root/go).
// Every later RUN of the stage, and of the stages built FROM it, that
// runs the same tool, make or a script gets the same mounts: a cache
// the first RUN fills outside the image is empty in the image for them.
//
// It returns nil when that cannot be made safe: a RUN that would mount
// runs as another user than root, the directory cannot be told (set
// from a variable), an earlier RUN filled the directory in the image
// (the mount would hide it), or a container built from the stage uses
// the cache
// when it runs (a command such as go run, cargo run or mvn at start, or
// a final image with no command, which is a toolchain for others to
// run, or a command that is a script the fix cannot see). An ONBUILD
// RUN trigger gets the mounts with the later triggers that use the
// tool; the child build's command is unknown, so nothing is checked
// there.
func CacheMounts(src Input, outer *dockerfile.Instruction, mounts []string) *edit.Fix {
	p := newPass(src)
	f := p.File
	if outer == nil || outer.Stage == nil || len(mounts) == 0 {
		return nil
	}
	trigger := outer.Cmd == "onbuild" && outer.Trigger != nil && outer.Trigger.Cmd == "run"
	if outer.Cmd != "run" && !trigger {
		return nil
	}
	st := outer.Stage
	env := envAt(st, outer)
	if trigger && !rootAt(st, nil) || !trigger && !rootAt(st, outer) {
		return edit.Decline("the RUN runs as a user whose cache directory cannot be told")
	}
	base := st.Chain()[len(st.Chain())-1].Base
	var flags []string
	var tools []cacheTool
	for _, m := range mounts {
		target, opts, ok := splitMount(m)
		if !ok {
			return edit.Decline("the mount cannot be written")
		}
		ct, known := cacheTools[target]
		if !known {
			flags = append(flags, m)
			continue
		}
		dir, ok := ct.dir(env, base)
		if !ok || dockerfile.HasVariable(dir) || !path.IsAbs(dir) {
			return edit.Decline("the tool's cache directory cannot be told (it depends on a variable or the base image)")
		}
		flags = append(flags, "--mount=type=cache,target="+path.Clean(dir)+opts)
		if !slices.ContainsFunc(tools, func(t cacheTool) bool { return t.tool == ct.tool }) {
			tools = append(tools, ct)
		}
	}
	runs := []*dockerfile.Instruction{outer}
	if trigger {
		runs = append(runs, laterTriggers(p, st, outer, tools)...)
	} else {
		later, ok := laterUsers(p, st, outer, tools)
		switch {
		case !ok:
			return edit.Decline("a later RUN uses the tool in a way the mounts cannot follow")
		case usedAtRunTime(f, st, tools):
			return edit.Decline("a container built from the stage runs the tool, and would find its cache empty")
		case filledBefore(p, st, outer, tools, flags):
			return edit.Decline("an earlier RUN filled the cache directory in the image, which a mount would hide")
		}
		runs = append(runs, later...)
	}
	var edits []edit.TextEdit
	var lines []string
	for _, in := range runs {
		var add []string
		run := in
		if in.Trigger != nil {
			run = in.Trigger
		}
		for _, fl := range flags {
			target, _, _ := splitMount(fl)
			if !hasMountAt(run, target) {
				add = append(add, fl)
			}
		}
		if len(add) == 0 {
			continue
		}
		pos, ok := runKeywordEnd(f, in)
		if !ok {
			return edit.Decline("the RUN's flags cannot be located")
		}
		edits = append(edits, edit.TextEdit{Pos: pos, End: pos, NewText: " " + strings.Join(add, " ")})
		if in != outer {
			lines = append(lines, strconv.Itoa(in.StartLine))
		}
	}
	if len(edits) == 0 {
		return nil
	}
	var whats []string
	for _, t := range tools {
		whats = append(whats, t.what)
	}
	if len(whats) == 0 {
		whats = []string{"the package cache"}
	}
	msg := fmt.Sprintf("keep %s in a BuildKit cache mount", vocab.JoinAnd(whats))
	if len(lines) > 0 {
		msg += fmt.Sprintf(", here and on the later RUNs that use it (line %s), so that they do not find it empty", vocab.JoinAnd(lines))
	}
	msg += ": a rebuild after a change downloads only what changed, and the downloads never land in a layer"
	start, _ := edit.LineSpan(f, outer.StartLine, outer.EndLine)
	_, end := edit.LineSpan(f, runs[len(runs)-1].StartLine, runs[len(runs)-1].EndLine)
	return &edit.Fix{
		Message: msg,
		Unsafe:  true,
		Edits:   edits,
		// The RUNs: a clean-up another rule appends in the same pass
		// (SD401's go clean, DL3060's yarn cache clean) would empty
		// the mount; next pass, those rules see the mount.
		Region: &edit.Span{Pos: start, End: end},
	}
}

// runKeywordEnd returns the offset just past the RUN keyword of in (of
// the RUN an ONBUILD wraps).
func runKeywordEnd(f *dockerfile.File, in *dockerfile.Instruction) (int, bool) {
	pos := f.Offset(in.StartLine, in.Column) + len(in.Keyword)
	if in.Trigger == nil {
		return pos, true
	}
	for pos < len(f.Source) && (f.Source[pos] == ' ' || f.Source[pos] == '\t') {
		pos++
	}
	end := pos + len(in.Trigger.Keyword)
	if end > len(f.Source) || !strings.EqualFold(string(f.Source[pos:end]), "run") {
		return 0, false
	}
	return end, true
}

// laterTriggers returns the ONBUILD RUN triggers after outer in st that
// run one of the tools, make or a script.
func laterTriggers(p *pass, st *dockerfile.Stage, outer *dockerfile.Instruction, tools []cacheTool) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	after := false
	for _, in := range st.Instructions {
		if in == outer {
			after = true
			continue
		}
		if after && in.Cmd == "onbuild" && in.Trigger != nil && in.Trigger.Cmd == "run" && runsTools(p, in, tools) {
			out = append(out, in)
		}
	}
	return out
}

// splitMount returns the target of a --mount=type=cache flag and the
// options after it (",sharing=locked").
func splitMount(m string) (target, rest string, ok bool) {
	v, found := strings.CutPrefix(m, "--mount=")
	if !found {
		return "", "", false
	}
	var others []string
	isCache := false
	for _, field := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(field, "=")
		switch k {
		case "type":
			isCache = val == "cache"
		case "target", "dst", "destination":
			target = val
		default:
			others = append(others, field)
		}
	}
	if !isCache || target == "" {
		return "", "", false
	}
	if len(others) > 0 {
		rest = "," + strings.Join(others, ",")
	}
	return path.Clean(target), rest, true
}

// hasMountAt reports whether in already has a cache mount at dir.
func hasMountAt(in *dockerfile.Instruction, dir string) bool {
	for _, m := range in.Mounts() {
		if m.Type == "cache" && m.Target != "" && path.Clean(m.Target) == dir {
			return true
		}
	}
	return false
}

// envAt returns the ENV values in force at in (its stage chain's ENV
// instructions before it).
func envAt(st *dockerfile.Stage, at *dockerfile.Instruction) map[string]string {
	env := map[string]string{}
	chain := st.Chain()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in == at {
				return env
			}
			if in.Cmd != "env" {
				continue
			}
			for _, kv := range in.Pairs() {
				env[kv[0]] = dockerfile.TrimQuotes(kv[1])
			}
		}
	}
	return env
}

// rootAt reports whether instructions at in run as root.
func rootAt(st *dockerfile.Stage, at *dockerfile.Instruction) bool {
	user := ""
	chain := st.Chain()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in == at {
				return user == "" || dockerfile.IsRootUser(user)
			}
			if in.Cmd == "user" {
				user = in.User()
			}
		}
	}
	return user == "" || dockerfile.IsRootUser(user)
}

// descendants returns st and the stages built FROM it, directly or not,
// in file order.
func descendants(f *dockerfile.File, st *dockerfile.Stage) []*dockerfile.Stage {
	var out []*dockerfile.Stage
	for _, s := range f.Stages {
		if slices.Contains(s.Chain(), st) {
			out = append(out, s)
		}
	}
	return out
}

// laterUsers returns the RUNs after outer in its stage, and in the
// stages built FROM it, that run one of the tools, make, or a script
// (which may run the tools); ok is false when one of them runs as
// another user than root or is an ONBUILD trigger.
func laterUsers(p *pass, st *dockerfile.Stage, outer *dockerfile.Instruction, tools []cacheTool) ([]*dockerfile.Instruction, bool) {
	var out []*dockerfile.Instruction
	for _, s := range descendants(p.File, st) {
		after := s != st
		for _, in := range s.Instructions {
			if in == outer {
				after = true
				continue
			}
			if !after {
				continue
			}
			if in.Cmd == "onbuild" && in.Trigger != nil && in.Trigger.Cmd == "run" && runsTools(p, in, tools) {
				return nil, false
			}
			if in.Cmd != "run" || !runsTools(p, in, tools) {
				continue
			}
			if !rootAt(s, in) || len(in.Heredocs) > 0 {
				return nil, false
			}
			out = append(out, in)
		}
	}
	return out, true
}

// filledBefore reports whether a RUN before outer in its stage chain runs
// a compiling tool (or make, or a script) without the mounts: what it
// left in the cache directories is in the image, and a mount there would
// hide it (cargo build --offline after a cargo fetch, dotnet publish
// --no-restore after a restore).
func filledBefore(p *pass, st *dockerfile.Stage, outer *dockerfile.Instruction, tools []cacheTool, flags []string) bool {
	var compiling []cacheTool
	for _, t := range tools {
		if t.compiles {
			compiling = append(compiling, t)
		}
	}
	if len(compiling) == 0 {
		return false
	}
	chain := st.Chain()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if in == outer {
				return false
			}
			if in.Cmd != "run" || !runsTools(p, in, compiling) {
				continue
			}
			for _, fl := range flags {
				if target, _, _ := splitMount(fl); !hasMountAt(in, target) {
					return true
				}
			}
		}
	}
	return false
}

// runsTools reports whether a RUN runs one of the tools' commands, make,
// or a script (./build.sh, sh build.sh), which may run them.
func runsTools(p *pass, in *dockerfile.Instruction, tools []cacheTool) bool {
	for _, rs := range p.Shell(in) {
		for _, c := range rs.Commands {
			for _, t := range tools {
				if c.Is(t.commands...) {
					return true
				}
			}
			if c.Is("make", "gmake", "just", "task") || scriptCommand(c) {
				return true
			}
		}
	}
	return false
}

// scriptCommand reports whether c runs a script file: ./x, /path/x.sh,
// or sh/bash with a script argument.
func scriptCommand(c *shell.Command) bool {
	if strings.HasPrefix(c.Name, "./") || strings.HasSuffix(c.Name, ".sh") {
		return true
	}
	if c.Is("sh", "bash", "ash", "dash") {
		for _, a := range c.Args {
			if !strings.HasPrefix(a, "-") {
				return true
			}
			if a == "-c" {
				return false
			}
		}
	}
	return false
}

// usedAtRunTime reports whether a container built from st, or from a
// stage built FROM it, may need a compiling tool's cache when it runs:
// its command runs the tool or a script, or it is the final image and
// has no command (a toolchain image others build or run tools in).
func usedAtRunTime(f *dockerfile.File, st *dockerfile.Stage, tools []cacheTool) bool {
	var compiling []cacheTool
	for _, t := range tools {
		if t.compiles {
			compiling = append(compiling, t)
		}
	}
	if len(compiling) == 0 {
		return false
	}
	for _, s := range descendants(f, st) {
		cmd := commandOf(s)
		if cmd == nil {
			if s == f.FinalStage() {
				return true
			}
			continue
		}
		words := commandWords(cmd)
		if len(words) == 0 {
			return true
		}
		for _, w := range words {
			b := path.Base(w)
			if strings.HasSuffix(b, ".sh") {
				return true
			}
			for _, t := range compiling {
				if slices.Contains(t.commands, b) {
					return true
				}
			}
		}
	}
	return false
}

// commandOf returns the last ENTRYPOINT or CMD in st's chain (the
// ENTRYPOINT when both are there), nil for none.
func commandOf(st *dockerfile.Stage) *dockerfile.Instruction {
	for _, s := range st.Chain() {
		if e := lastOf(s, "entrypoint"); e != nil {
			return e
		}
		if c := lastOf(s, "cmd"); c != nil {
			return c
		}
	}
	return nil
}

// commandWords returns the words of a CMD or ENTRYPOINT (for the shell
// form, split on blanks and shell operators).
func commandWords(in *dockerfile.Instruction) []string {
	if in.JSON {
		var out []string
		for _, a := range in.Args {
			out = append(out, strings.Fields(a)...)
		}
		return out
	}
	return strings.FieldsFunc(strings.Join(in.Args, " "), func(r rune) bool {
		return r == ' ' || r == '\t' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')'
	})
}
