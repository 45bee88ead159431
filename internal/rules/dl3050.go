package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

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
