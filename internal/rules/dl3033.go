package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3033 reports yum install without versions.
var DL3033 = &Rule{
	ID:       "DL3033",
	Name:     "yum-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Specify version with yum install -y <package>-<version>.",
		Why: "Without a version yum installs whatever the repositories hold on the day of the " +
			"build, so rebuilds are not repeatable. Pin with name-version; modules with " +
			"name:stream. Local .rpm files and package groups are not reported.",
		Bad:  "RUN yum install -y httpd && yum clean all",
		Good: "RUN yum install -y httpd-2.4.6 && yum clean all",
	},
	Check: pinCheck(isYumInstall, rpmPinned, "Specify version with yum install -y <package>-<version>"),
}
