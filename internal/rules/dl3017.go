package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3017 was "do not use apk upgrade".
var DL3017 = &Rule{
	ID:       "DL3017",
	Name:     "apk-upgrade",
	Severity: vocab.Error,
	Category: vocab.Security,
	Retired:  true,
	Doc: Doc{
		Summary: "Retired: do not use apk upgrade.",
		Why: "Like DL3005 for Alpine: it discouraged upgrading packages in the image. Applying " +
			"security updates during the build is now recommended, so the rule was removed; the " +
			"code is kept for ignore lists.",
		Bad:  "RUN apk upgrade",
		Good: "RUN apk upgrade --no-cache",
	},
}
