package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL1001 reports inline ignore pragmas. It is off by default.
var DL1001 = &Rule{
	ID:       "DL1001",
	Name:     "inline-ignore-pragma",
	Severity: vocab.Info,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "Refrain from using inline ignore pragmas (# hadolint ignore=..., # strata ignore=...).",
		Why: "Inline pragmas scatter lint policy across Dockerfiles, where it is easy to silence a " +
			"finding and forget why. Teams that want every exception reviewed in one place enable " +
			"this rule and keep ignores in the configuration file instead. Global and stage " +
			"pragmas are not reported.",
		Bad:  "# hadolint ignore=DL3008\nRUN apt-get install -y curl",
		Good: "# .hadolint.yaml / .strata.yaml: ignored: [DL3008]\nRUN apt-get install -y curl",
	},
	DefaultOff: true,
	Check: func(p *Pass) error {
		for _, c := range p.File.Comments {
			if kind, _, ok := parsePragma(c.Text); !ok || kind != pragmaLine {
				continue
			}
			col := 1
			if c.Line >= 1 && c.Line <= len(p.File.Lines) {
				col = strings.Index(p.File.Lines[c.Line-1], "#") + 1
			}
			p.ReportAt(c.Line, c.Line, col, "inline ignore pragma: keep ignores in the configuration file")
		}
		return nil
	},
}
