package edit

import (
	"encoding/json"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// CommentStart returns the first line of the block of comment lines
// directly above in (in.StartLine when there is none). Parser directives
// at the top of the file are not part of any block.
func CommentStart(f *dockerfile.File, in *dockerfile.Instruction) int {
	directive := map[int]bool{}
	for _, d := range f.Directives {
		directive[d.Line] = true
	}
	line := in.StartLine
	for line > 1 && line-1 <= len(f.Lines) {
		t := strings.TrimSpace(f.Lines[line-2])
		if !strings.HasPrefix(t, "#") || directive[line-1] {
			break
		}
		line--
	}
	return line
}

// Block returns the byte range of in's whole lines, with the comment
// block above it and the final line terminator.
func Block(f *dockerfile.File, in *dockerfile.Instruction) (pos, end int) {
	return LineSpan(f, CommentStart(f, in), in.EndLine)
}

// Bare returns the byte range of in's own lines (no comments),
// with the final line terminator.
func Bare(f *dockerfile.File, in *dockerfile.Instruction) (pos, end int) {
	return LineSpan(f, in.StartLine, in.EndLine)
}

// Lines returns the text of a span as complete lines: it ends with the
// file's newline even when the file's last line has none.
func Lines(f *dockerfile.File, pos, end int) string {
	s := string(f.Source[pos:end])
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += f.Newline()
	}
	return s
}

// After returns the offset just past in's last line (its terminator
// included) and the prefix an insertion there needs: a newline when the
// file ends on in's line without one.
func After(f *dockerfile.File, in *dockerfile.Instruction) (int, string) {
	_, end := LineSpan(f, in.StartLine, in.EndLine)
	if end == len(f.Source) && end > 0 && f.Source[end-1] != '\n' {
		return end, f.Newline()
	}
	return end, ""
}

// HeaderTextEnd returns the offset just past the text of in's last header
// line, trailing blanks excluded: where words can be appended to it.
func HeaderTextEnd(f *dockerfile.File, in *dockerfile.Instruction) int {
	end := f.LineEnd(HeaderEnd(in))
	start := f.Offset(HeaderEnd(in), 1)
	for end > start && (f.Source[end-1] == ' ' || f.Source[end-1] == '\t' || f.Source[end-1] == '\r') {
		end--
	}
	return end
}

// Keyword returns word in the letter case of in's keyword, so that
// added instructions match the file's style.
func Keyword(in *dockerfile.Instruction, word string) string {
	if in == nil || in.Keyword == "" {
		return strings.ToUpper(word)
	}
	return MatchCase(in.Keyword, word)
}

// ExecForm writes argv as a JSON array.
func ExecForm(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		b, _ := json.Marshal(a)
		parts[i] = string(b)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// MatchCase returns word in the letter case style of model: all upper,
// all lower or capitalised.
func MatchCase(model, word string) string {
	switch {
	case model == strings.ToUpper(model):
		return strings.ToUpper(word)
	case model == strings.ToLower(model):
		return strings.ToLower(word)
	}
	return strings.ToUpper(word[:1]) + strings.ToLower(word[1:])
}

// HeaderEnd returns the last line of an instruction's own text: its end
// line, or its start line when here-documents follow it.
func HeaderEnd(in *dockerfile.Instruction) int {
	if len(in.Heredocs) > 0 {
		return in.StartLine
	}
	return in.EndLine
}

// LineSpan returns the byte range covering whole lines first..last
// including the final line terminator, for deleting an instruction.
func LineSpan(f *dockerfile.File, first, last int) (int, int) {
	pos := f.Offset(first, 1)
	end := f.LineEnd(last)
	if end < len(f.Source) && f.Source[end] == '\r' {
		end++
	}
	if end < len(f.Source) && f.Source[end] == '\n' {
		end++
	}
	return pos, end
}
