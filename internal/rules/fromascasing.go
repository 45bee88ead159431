package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// FromAsCasing reports "FROM x as y" and "from x AS y".
var FromAsCasing = &Rule{
	ID:       "FromAsCasing",
	Name:     "from-as-casing",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "The AS keyword should be cased like the FROM keyword.",
		Why: "Dockerfile keywords are case-insensitive, but mixing cases within one instruction " +
			"reads as a mistake and makes the file harder to search.",
		Bad:  "FROM debian:bookworm-slim as build",
		Good: "FROM debian:bookworm-slim AS build",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			in := st.From
			if len(in.Args) < 3 || !strings.EqualFold(in.Args[1], "as") {
				continue // not FROM IMAGE AS NAME (a template's placeholder, say)
			}
			kw, as := in.Keyword, in.Args[1]
			var want string
			switch kw {
			case strings.ToLower(kw):
				want = strings.ToLower(as)
			case strings.ToUpper(kw):
				want = strings.ToUpper(as)
			default:
				continue // ConsistentInstructionCasing reports the keyword itself
			}
			if as == want {
				continue
			}
			var fix *edit.Fix
			if ws := bkFromWords(p.File, in); len(ws) >= 2 && ws[1].Text == as {
				fix = &edit.Fix{Message: "write " + want + " to match " + kw, Edits: []edit.TextEdit{bkReplaceEdit(ws[1], want)}}
			}
			p.ReportFix(in, fix, "'%s' and '%s' keywords' casing do not match", as, kw)
		}
		return nil
	},
}
