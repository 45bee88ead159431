package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3038 reports dnf install without -y.
var DL3038 = &Rule{
	ID:       "DL3038",
	Name:     "dnf-yes",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use the -y switch to avoid manual input: dnf install -y <package>.",
		Why: "A Docker build has no terminal to answer dnf's confirmation prompt: without -y " +
			"(--assumeyes) dnf stops and the build fails.",
		Bad:  "RUN dnf install httpd-2.4.46",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
	},
	Check: yesCheck(isDnfInstall, "-y", "Use the -y switch to avoid manual input: dnf install -y <package>"),
}
