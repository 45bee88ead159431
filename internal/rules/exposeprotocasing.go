package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// ExposeProtoCasing reports EXPOSE protocols that are not lower case.
var ExposeProtoCasing = &Rule{
	ID:       "ExposeProtoCasing",
	Name:     "expose-proto-casing",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "The protocol in EXPOSE should be lower case.",
		Why: "Docker lower-cases the protocol when it records the port, so `80/TCP` works, but " +
			"tools that read the Dockerfile and the rest of the stack spell it `tcp`.",
		Bad:  "EXPOSE 80/TCP 53/UDP",
		Good: "EXPOSE 80/tcp 53/udp",
	},
	Check: func(p *Pass) error {
		bkExposePorts(p, func(in *dockerfile.Instruction, ports []bkExposed) {
			words := bkSourceWords(p.File, in)
			if len(words) > 0 {
				words = words[1:]
			}
			seen := map[string]bool{}
			for _, e := range ports {
				if e.proto == strings.ToLower(e.proto) || seen[e.expanded] {
					continue
				}
				seen[e.expanded] = true
				// One finding per distinct port; its fix re-cases every
				// word written that way.
				var fix *edit.Fix
				if !strings.ContainsAny(e.raw, "$\"'`\\") {
					var edits []edit.TextEdit
					fixed := ""
					for _, w := range words {
						if w.Text == e.raw {
							slash := strings.LastIndex(w.Text, "/")
							fixed = w.Text[:slash] + strings.ToLower(w.Text[slash:])
							edits = append(edits, bkReplaceEdit(w, fixed))
						}
					}
					if len(edits) > 0 {
						fix = &edit.Fix{Message: "write " + fixed, Edits: edits}
					}
				}
				p.ReportFix(in, fix, "Defined protocol '%s' in EXPOSE instruction should be lowercase", e.expanded)
			}
		})
		return nil
	},
}
