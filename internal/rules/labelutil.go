package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// LABEL pairs and the label schema. DL3048 checks label keys and is on
// by default; the other label rules read the label schema
// (Settings.RequiredLabels, hadolint's label-schema) and are switched on
// by it (see EnabledBySettings).

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

// labelValueCheck returns the check of a label schema rule: it reports
// the required labels whose schema type is typ and whose value valid
// rejects, saying the value is not what.
func labelValueCheck(typ string, valid func(string) bool, what string) func(*Pass) error {
	return func(p *Pass) error {
		eachLabel(p.File, func(in, outer *dockerfile.Instruction, key, value string) {
			if t, ok := schemaType(p.Settings, key); !ok || t != typ || value == "" || dockerfile.HasVariable(value) {
				return
			}
			if !valid(value) {
				p.Report(outer, "label %q is not %s: %q", key, what, value)
			}
		})
		return nil
	}
}
