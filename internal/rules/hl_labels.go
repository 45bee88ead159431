package rules

import (
	"fmt"
	"net/mail"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// Label rules. DL3048 checks label keys and is on by default; the others
// read the label schema (Settings.RequiredLabels, hadolint's label-schema)
// and are switched on by it (see EnabledBySettings).

// Label schema value types (besides "text", which only requires presence).
const (
	labelURL     = "url"
	labelSemVer  = "semver"
	labelHash    = "hash"
	labelRFC3339 = "rfc3339"
	labelSPDX    = "spdx"
	labelEmail   = "email"
)

// eachLabel calls fn for every key/value pair of every LABEL, ONBUILD
// LABEL included.
func eachLabel(f *dockerfile.File, fn func(in, outer *dockerfile.Instruction, key, value string)) {
	eachInstruction(f, func(in, outer *dockerfile.Instruction) {
		if in.Cmd != "label" {
			return
		}
		for _, kv := range in.Pairs() {
			fn(in, outer, kv[0], kv[1])
		}
	})
}

// schemaType returns the schema type of a required label, lower case.
func schemaType(s *Settings, key string) (string, bool) {
	t, ok := s.RequiredLabels[key]
	return strings.ToLower(strings.TrimSpace(t)), ok
}

// labelRule builds a rule that checks the values of the required labels
// whose schema type is typ.
func labelRule(id, name, typ string, valid func(string) bool, summary, what string, doc Doc) *Rule {
	doc.Summary = summary
	return &Rule{
		ID:         id,
		Name:       name,
		Severity:   vocab.Warning,
		Category:   vocab.StyleCat,
		Doc:        doc,
		DefaultOff: true,
		Check: func(p *Pass) error {
			eachLabel(p.File, func(in, outer *dockerfile.Instruction, key, value string) {
				if t, ok := schemaType(p.Settings, key); !ok || t != typ || value == "" || dockerfile.HasVariable(value) {
					return
				}
				if !valid(value) {
					p.Report(outer, "label %q is not %s: %q", key, what, value)
				}
			})
			return nil
		},
	}
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
	},
	Check: func(p *Pass) error {
		eachLabel(p.File, func(in, outer *dockerfile.Instruction, key, _ string) {
			if dockerfile.HasVariable(key) || validLabelKey(key) {
				return
			}
			p.Report(outer, "label key %q is not valid: use lower-case reverse-DNS keys of letters, digits, dots and dashes", key)
		})
		return nil
	},
}

// labelTargets returns the stages whose labels matter: those no later
// stage builds FROM or copies from (the final stage and other build
// targets).
func labelTargets(f *dockerfile.File) []*dockerfile.Stage {
	used := map[*dockerfile.Stage]bool{}
	for _, st := range f.Stages {
		if st.BaseStage != nil {
			used[st.BaseStage] = true
		}
		for _, c := range st.CopiesFrom {
			used[c] = true
		}
	}
	var out []*dockerfile.Stage
	for _, st := range f.Stages {
		if !used[st] {
			out = append(out, st)
		}
	}
	return out
}

// DL3049 reports required labels missing from an image.
var DL3049 = &Rule{
	ID:       "DL3049",
	Name:     "missing-label",
	Severity: vocab.Info,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "A label required by the label schema is missing.",
		Why: "When an organisation requires labels (owner, source, version...), images without " +
			"them cannot be traced back or audited. Each stage that is a build target (not only " +
			"used as a base or copied from by a later stage) must carry every label of the " +
			"schema, set in the stage or inherited from the stage it is built FROM. The rule " +
			"runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20",
		Good: "# label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=\"https://github.com/example/app\"",
	},
	DefaultOff: true,
	Check: func(p *Pass) error {
		if len(p.Settings.RequiredLabels) == 0 {
			return nil
		}
		required := make([]string, 0, len(p.Settings.RequiredLabels))
		for k := range p.Settings.RequiredLabels {
			required = append(required, k)
		}
		sort.Strings(required)
		for _, st := range labelTargets(p.File) {
			have := map[string]bool{}
			for _, s := range st.Chain() {
				for _, in := range s.Instructions {
					if in.Cmd == "label" {
						for _, kv := range in.Pairs() {
							have[kv[0]] = true
						}
					}
				}
			}
			for _, k := range required {
				if !have[k] {
					p.Report(st.From, "label %q is missing from this image", k)
				}
			}
		}
		return nil
	},
}

