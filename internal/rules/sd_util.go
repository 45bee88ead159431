package rules

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Helpers shared by strata's checklist rules (the sd_*.go files).

// sdItem is one instruction of a build sequence: in is the instruction to
// inspect (the wrapped instruction for an ONBUILD trigger) and outer the
// top-level instruction findings are reported on.
type sdItem struct {
	in, outer *dockerfile.Instruction
}

// sdSequences calls fn with every sequence of instructions that run one
// after another in one build: for each stage, the instructions of the
// stages it is built FROM followed by its own (inherited layers count),
// and, separately, its ONBUILD triggers, which run in the build of a
// downstream image. own reports whether an item belongs to the sequence's
// own stage (so that each instruction is judged once); for a trigger
// sequence every item is own.
func sdSequences(f *dockerfile.File, fn func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool)) {
	for _, st := range f.Stages {
		var seq []sdItem
		chain := st.Chain()
		for i := len(chain) - 1; i >= 0; i-- {
			for _, in := range chain[i].Instructions {
				if in.Cmd == "onbuild" {
					continue
				}
				seq = append(seq, sdItem{in, in})
			}
		}
		fn(st, seq, func(it sdItem) bool { return it.outer.Stage == st })
		var trig []sdItem
		for _, in := range st.Instructions {
			if in.Trigger != nil {
				trig = append(trig, sdItem{in.Trigger, in})
			}
		}
		if len(trig) > 0 {
			fn(st, trig, func(sdItem) bool { return true })
		}
	}
}

// finalChain returns the stages whose content makes up the final image,
// the external base first and the final stage last.
func finalChain(f *dockerfile.File) []*dockerfile.Stage {
	st := f.FinalStage()
	if st == nil {
		return nil
	}
	chain := st.Chain()
	out := make([]*dockerfile.Stage, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i])
	}
	return out
}

// finalInstructions returns the instructions of the final image's stage
// chain in build order (ONBUILD wrappers left out).
func finalInstructions(f *dockerfile.File) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, st := range finalChain(f) {
		for _, in := range st.Instructions {
			if in.Cmd != "onbuild" {
				out = append(out, in)
			}
		}
	}
	return out
}

// lastOf returns the last instruction of the given kind in ins.
func lastOf(ins []*dockerfile.Instruction, cmd string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range ins {
		if in.Cmd == cmd {
			last = in
		}
	}
	return last
}

// commandsOf returns the simple commands of a RUN's parsed scripts.
func commandsOf(p *Pass, outer *dockerfile.Instruction) []*shell.Command {
	var out []*shell.Command
	for _, rs := range p.Shell(outer) {
		out = append(out, rs.Commands...)
	}
	return out
}

// opsOf returns the package-manager invocations of a RUN.
func opsOf(p *Pass, outer *dockerfile.Instruction) []*shell.PackageOp {
	var out []*shell.PackageOp
	for _, rs := range p.Shell(outer) {
		out = append(out, rs.PackageOps()...)
	}
	return out
}

// runText returns the text a RUN executes (command line and heredoc
// bodies), for instructions whose shell is not parsed (PowerShell, cmd).
func runText(in *dockerfile.Instruction) string {
	if in.JSON {
		return strings.Join(in.Args, " ")
	}
	parts := append([]string(nil), in.Args...)
	for _, h := range in.Heredocs {
		parts = append(parts, h.Content)
	}
	return strings.Join(parts, "\n")
}

// isPOSIXRun reports whether the RUN's text is analysed by the shell
// parser (shell form, POSIX SHELL).
func isPOSIXRun(in *dockerfile.Instruction) bool {
	return !in.JSON && shell.IsPOSIXShell(in.Shell)
}

// hasCacheMount reports whether the RUN has a cache mount whose target is
// dir or one of its ancestors.
func hasCacheMount(in *dockerfile.Instruction, dir string) bool {
	for _, m := range in.Mounts() {
		if m.Type != "cache" || m.Target == "" {
			continue
		}
		t := path.Clean(m.Target)
		if t == dir || strings.HasPrefix(dir, strings.TrimSuffix(t, "/")+"/") {
			return true
		}
	}
	return false
}

