package lsp

import (
	"fmt"
	"sort"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// text is a document's content with an index of its lines, to convert
// between LSP positions (a line and a column in UTF-16 code units, the
// protocol's default encoding) and the byte offsets strata's parser and
// fixes use. Lines end at "\n", as the Dockerfile parser reads them; a
// "\r" before it belongs to no column.
type text struct {
	s     string
	lines []int // byte offset of the start of each line
}

func newText(s string) *text {
	t := &text{s: s, lines: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// lineEnd returns the byte offset of the end of line i's text (before
// its "\r\n" or "\n").
func (t *text) lineEnd(i int) int {
	end := len(t.s)
	if i+1 < len(t.lines) {
		end = t.lines[i+1] - 1
		if end > t.lines[i] && t.s[end-1] == '\r' {
			end--
		}
	}
	return end
}

// offset returns the byte offset of p. Positions past the end of a line
// mean its end, and past the last line the end of the text, as the
// protocol asks.
func (t *text) offset(p protocol.Position) int {
	line := int(p.Line)
	if line >= len(t.lines) {
		return len(t.s)
	}
	i, end := t.lines[line], t.lineEnd(line)
	for units := 0; i < end && units < int(p.Character); {
		r, size := utf8.DecodeRuneInString(t.s[i:])
		units += utf16Len(r)
		if units > int(p.Character) {
			break // inside a surrogate pair: stay before the character
		}
		i += size
	}
	return i
}

// position returns the position of byte offset off (clamped to the
// text; an offset inside a character counts from its start).
func (t *text) position(off int) protocol.Position {
	off = max(0, min(off, len(t.s)))
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	end := min(off, t.lineEnd(line))
	units := 0
	for i := t.lines[line]; i < end; {
		r, size := utf8.DecodeRuneInString(t.s[i:])
		if i+size > end {
			break
		}
		units += utf16Len(r)
		i += size
	}
	return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(units)}
}

// span returns the range of the bytes [from, to).
func (t *text) span(from, to int) protocol.Range {
	return protocol.Range{Start: t.position(from), End: t.position(to)}
}

// edit returns the text with the range r replaced by s. The range must
// be in order.
func (t *text) edit(r protocol.Range, s string) (*text, error) {
	from, to := t.offset(r.Start), t.offset(r.End)
	if to < from {
		return nil, fmt.Errorf("range %d:%d-%d:%d ends before it starts", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
	}
	return newText(t.s[:from] + s + t.s[to:]), nil
}

func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
