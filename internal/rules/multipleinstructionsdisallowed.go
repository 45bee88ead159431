package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// MultipleInstructionsDisallowed is BuildKit's check of repeated CMD,
// ENTRYPOINT and HEALTHCHECK instructions, with BuildKit's semantics;
// hadolint's DL4003, DL4004 and DL3012 are its twins.
var MultipleInstructionsDisallowed = &Rule{
	ID:       "MultipleInstructionsDisallowed",
	Twins:    []string{"DL3012", "DL4003", "DL4004"},
	Name:     "buildkit-multiple-instructions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "A stage should have one CMD, one ENTRYPOINT and one HEALTHCHECK (BuildKit's check).",
		Why: "Each of these instructions replaces the previous one, so all but the last are dead " +
			"code that misleads readers. As in BuildKit, the finding is on the instruction that is " +
			"ignored: each occurrence but the last, per stage (a stage built FROM another starts " +
			"afresh), with an ONBUILD CMD inherited from the parent stage counted at the child's " +
			"FROM. hadolint's DL4003 (CMD), DL4004 (ENTRYPOINT) and DL3012 (HEALTHCHECK) report " +
			"the later occurrence instead; where both report a line, one finding is shown.",
		Bad:  "CMD [\"nginx\"]\nCMD [\"php-fpm\"]",
		Good: "CMD [\"/usr/local/bin/start.sh\"]",
	},
	Check: func(p *Pass) error {
		type kind struct {
			stage *dockerfile.Stage
			cmd   string
		}
		prev := map[kind]*dockerfile.Instruction{}
		bkEachScope(p, func(step bkStep, _ *bkScope) {
			var name string
			switch c := step.in.Typed.(type) {
			case *instructions.CmdCommand:
				name = c.Name()
			case *instructions.EntrypointCommand:
				name = c.Name()
			case *instructions.HealthCheckCommand:
				name = c.Name()
			default:
				return
			}
			k := kind{step.stage, step.in.Cmd}
			if at := prev[k]; at != nil {
				p.Report(at, "%s", linter.RuleMultipleInstructionsDisallowed.Format(name))
			}
			prev[k] = step.at
		})
		return nil
	},
}
