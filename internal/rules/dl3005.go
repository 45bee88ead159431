package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3005 was "do not use apt-get upgrade or dist-upgrade".
var DL3005 = &Rule{
	ID:       "DL3005",
	Name:     "apt-get-upgrade",
	Severity: vocab.Error,
	Category: vocab.Security,
	Retired:  true,
	Doc: Doc{
		Summary: "Retired: do not use apt-get upgrade or dist-upgrade.",
		Why: "The rule told images not to upgrade the packages of their base image, expecting the " +
			"base to be rebuilt instead. Docker's and OWASP's guidance changed: upgrading in the " +
			"image is how security fixes get in between base image releases, so hadolint removed " +
			"the rule and strata accepts its code only in ignore lists.",
		Bad:  "RUN apt-get update && apt-get upgrade -y",
		Good: "RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*",
	},
}
