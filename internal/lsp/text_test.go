package lsp

import (
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

func pos(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

// TestTextPositions converts between byte offsets and LSP positions,
// which count UTF-16 code units: "é" is one unit in two bytes, "😀" two
// units in four bytes; "\r\n" ends a line without being part of it.
func TestTextPositions(t *testing.T) {
	tx := newText("a é😀b\r\nRUN x\n\nlast")
	cases := []struct {
		off int
		p   protocol.Position
	}{
		{0, pos(0, 0)},
		{2, pos(0, 2)},  // é
		{4, pos(0, 3)},  // 😀
		{8, pos(0, 5)},  // b
		{9, pos(0, 6)},  // end of line 0, before \r
		{11, pos(1, 0)}, // R
		{16, pos(1, 5)},
		{17, pos(2, 0)},
		{18, pos(3, 0)},
		{22, pos(3, 4)},
	}
	for _, c := range cases {
		if got := tx.position(c.off); got != c.p {
			t.Errorf("position(%d) = %+v, want %+v", c.off, got, c.p)
		}
		if got := tx.offset(c.p); got != c.off {
			t.Errorf("offset(%+v) = %d, want %d", c.p, got, c.off)
		}
	}
	// Past the end of a line is its end; past the last line the text's.
	for _, c := range []struct {
		p   protocol.Position
		off int
	}{{pos(0, 99), 9}, {pos(1, 99), 16}, {pos(9, 0), 22}, {pos(0, 4), 4}} {
		if got := tx.offset(c.p); got != c.off {
			t.Errorf("offset(%+v) = %d, want %d", c.p, got, c.off)
		}
	}
	// Inside a character counts from its start.
	if got := tx.position(5); got != pos(0, 3) {
		t.Errorf("position(5) = %+v, want the start of 😀", got)
	}
}

func TestTextEdit(t *testing.T) {
	tx := newText("FROM a\nRUN b\n")
	got, err := tx.edit(protocol.Range{Start: pos(1, 4), End: pos(1, 5)}, "c && d\nRUN e")
	if err != nil || got.s != "FROM a\nRUN c && d\nRUN e\n" || len(got.lines) != 4 {
		t.Errorf("edit = %q (%d lines), %v", got.s, len(got.lines), err)
	}
	if _, err := tx.edit(protocol.Range{Start: pos(1, 2), End: pos(0, 1)}, ""); err == nil {
		t.Error("a range that ends before it starts was accepted")
	}
}
