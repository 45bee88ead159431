package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3030 reports yum install without -y.
var DL3030 = &Rule{
	ID:       "DL3030",
	Name:     "yum-yes",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use the -y switch to avoid manual input: yum install -y <package>.",
		Why: "A Docker build has no terminal to answer yum's confirmation prompt: without -y " +
			"(--assumeyes) yum stops and the build fails.",
		Bad:  "RUN yum install httpd-2.4.6",
		Good: "RUN yum install -y httpd-2.4.6 && yum clean all",
	},
	Check: yesCheck(isYumInstall, "-y", "Use the -y switch to avoid manual input: yum install -y <package>"),
}
