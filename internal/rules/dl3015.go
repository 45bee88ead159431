package rules

import (
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3015 reports apt-get install without --no-install-recommends.
var DL3015 = &Rule{
	ID:        "DL3015",
	Name:      "apt-get-no-install-recommends",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: vocab.SizeMinimalPackages,
	Doc: Doc{
		Summary: "Avoid additional packages by specifying --no-install-recommends.",
		Why: "By default apt-get also installs the packages the ones you asked for merely " +
			"recommend: documentation, optional tools, sometimes hundreds of megabytes. A container " +
			"needs only hard dependencies. --no-install-recommends (or -o " +
			"APT::Install-Recommends=false) keeps the image small; add what you really need by name.",
		Bad:  "RUN apt-get install -y python3",
		Good: "RUN apt-get install -y --no-install-recommends python3",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			found := false
			var edits []scriptEdit
			var rs *edit.Script
			for _, op := range aptGetInstalls(r) {
				if op.NoRecommends() {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " --no-install-recommends"))
				}
			}
			if !found {
				continue
			}
			var fix *edit.Fix
			if rs != nil {
				// Safe, as the issue and hadolint's users treat it: the
				// packages asked for are installed; a recommended one the
				// image relies on must then be named (--ignore DL3015
				// keeps the fix away).
				fix = scriptFix(p.File, r, rs, "add --no-install-recommends to apt-get install (installs fewer packages; name any recommended package the image needs)", false,
					func(s *shell.Script) bool {
						for _, op := range s.PackageOpsFor(shell.ActionInstall, shell.AptGet) {
							if op.Verb == "install" && !op.NoRecommends() {
								return false
							}
						}
						return true
					}, edits...)
			}
			p.ReportFix(r.outer, fix, "%sAvoid additional packages by specifying --no-install-recommends", r.prefix())
		}
		return nil
	},
}
