package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3028 reports gem install without a version.
var DL3028 = &Rule{
	ID:       "DL3028",
	Name:     "gem-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in gem install: use gem install <gem>:<version>.",
		Why: "Without a version gem installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable. Pin with gem:version or -v/--version.",
		Bad:  "RUN gem install bundler",
		Good: "RUN gem install bundler:2.5.6",
	},
	Check: pinCheck(
		func(op *shellOp) bool { return op.Is(shell.ActionInstall, shell.Gem) },
		func(_ *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL },
		"Pin versions in gem install: use gem install <gem>:<version>"),
}
