package diff

import (
	"math/rand"
	"strings"
	"testing"
)

// applyReplacements applies rs to a, the way an editor applies text
// edits computed against the same original.
func applyReplacements(a string, rs []Replacement) string {
	lines := Lines(a)
	var b strings.Builder
	next := 0
	for _, r := range rs {
		b.WriteString(strings.Join(lines[next:r.From], ""))
		b.WriteString(r.New)
		next = r.To
	}
	b.WriteString(strings.Join(lines[next:], ""))
	return b.String()
}

func TestReplacements(t *testing.T) {
	cases := []struct {
		a, b string
		n    int // replacements expected
	}{
		{"a\nb\nc\n", "a\nb\nc\n", 0},
		{"a\nb\nc\n", "a\nB\nc\n", 1},
		{"a\nb\nc\nd\ne\n", "A\nb\nc\nd\nE\n", 2},
		{"a\n", "a\nb\n", 1},
		{"a\nb\n", "b\n", 1},
		{"", "x\n", 1},
		{"x\ny", "x\nz", 1},
	}
	for _, c := range cases {
		rs := Replacements(c.a, c.b)
		if len(rs) != c.n {
			t.Errorf("Replacements(%q, %q) = %+v, want %d replacements", c.a, c.b, rs, c.n)
		}
		if got := applyReplacements(c.a, rs); got != c.b {
			t.Errorf("applying %+v to %q gives %q, want %q", rs, c.a, got, c.b)
		}
	}
}

func TestReplacementsRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	words := []string{"FROM x\n", "RUN a\n", "RUN b\n", "COPY . .\n", "\n", "# c\n"}
	gen := func() string {
		var b strings.Builder
		for i := rng.Intn(12); i > 0; i-- {
			b.WriteString(words[rng.Intn(len(words))])
		}
		return b.String()
	}
	for i := 0; i < 500; i++ {
		a, b := gen(), gen()
		rs := Replacements(a, b)
		if got := applyReplacements(a, rs); got != b {
			t.Fatalf("applying %+v to %q gives %q, want %q", rs, a, got, b)
		}
		for j := 1; j < len(rs); j++ {
			if rs[j].From < rs[j-1].To {
				t.Fatalf("replacements overlap or are out of order: %+v", rs)
			}
		}
	}
}
