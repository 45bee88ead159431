package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3039 was "do not use dnf update".
var DL3039 = &Rule{
	ID:       "DL3039",
	Name:     "dnf-update",
	Severity: vocab.Error,
	Category: vocab.Security,
	Retired:  true,
	Doc: Doc{
		Summary: "Retired: do not use dnf update.",
		Why: "Like DL3005 for dnf-based images: it discouraged upgrading packages in the image. " +
			"Applying security updates during the build is now recommended, so the rule was " +
			"removed; the code is kept for ignore lists.",
		Bad:  "RUN dnf update -y",
		Good: "RUN dnf upgrade -y && dnf clean all",
	},
}
