package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// DL4000 reports the deprecated MAINTAINER instruction.
var DL4000 = &Rule{
	ID:       "DL4000",
	Aliases:  []string{"MaintainerDeprecated"},
	Name:     "maintainer-deprecated",
	Severity: vocab.Error,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "MAINTAINER is deprecated.",
		Why: "MAINTAINER fills an image field that nothing reads any more and may be removed " +
			"from the Dockerfile syntax. A label carries the same information where tools look " +
			"for it: org.opencontainers.image.authors.",
		Bad:  "MAINTAINER Jane Doe <jane@example.com>",
		Good: "LABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"",
	},
	Check: func(p *Pass) error {
		for _, st := range stagesWithPrelude(p) {
			for _, in := range st.Instructions {
				if in.Cmd != "maintainer" {
					continue
				}
				value := strings.Join(in.Args, " ")
				var fix *edit.Fix
				if in.StartLine == in.EndLine && value != "" && !strings.ContainsAny(value, "\"\\`$\n") {
					pos := p.File.Offset(in.StartLine, in.Column)
					fix = &edit.Fix{
						Message: "replace MAINTAINER with the org.opencontainers.image.authors label",
						Edits: []edit.TextEdit{{Pos: pos, End: p.File.LineEnd(in.EndLine),
							NewText: edit.MatchCase(in.Keyword, "LABEL") + " org.opencontainers.image.authors=\"" + value + "\""}},
					}
				}
				p.ReportFix(in, fix, "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead")
			}
		}
		return nil
	},
}
