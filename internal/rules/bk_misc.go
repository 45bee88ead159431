package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// NoEmptyContinuation reports blank lines inside a line continuation.
var NoEmptyContinuation = &Rule{
	ID:       "NoEmptyContinuation",
	Name:     "no-empty-continuation",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "An instruction continued with a backslash should not contain empty lines.",
		Why: "The parser skips a blank line inside a continuation today, but such lines are " +
			"deprecated and will become errors in a future release. They also hide where an " +
			"instruction really ends: a forgotten backslash before the blank line would end " +
			"the instruction there.",
		Bad:  "RUN apk add --no-cache \\\n\n    curl",
		Good: "RUN apk add --no-cache \\\n    curl",
	},
	Check: func(p *Pass) error {
		f := p.File
		for _, w := range f.Warnings {
			if w.URL != linter.RuleNoEmptyContinuation.URL {
				continue
			}
			in := bkInstructionAt(f, w.Line)
			if in == nil {
				p.ReportAt(w.Line, w.Line, 0, "Empty continuation line")
				continue
			}
			var blank []int
			var edits []edit.TextEdit
			for l := in.StartLine + 1; l < w.Line && l <= len(f.Lines); l++ {
				if strings.TrimSpace(f.Lines[l-1]) == "" {
					blank = append(blank, l)
					edits = append(edits, edit.TextEdit{Pos: f.Offset(l, 1), End: f.Offset(l+1, 1)})
				}
			}
			if len(blank) == 0 {
				p.Report(in, "Empty continuation line")
				continue
			}
			fix := &edit.Fix{Message: "remove the empty continuation " + bkPlural(len(blank), "line", "lines"), Edits: edits}
			p.ReportFix(in, fix, "Empty continuation %s (line %s): remove %s, they will become errors",
				bkPlural(len(blank), "line", "lines"), bkJoinInts(blank), bkPlural(len(blank), "it", "them"))
		}
		return nil
	},
}

// bkInstructionAt returns the top-level instruction whose lines include line.
func bkInstructionAt(f *dockerfile.File, line int) *dockerfile.Instruction {
	for _, in := range f.Instructions {
		if in.StartLine <= line && line <= in.EndLine {
			return in
		}
	}
	return nil
}

func bkJoinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

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
