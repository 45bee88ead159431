package rules

import "github.com/stratatools/strata/internal/vocab"

// DL4004 reports several ENTRYPOINT instructions in a stage.
var DL4004 = &Rule{
	ID:       "DL4004",
	Twins:    []string{"MultipleInstructionsDisallowed"},
	Name:     "multiple-entrypoint",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Multiple ENTRYPOINT instructions found: only the last one takes effect.",
		Why: "ENTRYPOINT sets the executable the container runs; a later ENTRYPOINT replaces an " +
			"earlier one (and resets CMD), so earlier ones are dead code. As in hadolint the later " +
			"ENTRYPOINT is reported; BuildKit's twin, MultipleInstructionsDisallowed, reports the " +
			"earlier one.",
		Bad:  "ENTRYPOINT [\"/docker-entrypoint.sh\"]\nENTRYPOINT [\"/app\"]",
		Good: "ENTRYPOINT [\"/docker-entrypoint.sh\", \"/app\"]",
	},
	Check: onlyLastCheck("entrypoint"),
}
