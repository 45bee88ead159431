package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3065 reports FROM --platform=$TARGETPLATFORM, which is the default.
var DL3065 = &Rule{
	ID:       "DL3065",
	Aliases:  []string{"RedundantTargetPlatform"},
	Name:     "redundant-target-platform",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "FROM --platform=$TARGETPLATFORM is redundant: it is the default.",
		Why: "A stage is built for the target platform unless told otherwise, so setting it " +
			"explicitly adds nothing and suggests a cross-compilation set-up that is not there. " +
			"The flag is only useful with another value, usually $BUILDPLATFORM.",
		Bad:  "FROM --platform=$TARGETPLATFORM alpine:3.20",
		Good: "FROM alpine:3.20",
	},
	Check: func(p *Pass) error {
		g := bkGlobalsOf(p)
		for _, st := range p.File.Stages {
			in := st.From
			for _, raw := range in.Flags {
				k, v, _ := strings.Cut(strings.TrimPrefix(raw, "--"), "=")
				if !strings.EqualFold(k, "platform") {
					continue
				}
				v = dockerfile.TrimQuotes(v)
				if !bkRedundantPlatform(g, v) {
					continue
				}
				var fix *edit.Fix
				if pos, end, ok := wordSpan(p.File, in, in, raw, false); ok {
					for end < len(p.File.Source) && (p.File.Source[end] == ' ' || p.File.Source[end] == '\t') {
						end++
					}
					fix = &edit.Fix{Message: "remove the redundant --platform flag", Edits: []edit.TextEdit{{Pos: pos, End: end}}}
				}
				p.ReportFix(in, fix, "--platform=%s is the default and can be removed", v)
			}
		}
		return nil
	},
}

// bkRedundantPlatform reports whether a --platform value is the target
// platform itself, as BuildKit decides it: TARGETPLATFORM is the one
// variable it reads, and the value is TARGETPLATFORM's ($TARGETPLATFORM,
// ${TARGETPLATFORM}, ${TARGETPLATFORM:-linux/amd64}).
func bkRedundantPlatform(g *bkGlobals, v string) bool {
	res, err := g.expand(v)
	if err != nil || len(res.Matched) != 1 || len(res.Unmatched) != 0 {
		return false
	}
	if _, ok := res.Matched["TARGETPLATFORM"]; !ok {
		return false
	}
	tp, _ := g.args.Get("TARGETPLATFORM")
	return res.Result == tp
}
