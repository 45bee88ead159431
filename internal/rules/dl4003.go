package rules

import "github.com/stratatools/strata/internal/vocab"

// DL4003 reports several CMD instructions in a stage.
var DL4003 = &Rule{
	ID:       "DL4003",
	Twins:    []string{"MultipleInstructionsDisallowed"},
	Name:     "multiple-cmd",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Multiple CMD instructions found: only the last one takes effect.",
		Why: "CMD sets the image's default command; a later CMD replaces an earlier one. Several " +
			"CMDs in a stage usually mean a leftover or a misunderstanding (to run several " +
			"processes, use a script or a process manager). As in hadolint the later CMD is " +
			"reported; BuildKit's twin, MultipleInstructionsDisallowed, reports the earlier one.",
		Bad:  "CMD [\"nginx\"]\nCMD [\"php-fpm\"]",
		Good: "CMD [\"/usr/local/bin/start.sh\"]",
	},
	Check: onlyLastCheck("cmd"),
}
