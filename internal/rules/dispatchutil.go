package rules

import (
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// The order in which BuildKit's Dockerfile frontend dispatches
// instructions (dockerfile2llb), which the BuildKit checks that run at
// dispatch time follow: stage by stage in file order; in a stage built
// FROM an earlier stage, first the ONBUILD triggers of that stage, and
// only when the stage is needed for the final stage (BuildKit attaches
// triggers to the stages reachable from the target), reported at the
// stage's FROM line; then the stage's own instructions.

// bkStep is one instruction as BuildKit dispatches it.
type bkStep struct {
	// in is the instruction that runs: one of the stage's, or the
	// trigger of an ONBUILD of the stage it is built FROM.
	in *dockerfile.Instruction
	// at is where BuildKit reports findings on it: in itself, or the
	// stage's FROM for a trigger.
	at *dockerfile.Instruction
	// stage is the stage being dispatched.
	stage *dockerfile.Stage
}

// trigger reports whether the step runs an inherited ONBUILD trigger.
func (s bkStep) trigger() bool { return s.in != s.at }

// bkRun is one stage as BuildKit dispatches it.
type bkRun struct {
	stage *dockerfile.Stage
	// base is the earlier stage this one is built FROM, matched as
	// BuildKit does (bkBaseStage); nil for an image or scratch.
	base  *dockerfile.Stage
	steps []bkStep
}

// bkRuns returns the stages of f as BuildKit dispatches them.
func bkRuns(f *dockerfile.File, g *bkGlobals) []bkRun {
	runs := make([]bkRun, len(f.Stages))
	for i, st := range f.Stages {
		runs[i] = bkRun{stage: st, base: bkBaseStage(f, g, st)}
	}
	reach := bkReachable(f, runs)
	for i := range runs {
		r := &runs[i]
		if r.base != nil && reach[r.stage] {
			for _, in := range r.base.Instructions {
				if in.Trigger != nil {
					r.steps = append(r.steps, bkStep{in: in.Trigger, at: r.stage.From, stage: r.stage})
				}
			}
		}
		for _, in := range r.stage.Instructions {
			if in.Cmd != "from" {
				r.steps = append(r.steps, bkStep{in: in, at: in, stage: r.stage})
			}
		}
	}
	return runs
}

// bkEachScope calls fn for every step of the file's trace (bkScopes), in
// BuildKit's dispatch order, with the scope in force before it.
func bkEachScope(p *Pass, fn func(bkStep, *bkScope)) {
	for _, s := range bkScopes(p).steps {
		fn(s.bkStep, s.sc)
	}
}

// bkReachable returns the stages the final stage needs: its base stage,
// the stages it copies or mounts from, and theirs, with the references
// of the ONBUILD triggers a needed stage inherits.
func bkReachable(f *dockerfile.File, runs []bkRun) map[*dockerfile.Stage]bool {
	reach := map[*dockerfile.Stage]bool{}
	if len(runs) == 0 {
		return reach
	}
	var visit func(i int)
	visit = func(i int) {
		r := runs[i]
		if reach[r.stage] {
			return
		}
		reach[r.stage] = true
		var ins []*dockerfile.Instruction
		if r.base != nil {
			visit(r.base.Index)
			for _, in := range r.base.Instructions {
				if in.Trigger != nil {
					ins = append(ins, in.Trigger)
				}
			}
		}
		ins = append(ins, r.stage.Instructions...)
		for _, in := range ins {
			for _, dep := range bkDeps(f, in) {
				visit(dep.Index)
			}
		}
	}
	visit(len(runs) - 1)
	return reach
}

// bkDeps returns the stages an instruction reads from as BuildKit finds
// them: COPY --from by lower-cased name or by index, RUN --mount from= by
// name. A name that is no stage is an image.
func bkDeps(f *dockerfile.File, in *dockerfile.Instruction) []*dockerfile.Stage {
	var out []*dockerfile.Stage
	if in.Cmd == "copy" {
		if from, ok := in.Flag("from"); ok && from != "" {
			if n, err := strconv.Atoi(from); err == nil {
				if n >= 0 && n < len(f.Stages) {
					out = append(out, f.Stages[n])
				}
			} else if st := bkStageNamed(f, from); st != nil {
				out = append(out, st)
			}
		}
	}
	if in.Cmd == "run" {
		for _, m := range in.Mounts() {
			if st := bkStageNamed(f, m.From); m.From != "" && st != nil {
				out = append(out, st)
			}
		}
	}
	return out
}

// bkStageNamed finds a stage by name the way BuildKit's name map does:
// case-insensitively, the last stage of that name winning.
func bkStageNamed(f *dockerfile.File, name string) *dockerfile.Stage {
	var found *dockerfile.Stage
	for _, st := range f.Stages {
		if st.Name != "" && strings.EqualFold(st.Name, name) {
			found = st
		}
	}
	return found
}
