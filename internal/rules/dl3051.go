package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

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
