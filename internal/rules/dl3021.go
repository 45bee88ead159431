package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3021 reports COPY or ADD of several sources to a destination that is
// not a directory.
var DL3021 = &Rule{
	ID:       "DL3021",
	Name:     "copy-multiple-sources-dest-slash",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY with more than 2 arguments requires the last argument to end with /.",
		Why: "Several sources can only go into a directory, and BuildKit only treats the " +
			"destination as one when it ends with a slash: otherwise the build fails. The same " +
			"holds for ADD.",
		Bad:  "COPY package.json package-lock.json /app",
		Good: "COPY package.json package-lock.json /app/",
	},
	Check: func(p *Pass) error {
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			if in.Cmd != "copy" && in.Cmd != "add" || len(in.Args) < 3 {
				return
			}
			raw := in.Args[len(in.Args)-1]
			dest := dockerfile.TrimQuotes(raw)
			if strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, `\`) || dockerfile.HasVariable(dest) {
				return
			}
			var fix *edit.Fix
			// The slash goes before a closing quote; a quote that does
			// not close one ("0) leaves no place to put it.
			plain := !strings.ContainsAny(raw, `"'`)
			closes := false
			if n := len(raw); !in.JSON && n >= 2 && (raw[n-1] == '"' || raw[n-1] == '\'') {
				q := raw[n-1:]
				closes = strings.Count(strings.Join(in.Args, " "), q)%2 == 0 && strings.Count(raw, q) <= 2 && !strings.ContainsAny(strings.ReplaceAll(raw, q, ""), `"'`)
			}
			if _, end, ok := wordSpan(p.File, in, outer, raw, true); ok && (in.JSON || plain || closes) {
				at := end
				if closes {
					at-- // before the closing quote
				}
				fix = &edit.Fix{Message: "end the destination with / so that it is a directory",
					Edits: []edit.TextEdit{{Pos: at, End: at, NewText: "/"}}}
			}
			p.ReportFix(outer, fix, "%s%s with %d sources: the destination %s must end with /",
				triggerPrefix(in, outer), in.Keyword, len(in.Args)-1, raw)
		})
		return nil
	},
}
