package diff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// apply replays a unified diff onto a, the way patch would, so tests can
// check that the diff really turns a into b.
func apply(t *testing.T, a, d string) string {
	t.Helper()
	src := Lines(a)
	var out []string
	pos := 0
	lines := strings.Split(d, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "@@ ") {
			continue
		}
		var aStart int
		rng := strings.Fields(l)[1][1:]
		startStr, _, _ := strings.Cut(rng, ",")
		for _, c := range startStr {
			aStart = aStart*10 + int(c-'0')
		}
		if strings.Contains(rng, ",0") {
			aStart++ // empty range names the line before
		}
		for pos < aStart-1 {
			out = append(out, src[pos])
			pos++
		}
		for i+1 < len(lines) {
			n := lines[i+1]
			if n == "" || strings.HasPrefix(n, "@@ ") {
				break
			}
			i++
			text := n[1:] + "\n"
			if i+1 < len(lines) && lines[i+1] == `\ No newline at end of file` {
				text = n[1:]
				i++
			}
			switch n[0] {
			case ' ':
				out = append(out, text)
				pos++
			case '-':
				pos++
			case '+':
				out = append(out, text)
			}
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

func TestUnifiedSmall(t *testing.T) {
	a := "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\nCMD x\n"
	b := "FROM debian\nRUN apt-get update && apt-get install -y curl\nCMD [\"x\"]\n"
	d := Unified("a/Dockerfile", "b/Dockerfile", a, b, "strata fix")
	want := "# strata fix\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,4 +1,3 @@\n FROM debian\n-RUN apt-get update\n-RUN apt-get install -y curl\n-CMD x\n+RUN apt-get update && apt-get install -y curl\n+CMD [\"x\"]\n"
	if d != want {
		t.Fatalf("diff:\n%s\nwant:\n%s", d, want)
	}
	if got := apply(t, a, d); got != b {
		t.Fatalf("applied diff gives %q", got)
	}
	if Unified("a", "b", a, a, "") != "" {
		t.Fatal("equal texts must give an empty diff")
	}
}

func TestUnifiedHunksAndNoNewline(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 40; i++ {
		line := strings.Repeat("x", i%7) + "\n"
		a.WriteString(line)
		if i == 5 || i == 30 {
			b.WriteString("changed\n")
		} else {
			b.WriteString(line)
		}
	}
	d := Unified("a", "b", a.String(), b.String(), "")
	if strings.Count(d, "@@ ") != 2 {
		t.Fatalf("want two hunks:\n%s", d)
	}
	if got := apply(t, a.String(), d); got != b.String() {
		t.Fatal("two-hunk diff does not reproduce b")
	}
	d2 := Unified("a", "b", "x\ny", "x\nz", "")
	if !strings.Contains(d2, "\\ No newline at end of file") || apply(t, "x\ny", d2) != "x\nz" {
		t.Fatalf("missing-newline diff:\n%s", d2)
	}
}

func TestUnifiedRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"a\n", "b\n", "c\n", "d\n"}
	for n := 0; n < 300; n++ {
		var a, b strings.Builder
		for i := rng.IntN(20); i > 0; i-- {
			a.WriteString(words[rng.IntN(len(words))])
		}
		for i := rng.IntN(20); i > 0; i-- {
			b.WriteString(words[rng.IntN(len(words))])
		}
		d := Unified("a", "b", a.String(), b.String(), "")
		if got := apply(t, a.String(), d); got != b.String() {
			t.Fatalf("case %d: diff of %q -> %q applies to %q:\n%s", n, a.String(), b.String(), got, d)
		}
	}
}
