package rules

import (
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/stratatools/strata/internal/vocab"
)

// InvalidDefinitionDescription reports a comment directly above a named
// FROM or an ARG that does not start with the stage or argument name.
var InvalidDefinitionDescription = &Rule{
	ID:         "InvalidDefinitionDescription",
	Name:       "invalid-definition-description",
	Severity:   vocab.Warning,
	Category:   vocab.StyleCat,
	DefaultOff: true, // experimental in BuildKit
	Doc: Doc{
		Summary: "A comment directly above a named stage or an ARG should describe it as `# <name> <description>`.",
		Why: "`docker build --call=outline` and `--call=targets` show the comment directly above " +
			"a named FROM or an ARG as its description when the comment starts with the name. " +
			"Other comments there are taken for descriptions that do not follow the format. " +
			"BuildKit reads every comment line above the instruction up to the previous " +
			"instruction or an empty `#` line; a blank line does not end the block. " +
			"Experimental in BuildKit; off by default.",
		Bad:  "# compile the binary\nFROM golang:1.23 AS build\n# the version to build\nARG VERSION=1.0",
		Good: "# build compiles the binary\nFROM golang:1.23 AS build\n# VERSION is the version to build\nARG VERSION=1.0",
	},
	Check: func(p *Pass) error {
		for _, in := range p.File.Instructions {
			var keys []string
			what := "FROM"
			switch c := in.Typed.(type) {
			case *instructions.Stage:
				if c.Name == "" {
					continue
				}
				keys = []string{c.Name}
			case *instructions.ArgCommand:
				what = "ARG"
				for _, a := range c.Args {
					keys = append(keys, a.Key)
				}
			default:
				continue
			}
			if len(in.Comments) == 0 || len(keys) == 0 {
				continue
			}
			last := in.Comments[len(in.Comments)-1]
			first, _, _ := strings.Cut(last, " ")
			if slices.Contains(keys, first) {
				continue
			}
			example := keys[0]
			if len(keys) > 1 {
				example = "<arg_key>"
			}
			p.Report(in, "Comment for %s should follow the format: `# %s <description>`", what, example)
		}
		return nil
	},
}
