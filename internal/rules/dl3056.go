package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3056 reports semver labels that are not semantic versions.
var DL3056 = &Rule{
	ID:         "DL3056",
	Name:       "label-not-semver",
	Severity:   vocab.Warning,
	Category:   vocab.StyleCat,
	DefaultOff: true,
	Doc: Doc{
		Summary: "A semver label of the label schema does not conform to semantic versioning.",
		Why: "Version labels are compared by deployment and update tools; they need " +
			"MAJOR.MINOR.PATCH (with optional -pre-release and +build parts) to order releases. " +
			"The rule runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.version: semver}\nLABEL org.opencontainers.image.version=v1.4",
		Good: "# label-schema: {org.opencontainers.image.version: semver}\nLABEL org.opencontainers.image.version=1.4.0",
	},
	Check: labelValueCheck(labelSemVer, validSemVer, "a semantic version"),
}

// validSemVer reports whether s is a semantic version (MAJOR.MINOR.PATCH
// with optional pre-release and build metadata, no "v" prefix).
func validSemVer(s string) bool {
	core, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !validIdents(build, false) {
		return false
	}
	core, pre, hasPre := strings.Cut(core, "-")
	if hasPre && !validIdents(pre, true) {
		return false
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, n := range parts {
		if !isDigits(n) || len(n) > 1 && n[0] == '0' {
			return false
		}
	}
	return true
}

// validIdents checks dot-separated pre-release or build identifiers.
func validIdents(s string, noLeadingZero bool) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
				return false
			}
		}
		if noLeadingZero && isDigits(id) && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}