// wordsOf splits command text (CMD, ENTRYPOINT, HEALTHCHECK, a shell
// string) into words, dropping quotes and shell punctuation.
func wordsOf(args []string) []string {
	var out []string
	for _, a := range args {
		for _, w := range strings.FieldsFunc(a, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')' || r == '`' || r == '"' || r == '\''
		}) {
			if w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// baseName returns the last element of a program path ("/usr/bin/curl"
// gives "curl").
func baseName(w string) string {
	w = strings.ReplaceAll(w, `\`, "/")
	return path.Base(w)
}

// officialRepo returns the repository name of a Docker Hub official image
// ("python" for python:3.12 or docker.io/library/python), or "".
func officialRepo(ref dockerfile.ImageRef) string {
	if ref.Registry != "" || strings.Contains(ref.Repository, "/") {
		return ""
	}
	return strings.ToLower(ref.Repository)
}

// isDistroless reports whether ref is a distroless or similar shell-less
// image (Google distroless, Chainguard static, scratch).
func isDistroless(ref dockerfile.ImageRef) bool {
	r := strings.ToLower(ref.Registry + "/" + ref.Repository)
	return ref.Scratch || strings.Contains(r, "distroless") || strings.HasPrefix(r, "cgr.dev/chainguard/static")
}

// contextHas returns the names among candidates that exist in the build
// context (all of them when the context is unknown and fallback is set).
func contextHas(bc *BuildContext, candidates []string) []string {
	var out []string
	for _, c := range candidates {
		if strings.ContainsAny(c, "*?[") {
			if bc.Known() {
				for _, e := range bc.Entries() {
					if ok, _ := path.Match(c, e); ok && !bc.Excluded(e) {
						out = append(out, e)
					}
				}
			}
			continue
		}
		if bc.Sent(c) {
			out = append(out, c)
		}
	}
	return out
}

// walkContext calls fn for every path under the context-relative
// directory root that is sent to the builder, up to maxDepth levels below
// root and maxEntries entries in all. It skips .git and node_modules.
func walkContext(bc *BuildContext, root string, maxDepth, maxEntries int, fn func(rel string, isDir bool)) {
	if !bc.Known() {
		return
	}
	count := 0
	var walk func(rel string, depth int)
	walk = func(rel string, depth int) {
		ents, err := os.ReadDir(filepath.Join(bc.Dir, filepath.FromSlash(rel)))
		if err != nil {
			return
		}
		names := make([]string, 0, len(ents))
		dirs := map[string]bool{}
		for _, e := range ents {
			names = append(names, e.Name())
			dirs[e.Name()] = e.IsDir()
		}
		sort.Strings(names)
		for _, n := range names {
			if count >= maxEntries {
				return
			}
			r := n
			if rel != "." && rel != "" {
				r = rel + "/" + n
			}
			if bc.Excluded(r) {
				continue
			}
			count++
			fn(r, dirs[n])
			if dirs[n] && depth < maxDepth && n != ".git" && n != "node_modules" {
				walk(r, depth+1)
			}
		}
	}
	walk(root, 0)
}

// containsWord reports whether the words include one whose base name is
// in names.
func containsWord(words []string, names map[string]bool) (string, bool) {
	for _, w := range words {
		if names[baseName(w)] {
			return baseName(w), true
		}
	}
	return "", false
}

var versionRe = regexp.MustCompile(`^\d+(\.\d+)*$`)

// copySources returns the source operands of a COPY or ADD (the last
// argument is the destination).
func copySources(in *dockerfile.Instruction) []string {
	if len(in.Args) < 2 {
		return nil
	}
	return in.Args[:len(in.Args)-1]
}

// fromContext reports whether a COPY or ADD reads the build context (no
// --from, and for ADD not a URL or git source).
func fromContext(in *dockerfile.Instruction) bool {
	if in.Cmd != "copy" && in.Cmd != "add" {
		return false
	}
	if _, ok := in.Flag("from"); ok {
		return false
	}
	if len(in.Heredocs) > 0 && len(in.Args) <= 2 {
		return false
	}
	for _, s := range copySources(in) {
		if !sdRemoteSource(s) {
			return true
		}
	}
	return false
}

func sdRemoteSource(s string) bool {
	return isRemoteSource(s) || strings.HasPrefix(s, "<<")
}

// copiesWholeContext reports whether a COPY or ADD sends the whole
// context.
func copiesWholeContext(in *dockerfile.Instruction) bool {
	if !fromContext(in) {
		return false
	}
	for _, s := range copySources(in) {
		if dockerfile.IsContextSource(dockerfile.TrimQuotes(s)) {
			return true
		}
	}
	return false
}

// neededStages returns the stages a default build of the file runs: the
// final stage and, transitively, the stages it is built FROM or copies
// from. BuildKit skips the others unless a --target names them.
func neededStages(f *dockerfile.File) map[*dockerfile.Stage]bool {
	out := map[*dockerfile.Stage]bool{}
	var visit func(st *dockerfile.Stage)
	visit = func(st *dockerfile.Stage) {
		if st == nil || out[st] {
			return
		}
		out[st] = true
		visit(st.BaseStage)
		for _, c := range st.CopiesFrom {
			visit(c)
		}
	}
	visit(f.FinalStage())
	return out
}
