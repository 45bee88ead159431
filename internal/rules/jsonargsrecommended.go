package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/stratatools/strata/internal/vocab"
)

// JSONArgsRecommended is BuildKit's check of shell-form CMD and
// ENTRYPOINT, with BuildKit's semantics; hadolint's DL3025 is its twin.
var JSONArgsRecommended = &Rule{
	ID:        "JSONArgsRecommended",
	Twins:     []string{"DL3025"},
	Name:      "buildkit-json-args-recommended",
	Severity:  vocab.Warning,
	Category:  vocab.Performance,
	Checklist: vocab.PerformanceExecForm,
	Doc: Doc{
		Summary: "JSON arguments recommended for CMD and ENTRYPOINT (BuildKit's check).",
		Why: "A shell-form CMD or ENTRYPOINT runs under /bin/sh -c, which becomes PID 1 and does " +
			"not pass SIGTERM on: `docker stop` waits and then kills the app. As in BuildKit, the " +
			"check is silent once a SHELL instruction has run in the stage or a stage it is built " +
			"FROM (the shell form is then deliberate), and an ONBUILD CMD inherited from a parent " +
			"stage is reported at the child's FROM. BuildKit is also silent when the base image's " +
			"configuration sets a shell; strata cannot read it and assumes none (distribution " +
			"images set none). hadolint's DL3025 reports every shell-form CMD and ENTRYPOINT, SHELL " +
			"or not; where both report a line, one finding is shown.",
		Bad:  "FROM alpine:3.21\nCMD serve --port 8080",
		Good: "FROM alpine:3.21\nCMD [\"serve\", \"--port\", \"8080\"]",
	},
	Check: func(p *Pass) error {
		bkEachScope(p, func(step bkStep, sc *bkScope) {
			var name string
			switch c := step.in.Typed.(type) {
			case *instructions.CmdCommand:
				if !c.PrependShell {
					return
				}
				name = c.Name()
			case *instructions.EntrypointCommand:
				if !c.PrependShell {
					return
				}
				name = c.Name()
			default:
				return
			}
			if !sc.shellSet {
				p.Report(step.at, "%s", linter.RuleJSONArgsRecommended.Format(name))
			}
		})
		return nil
	},
}