// DL3050 reports labels outside the schema when strict labels are on.
var DL3050 = &Rule{
	ID:       "DL3050",
	Name:     "superfluous-label",
	Severity: vocab.Info,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "Superfluous label(s) present.",
		Why: "With strict labels (strict-labels: true), only the labels of the schema are " +
			"allowed, so that every label is documented and validated. The rule runs when strict " +
			"labels are configured.",
		Bad:  "# label-schema: {org.opencontainers.image.version: semver}, strict-labels: true\nLABEL build-host=ci-7",
		Good: "# label-schema: {org.opencontainers.image.version: semver}, strict-labels: true\nLABEL org.opencontainers.image.version=1.4.2",
	},
	DefaultOff: true,
	Check: func(p *Pass) error {
		if !p.Settings.StrictLabels {
			return nil
		}
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			if in.Cmd != "label" {
				return
			}
			var extra []string
			for _, kv := range in.Pairs() {
				if _, ok := p.Settings.RequiredLabels[kv[0]]; !ok {
					extra = append(extra, fmt.Sprintf("%q", kv[0]))
				}
			}
			if len(extra) > 0 {
				p.Report(outer, "label(s) %s are not in the label schema", strings.Join(extra, ", "))
			}
		})
		return nil
	},
}

// DL3051 reports required labels set to an empty value.
var DL3051 = &Rule{
	ID:       "DL3051",
	Name:     "empty-label",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "A label of the label schema is empty.",
		Why: "An empty value satisfies the presence check but carries no information, typically " +
			"because a build argument was not passed. Values built from variables are not " +
			"judged. The rule runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.revision: hash}\nLABEL org.opencontainers.image.revision=\"\"",
		Good: "# label-schema: {org.opencontainers.image.revision: hash}\nLABEL org.opencontainers.image.revision=\"4f2a9c1\"",
	},
	DefaultOff: true,
	Check: func(p *Pass) error {
		eachLabel(p.File, func(in, outer *dockerfile.Instruction, key, value string) {
			if _, ok := p.Settings.RequiredLabels[key]; ok && strings.TrimSpace(value) == "" {
				p.Report(outer, "label %q is empty", key)
			}
		})
		return nil
	},
}

// validURL reports whether s is an absolute URI.
func validURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp", "ssh", "git":
		return u.Host != ""
	}
	return u.Opaque != "" || u.Host != "" || u.Path != ""
}

// DL3052 reports URL labels that are not URLs.
var DL3052 = labelRule("DL3052", "label-not-url", labelURL, validURL,
	"A url label of the label schema is not a valid URL.", "a valid URL", Doc{
		Why: "Tools follow source and documentation labels as links; a value that is not an " +
			"absolute URL (with a scheme) leads nowhere. The rule runs when a label schema is " +
			"configured.",
		Bad:  "# label-schema: {org.opencontainers.image.source: url}\nLABEL org.opencontainers.image.source=github.com/example/app",
		Good: "# label-schema: {org.opencontainers.image.source: url}\nLABEL org.opencontainers.image.source=https://github.com/example/app",
	})

