package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3061 reports instructions before the first FROM other than ARG.
var DL3061 = &Rule{
	ID:       "DL3061",
	Name:     "invalid-instruction-order",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Invalid instruction order: a Dockerfile must begin with FROM, ARG or a comment.",
		Why: "Only ARG may come before the first FROM (to parameterise the base image); any other " +
			"instruction there has no stage to belong to and BuildKit rejects the file.",
		Bad:  "LABEL maintainer=\"team@example.com\"\nFROM alpine:3.20",
		Good: "ARG ALPINE=3.20\nFROM alpine:${ALPINE}\nLABEL maintainer=\"team@example.com\"",
	},
	Check: func(p *Pass) error {
		for _, in := range p.File.Instructions {
			if in.Cmd == "from" {
				return nil
			}
			if in.Cmd != "arg" {
				p.Report(in, "%s before the first FROM: only ARG may precede FROM", in.Keyword)
			}
		}
		return nil
	},
}
