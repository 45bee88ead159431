package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// RUN instructions as strata's checklist rules (SD) see them: the
// sequence of each stage, their text and package operations, and cache
// mounts.

// mountLike reports whether the RUN has a cache mount whose target
// contains one of the fragments.
func mountLike(in *dockerfile.Instruction, frags ...string) bool {
	for _, m := range in.Mounts() {
		if m.Type != "cache" {
			continue
		}
		for _, f := range frags {
			if strings.Contains(m.Target, f) {
				return true
			}
		}
	}
	return false
}

// onbuildPrefix returns "ONBUILD " for a trigger item.
func onbuildPrefix(it sdItem) string {
	return triggerPrefix(it.in, it.outer)
}

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
