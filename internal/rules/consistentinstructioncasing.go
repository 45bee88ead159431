package rules

import (
	"errors"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/command"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// ConsistentInstructionCasing reports instruction keywords whose case is
// mixed or differs from the case most instructions use.
var ConsistentInstructionCasing = &Rule{
	ID:       "ConsistentInstructionCasing",
	Name:     "consistent-instruction-casing",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "Instruction keywords should all be upper case or all lower case.",
		Why: "Keywords are case-insensitive, but a file that mixes `RUN` and `run` (or writes " +
			"`Run`) is harder to read and to search. BuildKit compares each keyword with the " +
			"case most instructions of the file use; ARGs before the first FROM are not counted, nor " +
			"lines that are not instructions (a template's shell lines, which the build rejects anyway).",
		Bad:  "FROM alpine:3.20\nrun apk add --no-cache curl\nCOPY app /app",
		Good: "FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app",
	},
	Check: func(p *Pass) error {
		var lower, upper int
		var ins []*dockerfile.Instruction
		for _, in := range p.File.Instructions {
			if in.Stage == nil || bkUnknownInstruction(in) {
				continue // global ARGs are not stage commands; DL1000 reports unknown words
			}
			if _, known := command.Commands[in.Cmd]; !known {
				// Not an instruction: a line of a template (Jinja,
				// Go text/template) or of a broken continuation that
				// the parser took for one. Its first word is a shell
				// word, never a keyword to re-case; the build fails on
				// it before BuildKit compares casing.
				continue
			}
			ins = append(ins, in)
			switch in.Keyword {
			case strings.ToLower(in.Keyword):
				lower++
			case strings.ToUpper(in.Keyword):
				upper++
			}
		}
		majorityLower := lower > upper
		for _, in := range ins {
			want, casing := strings.ToUpper(in.Keyword), "uppercase"
			if majorityLower {
				want, casing = strings.ToLower(in.Keyword), "lowercase"
			}
			if in.Keyword == want {
				continue
			}
			var fix *edit.Fix
			if e, ok := bkKeywordEdit(p.File, in, want); ok {
				fix = &edit.Fix{Message: "write " + want, Edits: []edit.TextEdit{e}}
			}
			p.ReportFix(in, fix, "Command '%s' should match the case of the command majority (%s)", in.Keyword, casing)
		}
		return nil
	},
}

// bkUnknownInstruction reports whether BuildKit does not know the
// instruction's keyword (a typo or template syntax such as {{).
func bkUnknownInstruction(in *dockerfile.Instruction) bool {
	var u *instructions.UnknownInstructionError
	return errors.As(in.TypedErr, &u)
}
