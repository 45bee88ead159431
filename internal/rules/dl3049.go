package rules

import (
	"sort"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

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
		Deviation: "hadolint also reports a stage used only as the base of a later stage when neither " +
			"has the label (FROM x AS base, then FROM base): two findings for one missing LABEL. " +
			"strata reports the stage that makes an image; a LABEL there covers both.",
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
