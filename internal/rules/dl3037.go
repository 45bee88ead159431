package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3037 reports zypper install without versions.
var DL3037 = &Rule{
	ID:       "DL3037",
	Name:     "zypper-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Specify version with zypper install -y <package>=<version>.",
		Why: "Without a version zypper installs whatever the repositories hold on the day of the " +
			"build, so rebuilds are not repeatable. Pin with =, >=, < and the like; local .rpm files " +
			"and patterns (-t pattern) are not reported.",
		Bad:  "RUN zypper install -y httpd && zypper clean",
		Good: "RUN zypper install -y httpd=2.4.46 && zypper clean",
	},
	Check: pinCheck(
		func(op *shellOp) bool {
			if !isZypperInstall(op) {
				return false
			}
			t, ok := op.FlagValue("-t", "--type")
			return !ok || t == "package"
		},
		func(_ *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL },
		"Specify version with zypper install -y <package>=<version>"),
}
