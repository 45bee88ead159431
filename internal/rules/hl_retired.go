package rules

import "github.com/stratatools/strata/internal/vocab"

// Retired hadolint rules: accepted in ignore lists and configuration so
// that existing hadolint set-ups keep working, never run.

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
