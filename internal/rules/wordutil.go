package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
)

// Locating words in an instruction's source, for fixes that replace
// them.

// bkSrcWord is a whitespace-separated word of an instruction's source with
// its byte range in the file.
type bkSrcWord struct {
	Text     string
	Pos, End int
}

// bkSourceWords splits the instruction's own text (its lines up to the end
// of the line continuation; comment lines inside it are skipped, heredoc
// bodies are not included) into words with their byte offsets. The
// keyword is the first word. Quotes are not interpreted.
func bkSourceWords(f *dockerfile.File, in *dockerfile.Instruction) []bkSrcWord {
	esc := string(f.Escape)
	var out []bkSrcWord
	for line := in.StartLine; line <= in.EndLine && line <= len(f.Lines); line++ {
		text := f.Lines[line-1]
		trimmed := strings.TrimSpace(text)
		if line > in.StartLine && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		cont := false
		body := strings.TrimRight(text, " \t")
		if strings.HasSuffix(body, esc) {
			cont = true
			body = body[:len(body)-len(esc)]
		}
		start := -1
		base := f.Offset(line, 1)
		for i := 0; i <= len(body); i++ {
			if i == len(body) || body[i] == ' ' || body[i] == '\t' {
				if start >= 0 {
					out = append(out, bkSrcWord{Text: body[start:i], Pos: base + start, End: base + i})
					start = -1
				}
				continue
			}
			if start < 0 {
				start = i
			}
		}
		if !cont {
			break
		}
	}
	return out
}

// bkFromWords returns the words of a FROM after its keyword and flags:
// the base, and "AS" and the name when present.
func bkFromWords(f *dockerfile.File, in *dockerfile.Instruction) []bkSrcWord {
	ws := bkSourceWords(f, in)
	if len(ws) == 0 {
		return nil
	}
	ws = ws[1:]
	for len(ws) > 0 && strings.HasPrefix(ws[0].Text, "--") {
		ws = ws[1:]
	}
	return ws
}

// bkReplaceEdit returns an edit replacing a word's bytes.
func bkReplaceEdit(w bkSrcWord, text string) edit.TextEdit {
	return edit.TextEdit{Pos: w.Pos, End: w.End, NewText: text}
}

// bkKeywordEdit re-cases the instruction keyword, or returns false when the
// source does not hold it where expected.
func bkKeywordEdit(f *dockerfile.File, in *dockerfile.Instruction, text string) (edit.TextEdit, bool) {
	pos := f.Offset(in.StartLine, in.Column)
	end := pos + len(in.Keyword)
	if end > len(f.Source) || !strings.EqualFold(string(f.Source[pos:end]), text) || string(f.Source[pos:end]) != in.Keyword {
		return edit.TextEdit{}, false
	}
	return edit.TextEdit{Pos: pos, End: end, NewText: text}, true
}

// keywordOffset returns the byte offset of in's keyword in the source. For
// the trigger of an ONBUILD (outer), it is the offset of the wrapped
// instruction's keyword. ok is false when it cannot be found.
func keywordOffset(f *dockerfile.File, in, outer *dockerfile.Instruction) (int, bool) {
	start := f.Offset(outer.StartLine, outer.Column)
	if in == outer {
		return start, true
	}
	src := f.Source
	i := start + len(outer.Keyword)
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i+len(in.Keyword) > len(src) || !strings.EqualFold(string(src[i:i+len(in.Keyword)]), in.Keyword) {
		return 0, false
	}
	return i, true
}

// wordSpan finds the word w in the text of instruction in (for a trigger,
// within outer's text), after its keyword, and returns its byte range.
// With last set it finds the last occurrence. The match must stand alone:
// delimited by blanks, quotes, brackets or commas. ok is false when the
// word is not found on the instruction's own lines (for example when a
// line continuation splits it).
func wordSpan(f *dockerfile.File, in, outer *dockerfile.Instruction, w string, last bool) (pos, end int, ok bool) {
	kw, found := keywordOffset(f, in, outer)
	if !found || w == "" {
		return 0, 0, false
	}
	from := kw + len(in.Keyword)
	to := f.LineEnd(edit.HeaderEnd(outer))
	if from > to {
		return 0, 0, false
	}
	text := string(f.Source[from:to])
	isDelim := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '[' || c == ']' || c == ',' || c == '\r' || c == '\n'
	}
	search := text
	for {
		var i int
		if last {
			i = strings.LastIndex(search, w)
		} else {
			i = strings.Index(search, w)
		}
		if i < 0 {
			return 0, 0, false
		}
		before := i == 0 || isDelim(search[i-1])
		after := i+len(w) == len(search) || isDelim(search[i+len(w)])
		if before && after {
			if last {
				return from + i, from + i + len(w), true
			}
			off := len(text) - len(search)
			return from + off + i, from + off + i + len(w), true
		}
		if last {
			search = search[:i]
		} else {
			search = search[i+1:]
		}
	}
}
