package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3063 reports stage names BuildKit reserves.
var DL3063 = &Rule{
	ID:       "DL3063",
	Aliases:  []string{"ReservedStageName"},
	Name:     "reserved-stage-name",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Stage name should not be a reserved word.",
		Why: "`scratch` names the empty image and `context` the build context; a stage with " +
			"either name cannot be told apart from them, so FROM or COPY --from the name does " +
			"not do what the file suggests.",
		Bad:  "FROM golang:1.23 AS context",
		Good: "FROM golang:1.23 AS build",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			if strings.EqualFold(st.Name, "scratch") || strings.EqualFold(st.Name, "context") {
				p.Report(st.From, "stage name %q is reserved", st.Name)
			}
		}
		return nil
	},
}
