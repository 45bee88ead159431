package rules

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/util/system"
	"github.com/stratatools/strata/internal/vocab"
)

// WorkdirRelativePath is BuildKit's check of relative WORKDIRs, with
// BuildKit's semantics; hadolint's DL3000 is its twin.
var WorkdirRelativePath = &Rule{
	ID:       "WorkdirRelativePath",
	Twins:    []string{"DL3000"},
	Name:     "buildkit-workdir-relative-path",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "The first WORKDIR of a stage should be absolute (BuildKit's check).",
		Why: "A relative WORKDIR is resolved against the base image's working directory, which " +
			"can change when the image is updated. As in BuildKit, only the first WORKDIR of a " +
			"stage chain is judged (once an absolute one has run, later relative ones are " +
			"resolved against it; a stage built FROM another inherits whether one ran), the " +
			"value is judged after ARG and ENV expansion (WORKDIR $DIR with DIR=app is relative, " +
			"an undefined $DIR gives \"\"), and an ONBUILD WORKDIR inherited from a parent stage " +
			"is reported at the child's FROM. Deviations: a WORKDIR whose value comes from a " +
			"variable the base image may define (strata cannot read its ENV) is not judged; and " +
			"a stage built on a Windows image or --platform=windows is judged as Windows, where " +
			"C:\\app is absolute (BuildKit judges for the build's target platform, and a Linux " +
			"builder cannot use a Windows base). hadolint's DL3000 reports every relative WORKDIR " +
			"as written; where both report a line, one finding is shown.",
		Bad:  "FROM node:22-slim\nWORKDIR app",
		Good: "FROM node:22-slim\nWORKDIR /app",
	},
	Check: func(p *Pass) error {
		bkEachScope(p, func(step bkStep, sc *bkScope) {
			c, ok := step.in.Typed.(*instructions.WorkdirCommand)
			if !ok || sc.workdirSet {
				return
			}
			val, _, certain := sc.word(sc.lex, c.Path)
			if certain && !system.IsAbs(val, sc.os) {
				p.Report(step.at, "%s", linter.RuleWorkdirRelativePath.Format(val))
			}
		})
		return nil
	},
}
