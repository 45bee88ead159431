package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3024 reports stage names used twice.
var DL3024 = &Rule{
	ID:       "DL3024",
	Aliases:  []string{"DuplicateStageName"},
	Name:     "duplicate-stage-name",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "FROM aliases (stage names) must be unique.",
		Why: "COPY --from, RUN --mount=from= and --target refer to stages by name. With two " +
			"stages of the same name (compared without regard to case, as BuildKit does) those " +
			"references are ambiguous and BuildKit refuses the file.",
		Bad:  "FROM golang:1.23 AS build\nFROM node:22 AS build",
		Good: "FROM golang:1.23 AS build-api\nFROM node:22 AS build-web",
	},
	Check: func(p *Pass) error {
		seen := map[string]int{}
		for _, st := range p.File.Stages {
			if st.Name == "" {
				continue
			}
			key := strings.ToLower(st.Name)
			if line, dup := seen[key]; dup {
				p.Report(st.From, "stage name %q is already used on line %d", st.Name, line)
				continue
			}
			seen[key] = st.From.StartLine
		}
		return nil
	},
}
