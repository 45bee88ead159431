package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3034 reports zypper commands without a non-interactive switch.
var DL3034 = &Rule{
	ID:       "DL3034",
	Name:     "zypper-non-interactive",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Non-interactive switch missing from zypper command: zypper install -y.",
		Why: "A Docker build has no terminal to answer zypper's confirmation prompt: without -y " +
			"(--no-confirm) or the global -n (--non-interactive) zypper stops and the build fails.",
		Bad:  "RUN zypper install httpd=2.4.46",
		Good: "RUN zypper install -y httpd=2.4.46 && zypper clean",
	},
	Check: yesCheck(zypperPrompts, "-y", "Non-interactive switch missing from zypper command: zypper install -y"),
}

// zypperPrompts selects the zypper subcommands that ask for confirmation.
func zypperPrompts(op *shellOp) bool {
	return op.Manager == shell.Zypper && verbIn(op, "install", "in", "remove", "rm", "source-install", "si", "patch")
}
