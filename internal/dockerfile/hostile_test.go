package dockerfile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestOverlongLine puts a line at and around the length BuildKit's parser
// gives up at, with each terminator, first, in the middle, in a
// continuation and in a heredoc: Parse must fail exactly when BuildKit
// does, and name the long line (BuildKit names the line before it, or
// says the file has no instructions when it is the first).
func TestOverlongLine(t *testing.T) {
	for _, n := range []int{maxLine - 2, maxLine - 1, maxLine, maxLine + 1, maxLine + 2, 3 * maxLine} {
		for _, nl := range []string{"\n", "\r\n", ""} {
			long := "RUN " + strings.Repeat("x", n-4)
			cases := []struct {
				name string
				src  string
				line int
			}{
				{"first", long + nl, 1},
				{"middle", "FROM a\n" + long + nl, 2},
				{"continuation", "FROM a\nRUN a \\\n" + strings.Repeat("y", n) + nl, 3},
				{"heredoc", "FROM a\nRUN <<EOF\n" + strings.Repeat("z", n) + nl, 3},
			}
			for _, c := range cases {
				if nl != "" {
					c.src += "RUN b\n"
				}
				if c.name == "heredoc" {
					c.src += "EOF\n"
				}
				// BuildKit fails on these files only for the long line
				// (its message varies: the size, no instructions, an
				// unterminated heredoc).
				_, bkErr := parser.Parse(strings.NewReader(c.src))
				bkLong := bkErr != nil
				_, err := Parse("Dockerfile", []byte(c.src))
				var pe *ParseError
				long := errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "bytes BuildKit's parser reads")
				if long != bkLong {
					t.Errorf("%s line of %d bytes, terminator %q: strata says too long %v, BuildKit %v (%v)", c.name, n, nl, long, bkLong, bkErr)
					continue
				}
				if long && pe.Line != c.line {
					t.Errorf("%s line of %d bytes, terminator %q: error on line %d, want %d: %v", c.name, n, nl, pe.Line, c.line, err)
				}
			}
		}
	}
}

// bomb returns global ARGs each naming the one before refs times, the
// last one used in a stage.
func bomb(levels, refs int) string {
	var b strings.Builder
	b.WriteString("ARG A0=xxxxxxxxxx\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "ARG A%d=%s\n", i, strings.Repeat(fmt.Sprintf("$A%d", i-1), refs))
	}
	b.WriteString("FROM alpine\n")
	fmt.Fprintf(&b, "ARG A%d\nRUN echo $A%d\n", levels, levels)
	return b.String()
}

// TestExpansionLimits feeds Parse variables that name each other over
// and over: it must refuse them, naming the line, without expanding
// anything; files whose variables stay small pass.
func TestExpansionLimits(t *testing.T) {
	big := strings.Repeat("b", 60_000) // a line holds at most 64 KiB
	cases := []struct {
		name, src string
		line      int    // 0: must parse
		what      string // in the message
	}{
		{"global ARG bomb", bomb(7, 10), 6, "ARG A5"},
		{"deep bomb", bomb(60, 2), 17, "ARG A16"},
		{"ENV bomb in a stage", "FROM a\nENV E0=0123456789abcdef\n" + func() string {
			var b strings.Builder
			for i := 1; i < 20; i++ {
				fmt.Fprintf(&b, "ENV E%d=${E%d}${E%d}\n", i, i-1, i-1)
			}
			return b.String()
		}(), 18, "ENV E16"},
		{"RUN naming a big value often", "FROM a\nARG B=" + big + "\nRUN echo" + strings.Repeat(" $B", 18) + "\n", 3, "RUN on this line"},
		{"heredoc", "FROM a\nARG B=" + big + "\nRUN <<EOF\n" + strings.Repeat("$B ", 18) + "\nEOF\n", 3, "RUN on this line"},
		{"replacement", "FROM a\nARG B=" + strings.Repeat("b", 2000) + "\nARG C=${B//b/$B}\n", 3, "ARG C"},
		{"nested default", "FROM a\nARG B=" + big + "\nARG C=${X:-${Y:-$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B}}\n", 3, "ARG C"},
		{"ONBUILD", "FROM a\nARG B=" + big + "\nONBUILD RUN echo" + strings.Repeat(" $B", 18) + "\n", 3, "ONBUILD on this line"},
		{"budget", "FROM a\nARG B=" + big + "\n" + strings.Repeat("RUN echo $B $B $B $B $B $B $B $B $B $B\n", 30), 30, "instructions up to this one"},
		{"many small", "ARG V=1.2.3\nFROM a:$V\nARG V\n" + strings.Repeat("RUN echo $V ${V:-x} ${V/./-}\n", 5000), 0, ""},
		{"PATH growing", "FROM a\n" + strings.Repeat("ENV PATH=$PATH:/opt/bin\n", 300), 0, ""},
		{"ONBUILD definitions do not count", "FROM a\nARG B=" + big + "\n" + strings.Repeat("ONBUILD ARG B=$B$B$B$B$B$B$B$B\n", 3) + "RUN echo $B\n", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("Dockerfile", []byte(c.src))
			if c.line == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a ParseError", err)
			}
			if pe.Line != c.line || !strings.Contains(err.Error(), c.what) || !strings.Contains(err.Error(), "could expand to more than") {
				t.Errorf("error %q, want line %d naming %q", err, c.line, c.what)
			}
		})
	}
}

// TestExpansionBoundHolds expands random chains of variables the way the
// analyses do and checks that the bound Parse relies on is never below
// the real length.
func TestExpansionBoundHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	forms := []string{"$%s", "${%s}", "${%s:-d$%s}", "${%s-x}", "${%s:+alt}", "${%s+$%s$%s}", "pre$%s/post"}
	for iter := 0; iter < 300; iter++ {
		vals := map[string]string{}
		longest := map[string]int64{}
		lookup := func(n string) (string, bool) { v, ok := vals[n]; return v, ok }
		for i := 0; i < 8; i++ {
			var b strings.Builder
			for k := r.IntN(5); k >= 0; k-- {
				if i == 0 || r.IntN(4) == 0 {
					b.WriteString(strings.Repeat("v", r.IntN(20)))
					continue
				}
				form := forms[r.IntN(len(forms))]
				args := make([]any, strings.Count(form, "%s"))
				for a := range args {
					args[a] = fmt.Sprintf("V%d", r.IntN(i))
				}
				fmt.Fprintf(&b, form, args...)
			}
			text := b.String()
			got, _ := ExpandArgs(text, lookup)
			if bound := expansionBound(text, longest); int64(len(got)) > bound {
				t.Fatalf("%q expands to %d bytes, bound %d", text, len(got), bound)
			}
			name := fmt.Sprintf("V%d", i)
			vals[name] = got
			longest[name] = max(longest[name], expansionBound(text, longest))
		}
	}
}

// TestExpandArgsCapped checks the cap ExpandArgs keeps whatever its
// lookup returns.
func TestExpandArgsCapped(t *testing.T) {
	v := strings.Repeat("x", MaxExpandedValue/4+1)
	got, unresolved := ExpandArgs("$A$A$A$A$A$A$A$A", func(string) (string, bool) { return v, true })
	if len(got) > MaxExpandedValue || !unresolved {
		t.Errorf("expanded to %d bytes, unresolved %v; want at most %d and unresolved", len(got), unresolved, MaxExpandedValue)
	}
}
