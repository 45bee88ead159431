package rules

import (
	"time"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3053 reports time labels that are not RFC 3339 timestamps.
var DL3053 = &Rule{
	ID:         "DL3053",
	Name:       "label-not-rfc3339",
	Severity:   vocab.Warning,
	Category:   vocab.StyleCat,
	DefaultOff: true,
	Doc: Doc{
		Summary: "An rfc3339 label of the label schema is not a valid RFC 3339 time.",
		Why: "Creation times are compared and sorted by tools; they expect RFC 3339 " +
			"(2024-05-01T12:00:00Z), not a locale-dependent date. The rule runs when a label " +
			"schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.created: rfc3339}\nLABEL org.opencontainers.image.created=\"May 1 2024\"",
		Good: "# label-schema: {org.opencontainers.image.created: rfc3339}\nLABEL org.opencontainers.image.created=2024-05-01T12:00:00Z",
	},
	Check: labelValueCheck(labelRFC3339, validRFC3339, "an RFC 3339 time"),
}

func validRFC3339(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}
