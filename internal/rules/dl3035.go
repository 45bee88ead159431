package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3035 reports zypper dist-upgrade.
var DL3035 = &Rule{
	ID:       "DL3035",
	Name:     "no-zypper-dist-upgrade",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not use zypper dist-upgrade.",
		Why: "dist-upgrade moves the image to a different distribution state than the base image " +
			"was built for, possibly a new release, and makes the build depend on the day it runs. " +
			"Use a newer base image instead, or zypper update/patch for fixes.",
		Bad:  "RUN zypper dist-upgrade -y",
		Good: "FROM opensuse/leap:15.6",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, op := range r.ops("", shell.Zypper) {
				if verbIn(op, "dist-upgrade", "dup") {
					p.Report(r.outer, "%sDo not use zypper dist-upgrade", r.prefix())
					break
				}
			}
		}
		return nil
	},
}
