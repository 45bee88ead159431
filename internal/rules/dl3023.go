package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3023 reports COPY --from referring to the stage it is in.
var DL3023 = &Rule{
	ID:       "DL3023",
	Name:     "copy-from-own-stage",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY --from cannot reference its own FROM alias.",
		Why: "A stage cannot read from itself: the stage is not finished when the COPY runs, " +
			"and BuildKit reports a dependency cycle.",
		Bad:  "FROM golang:1.23 AS build\nCOPY --from=build /src /src",
		Good: "FROM golang:1.23 AS build\nCOPY src/ /src/",
	},
	Check: func(p *Pass) error {
		for _, st := range stagesWithPrelude(p) {
			for _, in := range st.Instructions {
				if ref, ok := copyFromRef(p.File, in); ok && isOwnStage(st, ref) {
					p.Report(in, "COPY --from=%s refers to the stage it is in", ref)
				}
			}
		}
		return nil
	},
}
