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
			// BuildKit reports the line that ends the continuation.
			in := bkInstructionBefore(f, w.Line)
			if in == nil {
				p.ReportAt(w.Line, w.Line, 0, "%s", linter.RuleNoEmptyContinuation.Format())
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
			d := Diagnostic{Rule: p.Rule, Instruction: in, Line: w.Line, EndLine: w.Line}
			if len(blank) == 0 {
				d.Message = linter.RuleNoEmptyContinuation.Format()
			} else {
				d.Fix = &edit.Fix{Message: "remove the empty continuation " + plural(len(blank), "line", "lines"), Edits: edits}
				d.Message = fmt.Sprintf("Empty continuation %s (line %s): remove %s, they will become errors",
					plural(len(blank), "line", "lines"), bkJoinInts(blank), plural(len(blank), "it", "them"))
			}
			p.report(d)
		}
		return nil
	},
}

// bkInstructionBefore returns the last top-level instruction that starts
// at or before line.
func bkInstructionBefore(f *dockerfile.File, line int) *dockerfile.Instruction {
	var out *dockerfile.Instruction
	for _, in := range f.Instructions {
		if in.StartLine <= line {
			out = in
		}
	}
	return out
}

func bkJoinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
