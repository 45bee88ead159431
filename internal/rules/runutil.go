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

// sdSequences calls fn with sequences of instructions that run one after
// another in one build, so that every instruction of every stage is
// judged once, after everything built before it: a sequence is the
// instructions of a chain of stages, each built FROM the one before, from
// a stage built FROM an image down to a stage no later stage is built
// FROM (inherited layers count). own reports whether an item is to be
// judged in this sequence (an item whose stage an earlier sequence
// covered only sets the scene). An item's own stage is it.outer.Stage;
// st is the last stage of the sequence. A check must judge an item from
// the items before it in the sequence and from its own stage's items
// after it (sdStageRest), never from a later stage's. Separately, fn gets
// each stage's ONBUILD triggers, which run in the build of a downstream
// image; for a trigger sequence every item is own.
//
// Each stage is read once per sequence that passes through it, so a chain
// of stages costs time linear in its length. Sequences that share a long
// prefix (many stages built FROM one big stage, or a chain with a side
// stage at every step) would re-read it each time; past a budget of
// sdSequenceBudget items per instruction of the file, the stages not yet
// judged are left out (the checks say less rather than take quadratic
// time).
func sdSequences(f *dockerfile.File, fn func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool)) {
	n := len(f.Stages)
	judged := make([]bool, n)
	leaf := make([]bool, n)
	for i := range leaf {
		leaf[i] = true
	}
	for _, st := range f.Stages {
		if b := st.BaseStage; b != nil && b.Index < st.Index && f.Stages[b.Index] == b {
			leaf[b.Index] = false
		}
	}
	budget := sdSequenceBudget*len(f.Instructions) + 4096
	own := func(it sdItem) bool { return it.outer.Stage != nil && !judged[it.outer.Stage.Index] }
	for _, st := range f.Stages {
		if leaf[st.Index] {
			chain := st.Chain()
			size := 0
			for _, s := range chain {
				size += len(s.Instructions)
			}
			if budget -= size; budget >= 0 {
				seq := make([]sdItem, 0, size)
				for i := len(chain) - 1; i >= 0; i-- {
					for _, in := range chain[i].Instructions {
						if in.Cmd != "onbuild" {
							seq = append(seq, sdItem{in, in})
						}
					}
				}
				fn(st, seq, own)
				for _, s := range chain {
					judged[s.Index] = true
				}
			}
		}
	}
	for _, st := range f.Stages {
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

// sdSequenceBudget bounds the work of sdSequences: how many items it may
// hand out per instruction of the file.
const sdSequenceBudget = 16

// sdStageRest returns the items after seq[i] that belong to its stage.
func sdStageRest(seq []sdItem, i int) []sdItem {
	st := seq[i].outer.Stage
	j := i + 1
	for j < len(seq) && seq[j].outer.Stage == st {
		j++
	}
	return seq[i+1 : j]
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
