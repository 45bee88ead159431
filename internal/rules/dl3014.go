package rules

import (
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3014 reports apt-get install without -y.
var DL3014 = &Rule{
	ID:       "DL3014",
	Name:     "apt-get-yes",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use the -y switch to avoid manual input: apt-get -y install <package>.",
		Why: "A Docker build has no terminal to answer apt-get's confirmation prompt: without -y " +
			"(or --yes, --assume-yes, -qq) apt-get aborts as soon as it would install anything beyond " +
			"the packages named, and the build fails.",
		Bad:  "RUN apt-get install curl",
		Good: "RUN apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			var fix *edit.Fix
			found := false
			var edits []scriptEdit
			var rs *edit.Script
			for _, op := range aptGetInstalls(r) {
				if op.AssumesYes() {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " -y"))
				}
			}
			if !found {
				continue
			}
			if rs != nil {
				fix = scriptFix(p.File, r, rs, "add -y to apt-get install", false, func(s *shell.Script) bool {
					for _, op := range s.PackageOpsFor(shell.ActionInstall, shell.AptGet) {
						if op.Verb == "install" && !op.AssumesYes() {
							return false
						}
					}
					return true
				}, edits...)
			}
			p.ReportFix(r.outer, fix, "%sUse the -y switch to avoid manual input: apt-get install -y <package>", r.prefix())
		}
		return nil
	},
}
