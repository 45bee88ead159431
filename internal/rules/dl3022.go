package rules

import (
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3022 reports COPY --from naming no earlier stage.
var DL3022 = &Rule{
	ID:       "DL3022",
	Name:     "copy-from-unknown-stage",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY --from should reference a previously defined FROM alias.",
		Why: "A --from value that is neither an earlier stage's name or index nor an image " +
			"reference is most likely a typo or a stage defined further down: BuildKit then " +
			"tries to pull an image of that name. Image references (with a tag, digest or " +
			"registry path, such as nginx:1.27) are accepted. ONBUILD COPY --from is not checked: " +
			"it refers to stages of the downstream build.",
		Bad:  "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=buidl /out/app /app",
		Good: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app",
	},
	Check: func(p *Pass) error {
		f := p.File
		for _, st := range stagesWithPrelude(p) {
			for _, in := range st.Instructions {
				ref, ok := copyFromRef(f, in)
				if !ok || isOwnStage(st, ref) {
					continue
				}
				if n, err := strconv.Atoi(ref); err == nil {
					if n < 0 || n >= st.Index {
						p.Report(in, "COPY --from=%s: there is no stage %d before this one", ref, n)
					}
					continue
				}
				if f.StageByRef(ref, st.Index) != nil || strings.ContainsAny(ref, ":/@") {
					continue
				}
				if later := f.StageByRef(ref, len(f.Stages)); later != nil {
					p.Report(in, "COPY --from=%s refers to a stage defined later (line %d): stages can only copy from earlier ones", ref, later.From.StartLine)
					continue
				}
				p.Report(in, "COPY --from=%s names no earlier stage: a typo, or an image that should carry a tag", ref)
			}
		}
		return nil
	},
}
