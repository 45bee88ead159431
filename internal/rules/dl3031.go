package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3031 was "do not use yum update".
var DL3031 = &Rule{
	ID:       "DL3031",
	Name:     "yum-update",
	Severity: vocab.Error,
	Category: vocab.Security,
	Retired:  true,
	Doc: Doc{
		Summary: "Retired: do not use yum update.",
		Why: "Like DL3005 for yum-based images: it discouraged upgrading packages in the image. " +
			"Applying security updates during the build is now recommended, so the rule was " +
			"removed; the code is kept for ignore lists.",
		Bad:  "RUN yum update -y",
		Good: "RUN yum update -y && yum clean all",
	},
}
