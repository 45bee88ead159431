package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3041 reports dnf install without versions.
var DL3041 = &Rule{
	ID:       "DL3041",
	Name:     "dnf-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Specify version with dnf install -y <package>-<version>.",
		Why: "Without a version dnf installs whatever the repositories hold on the day of the " +
			"build, so rebuilds are not repeatable. Pin with name-version; modules with " +
			"name:stream. Local .rpm files and package groups are not reported.",
		Bad:  "RUN dnf install -y httpd && dnf clean all",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
	},
	Check: pinCheck(isDnfInstall, rpmPinned, "Specify version with dnf install -y <package>-<version>"),
}
