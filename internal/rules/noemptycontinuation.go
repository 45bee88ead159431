package rules

import (
	"fmt"
	"strings"

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
			fix := &edit.Fix{Message: "remove the empty continuation " + plural(len(blank), "line", "lines"), Edits: edits}
			p.ReportFix(in, fix, "Empty continuation %s (line %s): remove %s, they will become errors",
				plural(len(blank), "line", "lines"), bkJoinInts(blank), plural(len(blank), "it", "them"))
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
