package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3018 reports apk add of packages without a version.
var DL3018 = &Rule{
	ID:       "DL3018",
	Name:     "apk-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in apk add: use apk add <package>=<version>.",
		Why: "Without a version apk installs whatever the repository holds on the day of the build, " +
			"so rebuilds are not repeatable. Pin with =, ~ or a comparison (curl~8.5); local .apk " +
			"files count as pinned.",
		Bad:  "RUN apk add --no-cache curl",
		Good: "RUN apk add --no-cache curl=8.5.0-r0",
	},
	Check: pinCheck(
		func(op *shellOp) bool { return op.Is(shell.ActionInstall, shell.Apk) },
		func(_ *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL },
		"Pin versions in apk add: use apk add <package>=<version>"),
}
