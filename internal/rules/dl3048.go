package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3048 reports label keys that break Docker's naming guidelines.
var DL3048 = &Rule{
	ID:       "DL3048",
	Name:     "invalid-label-key",
	Severity: vocab.Style,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "Invalid label key.",
		Why: "Docker's guidelines ask for label keys in lower case made of letters, digits, dots " +
			"and dashes, starting with a letter and ending with a letter or digit, without " +
			"doubled separators, and in reverse-DNS form outside the com.docker., io.docker. and " +
			"org.dockerproject. namespaces that Docker reserves. Tools that query labels rely on " +
			"this.",
		Bad:  "LABEL Maintainer=\"team@example.com\" com.docker.thing=1",
		Good: "LABEL org.opencontainers.image.authors=\"team@example.com\" com.example.thing=1",
		Deviation: "hadolint judges a key as written, so a key holding a variable (LABEL " +
			"${VENDOR}.version=1) fails for its $ and braces; BuildKit expands the key before it " +
			"becomes a label, so strata judges the key once expanded with the ARG and ENV values " +
			"in force, and not at all when a value is not known.",
	},
	Check: func(p *Pass) error {
		idx := shIndexOf(p)
		eachLabel(p.File, func(in, outer *dockerfile.Instruction, key, _ string) {
			k := key
			if dockerfile.HasVariable(key) {
				// BuildKit expands the key: judge what it becomes, when
				// the values are known (not in ONBUILD, which expands in
				// the downstream build).
				if in != outer {
					return
				}
				exp, unresolved := dockerfile.ExpandArgs(key, idx.varsAt(in).lookup)
				if unresolved {
					return
				}
				k = exp
			}
			if validLabelKey(k) {
				return
			}
			if k != key {
				p.Report(outer, "label key %q (%q once expanded) is not valid: use lower-case reverse-DNS keys of letters, digits, dots and dashes", key, k)
				return
			}
			p.Report(outer, "label key %q is not valid: use lower-case reverse-DNS keys of letters, digits, dots and dashes", key)
		})
		return nil
	},
}

// validLabelKey reports whether a label key follows Docker's guidelines:
// lower-case letters, digits, dots and dashes, starting with a letter,
// ending with a letter or digit, no repeated separators and no namespace
// reserved for Docker.
func validLabelKey(k string) bool {
	if k == "" {
		return false
	}
	if c := k[0]; c < 'a' || c > 'z' {
		return false
	}
	if c := k[len(k)-1]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if strings.Contains(k, "..") || strings.Contains(k, "--") {
		return false
	}
	for _, ns := range []string{"com.docker.", "io.docker.", "org.dockerproject."} {
		if strings.HasPrefix(k, ns) {
			return false
		}
	}
	return true
}
