package lsp

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/rules"
)

// ShellCheck runs as a program over every RUN script of the file, which
// takes far longer than the rest of the rules together (about a second
// and a half for 500 lines, against tens of milliseconds). So it runs
// once the document has been quiet for a while, and in between its
// findings follow the edits: a finding on an instruction whose text did
// not change moves with the instruction, and findings on changed
// instructions are dropped until ShellCheck has run again.

// shellResult is what ShellCheck found in one version of the document.
type shellResult struct {
	file  *dockerfile.File
	key   string
	diags []rules.Diagnostic
}

// shellKey is the text ShellCheck's findings depend on: the
// instructions that hold scripts or name the variables and shells they
// run with. Two files with the same key get the same findings, moved.
func shellKey(f *dockerfile.File) string {
	var b strings.Builder
	for _, in := range f.Instructions {
		switch in.Cmd {
		case "run", "arg", "env", "shell", "from", "onbuild":
			b.WriteString(rawText(f, in))
			b.WriteByte(0)
		}
	}
	return b.String()
}

// rawText is an instruction's source, continuation lines and heredoc
// bodies included.
func rawText(f *dockerfile.File, in *dockerfile.Instruction) string {
	return string(f.Source[f.Offset(in.StartLine, 1):f.LineEnd(in.EndLine)])
}

// carryShell moves the findings of r onto the instructions of f that
// have the same text. exact reports whether they are what ShellCheck
// would find in f (its key is the same), so that it need not run again.
func carryShell(r *shellResult, f *dockerfile.File) (out []rules.Diagnostic, exact bool) {
	if r == nil || f == nil {
		return nil, false
	}
	// Pair old and new instructions of the same text, in order.
	byText := map[string][]*dockerfile.Instruction{}
	for _, in := range f.Instructions {
		t := rawText(f, in)
		byText[t] = append(byText[t], in)
	}
	moved := map[*dockerfile.Instruction]*dockerfile.Instruction{}
	for _, in := range r.file.Instructions {
		t := rawText(r.file, in)
		if q := byText[t]; len(q) > 0 {
			moved[in] = q[0]
			byText[t] = q[1:]
		}
	}
	old := &analysis{file: r.file}
	for _, d := range r.diags {
		in := d.Instruction
		if in == nil {
			in = old.instructionAt(d.Line)
		}
		to := moved[in]
		if to == nil {
			continue
		}
		lines := to.StartLine - in.StartLine
		bytes := f.Offset(to.StartLine, 1) - r.file.Offset(in.StartLine, 1)
		d.Line += lines
		d.EndLine += lines
		if d.Instruction != nil {
			d.Instruction = to
		}
		d.Fix = shiftFix(d.Fix, bytes)
		out = append(out, d)
	}
	return out, shellKey(f) == r.key
}

// shiftFix returns a copy of fx with its edits moved by delta bytes.
func shiftFix(fx *edit.Fix, delta int) *edit.Fix {
	if fx == nil || delta == 0 {
		return fx
	}
	cp := *fx
	cp.Edits = make([]edit.TextEdit, len(fx.Edits))
	for i, e := range fx.Edits {
		cp.Edits[i] = edit.TextEdit{Pos: e.Pos + delta, End: e.End + delta, NewText: e.NewText}
	}
	if fx.Region != nil {
		r := edit.Span{Pos: fx.Region.Pos + delta, End: fx.Region.End + delta}
		cp.Region = &r
	}
	return &cp
}
