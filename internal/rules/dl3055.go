package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3055 reports hash labels that are not git commit hashes.
var DL3055 = &Rule{
	ID:         "DL3055",
	Name:       "label-not-git-hash",
	Severity:   vocab.Warning,
	Category:   vocab.StyleCat,
	DefaultOff: true,
	Doc: Doc{
		Summary: "A hash label of the label schema is not a valid git hash.",
		Why: "A revision label lets anyone find the exact source of an image; it must be a " +
			"commit hash (full, or abbreviated to at least 7 characters), not a branch name. " +
			"The rule runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.revision: hash}\nLABEL org.opencontainers.image.revision=main",
		Good: "# label-schema: {org.opencontainers.image.revision: hash}\nLABEL org.opencontainers.image.revision=4f2a9c1",
	},
	Check: labelValueCheck(labelHash, validGitHash, "a git commit hash"),
}

// validGitHash reports whether s is a full (SHA-1 or SHA-256) or
// abbreviated git object name in lower-case hexadecimal.
func validGitHash(s string) bool {
	n := len(s)
	if !(n >= 7 && n <= 12 || n == 40 || n == 64) {
		return false
	}
	for i := 0; i < n; i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
