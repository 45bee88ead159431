package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3012 reports several HEALTHCHECK instructions in a stage.
var DL3012 = &Rule{
	ID:       "DL3012",
	Twins:    []string{"MultipleInstructionsDisallowed"},
	Name:     "multiple-healthcheck",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Multiple HEALTHCHECK instructions.",
		Why: "An image has one health check: each HEALTHCHECK replaces the previous one, so all " +
			"but the last are dead code that misleads readers about how the container is probed. " +
			"As in hadolint the later HEALTHCHECK is reported; BuildKit's twin, " +
			"MultipleInstructionsDisallowed, reports the earlier one.",
		Bad:  "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK CMD wget -q --spider http://localhost/",
		Good: "HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1",
	},
	Check: onlyLastCheck("healthcheck"),
}