func validRFC3339(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// DL3053 reports time labels that are not RFC 3339 timestamps.
var DL3053 = labelRule("DL3053", "label-not-rfc3339", labelRFC3339, validRFC3339,
	"An rfc3339 label of the label schema is not a valid RFC 3339 time.", "an RFC 3339 time", Doc{
		Why: "Creation times are compared and sorted by tools; they expect RFC 3339 " +
			"(2024-05-01T12:00:00Z), not a locale-dependent date. The rule runs when a label " +
			"schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.created: rfc3339}\nLABEL org.opencontainers.image.created=\"May 1 2024\"",
		Good: "# label-schema: {org.opencontainers.image.created: rfc3339}\nLABEL org.opencontainers.image.created=2024-05-01T12:00:00Z",
	})

var (
	spdxOnce       sync.Once
	spdxLicenses   map[string]bool
	spdxExceptions map[string]bool
)

func spdxSets() (map[string]bool, map[string]bool) {
	spdxOnce.Do(func() {
		spdxLicenses, spdxExceptions = map[string]bool{}, map[string]bool{}
		for _, id := range strings.Fields(spdxLicenseIDs) {
			spdxLicenses[strings.ToLower(id)] = true
		}
		for _, id := range strings.Fields(spdxExceptionIDs) {
			spdxExceptions[strings.ToLower(id)] = true
		}
	})
	return spdxLicenses, spdxExceptions
}

// validSPDX reports whether s is an SPDX licence expression: licence
// identifiers (optionally with "+" or "WITH exception"), LicenseRef-
// references, combined with AND and OR and parentheses.
func validSPDX(s string) bool {
	licenses, exceptions := spdxSets()
	var toks []string
	for _, f := range strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)) {
		toks = append(toks, f)
	}
	isOp := func(t, op string) bool { return t == op || t == strings.ToLower(op) }
	isLicense := func(t string) bool {
		if strings.HasPrefix(t, "LicenseRef-") && len(t) > len("LicenseRef-") {
			return true
		}
		if strings.HasPrefix(t, "DocumentRef-") && strings.Contains(t, ":LicenseRef-") {
			return true
		}
		return licenses[strings.ToLower(strings.TrimSuffix(t, "+"))]
	}
	i := 0
	var expr func() bool
	term := func() bool {
		if i >= len(toks) {
			return false
		}
		if toks[i] == "(" {
			i++
			if !expr() || i >= len(toks) || toks[i] != ")" {
				return false
			}
			i++
			return true
		}
		if !isLicense(toks[i]) {
			return false
		}
		i++
		if i < len(toks) && isOp(toks[i], "WITH") {
			i++
			if i >= len(toks) || !(exceptions[strings.ToLower(toks[i])] || strings.HasPrefix(toks[i], "AdditionRef-")) {
				return false
			}
			i++
		}
		return true
	}
	expr = func() bool {
		if !term() {
			return false
		}
		for i < len(toks) && (isOp(toks[i], "AND") || isOp(toks[i], "OR")) {
			i++
			if !term() {
				return false
			}
		}
		return true
	}
	return expr() && i == len(toks)
}

// DL3054 reports licence labels that are not SPDX expressions.
var DL3054 = labelRule("DL3054", "label-not-spdx", labelSPDX, validSPDX,
	"An spdx label of the label schema is not a valid SPDX license identifier.", "an SPDX license expression", Doc{
		Why: "Licence scanners match SPDX identifiers exactly; free text such as \"Apache 2\" " +
			"defeats them. Expressions of identifiers (MIT OR Apache-2.0) are accepted. The rule " +
			"runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.licenses: spdx}\nLABEL org.opencontainers.image.licenses=\"Apache 2\"",
		Good: "# label-schema: {org.opencontainers.image.licenses: spdx}\nLABEL org.opencontainers.image.licenses=Apache-2.0",
	})

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

// DL3055 reports hash labels that are not git commit hashes.
var DL3055 = labelRule("DL3055", "label-not-git-hash", labelHash, validGitHash,
	"A hash label of the label schema is not a valid git hash.", "a git commit hash", Doc{
		Why: "A revision label lets anyone find the exact source of an image; it must be a " +
			"commit hash (full, or abbreviated to at least 7 characters), not a branch name. " +
			"The rule runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.revision: hash}\nLABEL org.opencontainers.image.revision=main",
		Good: "# label-schema: {org.opencontainers.image.revision: hash}\nLABEL org.opencontainers.image.revision=4f2a9c1",
	})

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

// DL3056 reports semver labels that are not semantic versions.
var DL3056 = labelRule("DL3056", "label-not-semver", labelSemVer, validSemVer,
	"A semver label of the label schema does not conform to semantic versioning.", "a semantic version", Doc{
		Why: "Version labels are compared by deployment and update tools; they need " +
			"MAJOR.MINOR.PATCH (with optional -pre-release and +build parts) to order releases. " +
			"The rule runs when a label schema is configured.",
		Bad:  "# label-schema: {org.opencontainers.image.version: semver}\nLABEL org.opencontainers.image.version=v1.4",
		Good: "# label-schema: {org.opencontainers.image.version: semver}\nLABEL org.opencontainers.image.version=1.4.0",
	})

// validEmail reports whether s is a bare e-mail address (RFC 5322
// addr-spec, without a display name).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// DL3058 reports email labels that are not e-mail addresses.
var DL3058 = labelRule("DL3058", "label-not-email", labelEmail, validEmail,
	"An email label of the label schema is not a valid e-mail address (RFC 5322).", "an e-mail address", Doc{
		Why: "Contact labels are used to reach the owner of an image, for example when a " +
			"vulnerability is found; they must hold a plain address. The rule runs when a " +
			"label schema is configured.",
		Bad:  "# label-schema: {com.example.contact: email}\nLABEL com.example.contact=\"platform team\"",
		Good: "# label-schema: {com.example.contact: email}\nLABEL com.example.contact=platform@example.com",
	})
