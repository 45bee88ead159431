package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL4001 reports a stage that uses both wget and curl.
var DL4001 = &Rule{
	ID:        "DL4001",
	Name:      "wget-or-curl",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeMinimalPackages,
	Doc: Doc{
		Summary: "Either use wget or curl but not both.",
		Why: "wget and curl do the same job. Using both means installing and maintaining two tools " +
			"(and their libraries) in the image for no gain; pick one.",
		Bad:  "RUN wget -q https://example.com/a\nRUN curl -fsSLO https://example.com/b",
		Good: "RUN curl -fsSLO https://example.com/a\nRUN curl -fsSLO https://example.com/b",
	},
	Check: func(p *Pass) error {
		type key struct {
			st      *dockerfile.Stage
			onbuild bool
		}
		used := map[key]map[string]bool{}
		for _, r := range shellRuns(p) {
			k := key{r.stage, r.onbuild}
			if used[k] == nil {
				used[k] = map[string]bool{}
			}
			here := false
			for _, c := range r.find("curl", "wget") {
				used[k][c.Base()] = true
				here = true
			}
			if here && len(used[k]) == 2 {
				p.Report(r.outer, "%sEither use wget or curl but not both", r.prefix())
			}
		}
		return nil
	},
}
