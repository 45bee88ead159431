package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
)

// The structural fixes (a .dockerignore, a non-root user, manifests
// first, a build stage, clean-ups moved, RUNs chained) are written by
// internal/fix/plan. The rules judge when one is wanted and hand the
// planner the pass through planInput.

// planInput is what a planner reads from a pass.
type planInput struct{ p *Pass }

func (x planInput) Dockerfile() *dockerfile.File                    { return x.p.File }
func (x planInput) BuildContext() plan.Context                      { return x.p.Context }
func (x planInput) Shell(in *dockerfile.Instruction) []*edit.Script { return x.p.Shell(in) }

// nonRootFix is SD501's fix for the final stage st: plan.NonRoot, for a
// Linux stage.
func nonRootFix(p *Pass, st *dockerfile.Stage) *edit.Fix {
	if st == nil || isWindowsStage(p.File, st) {
		return nil
	}
	return plan.NonRoot(planInput{p}, st)
}

// multiStageFix is the build-stage split SD403 and SD404 propose for the
// final stage st: plan.MultiStage, for a Linux stage.
func multiStageFix(p *Pass, st *dockerfile.Stage) *edit.Fix {
	if st == nil || isWindowsStage(p.File, st) {
		return nil
	}
	return plan.MultiStage(planInput{p}, st)
}
