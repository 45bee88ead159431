package rules

import "github.com/stratatools/strata/internal/dockerfile"

// The prelude: the instructions written before the first FROM, ARG
// excepted. Docker refuses such a file ("no build stage in current
// context") and DL3061 reports each of them, but hadolint has no notion of
// being outside a stage: it runs every rule over the whole instruction
// list, so `EXPOSE 80000` or `RUN pip install flask` alone in a file is
// reported by DL3011 and DL3013 as well. strata's DL rules do the same
// through the walkers they share:
//
//   - shellRuns and eachInstruction visit the prelude's RUNs and
//     instructions first, as if they formed a stage of their own;
//   - stagesWithPrelude returns the file's stages preceded by a
//     pseudo-stage holding the prelude, for the DL rules that keep state
//     per stage (DL3022, DL3045, DL4000 ...).
//
// The pseudo-stage is not one of File.Stages: it has no FROM (From is
// nil), no name, Index -1, and its instructions keep Stage == nil. Rules
// that reason about what a stage builds (the stage graph, the final
// image, its user, its base) walk File.Stages or the final chain and never
// see it, so strata's own SD rules and BuildKit's checks judge only what
// Docker would build.

// preludeKey names the file's prelude pseudo-stage among the facts shared
// by the rules of a run (one value, so that rules can key maps by it).
var preludeKey = NewKey[*dockerfile.Stage]("prelude")

// prelude returns the pseudo-stage holding the instructions before the
// first FROM other than ARG, or nil when there are none.
func prelude(p *Pass) *dockerfile.Stage {
	return Memo(p, preludeKey, func() *dockerfile.Stage { return newPrelude(p.File) })
}

func newPrelude(f *dockerfile.File) *dockerfile.Stage {
	ins := preludeInstructions(f)
	if len(ins) == 0 {
		return nil
	}
	return &dockerfile.Stage{Index: -1, Instructions: ins}
}

// preludeInstructions returns the instructions before the first FROM
// other than ARG.
func preludeInstructions(f *dockerfile.File) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range f.Instructions {
		if in.Cmd == "from" {
			break
		}
		if in.Cmd != "arg" && in.Stage == nil {
			out = append(out, in)
		}
	}
	return out
}

// isPrelude reports whether st is the prelude pseudo-stage.
func isPrelude(st *dockerfile.Stage) bool { return st != nil && st.From == nil }

// stagesWithPrelude returns the stages a DL rule with per-stage state
// walks: the prelude pseudo-stage (when the file has one) and then the
// file's stages. A rule using it must not expect a FROM (From is nil) or
// an index into File.Stages (Index is -1) for the prelude.
func stagesWithPrelude(p *Pass) []*dockerfile.Stage {
	pre := prelude(p)
	if pre == nil {
		return p.File.Stages
	}
	return append([]*dockerfile.Stage{pre}, p.File.Stages...)
}
