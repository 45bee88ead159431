package edit

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

func mustParse(t *testing.T, src string) *dockerfile.File {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// script parses the single script of a shell-form RUN.
func script(t *testing.T, in *dockerfile.Instruction) *Script {
	t.Helper()
	sc := in.Scripts()
	if len(sc) != 1 {
		t.Fatalf("%d scripts", len(sc))
	}
	s, err := shell.Parse(sc[0].Text)
	if err != nil {
		t.Fatal(err)
	}
	return &Script{Script: s, Line: sc[0].Line, Heredoc: sc[0].Heredoc}
}

func TestSpans(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\n# base\nFROM alpine:3.20\r\n\n# one\n# two\nRUN a \\\n  && b   \nCMD x"
	f := mustParse(t, src)
	from, run, cmd := f.Instructions[0], f.Instructions[1], f.Instructions[2]
	if got := CommentStart(f, from); got != 2 {
		t.Errorf("CommentStart(FROM) = %d, want 2 (the directive is not a comment)", got)
	}
	pos, end := Block(f, run)
	if got := src[pos:end]; got != "# one\n# two\nRUN a \\\n  && b   \n" {
		t.Errorf("Block(RUN) = %q", got)
	}
	pos, end = Bare(f, from)
	if got := src[pos:end]; got != "FROM alpine:3.20\r\n" {
		t.Errorf("Bare(FROM) = %q: the CRLF belongs to the line", got)
	}
	if at := HeaderTextEnd(f, run); src[:at] != src[:len(src)-len("   \nCMD x")] {
		t.Errorf("HeaderTextEnd(RUN) = %d, before the trailing blanks", at)
	}
	at, pre := After(f, cmd)
	if at != len(src) || pre != "\n" {
		t.Errorf("After(CMD) = %d, %q: the file ends without a newline", at, pre)
	}
	pos, end = Bare(f, cmd)
	if got := Lines(f, pos, end); got != "CMD x\n" {
		t.Errorf("Lines = %q", got)
	}
}

func TestKeywordCase(t *testing.T) {
	for _, c := range []struct{ model, word, want string }{
		{"RUN", "user", "USER"}, {"run", "USER", "user"}, {"Run", "user", "User"},
	} {
		if got := MatchCase(c.model, c.word); got != c.want {
			t.Errorf("MatchCase(%q, %q) = %q", c.model, c.word, got)
		}
	}
	if Keyword(nil, "copy") != "COPY" {
		t.Error("Keyword without a model is upper case")
	}
	if got := ExecForm([]string{"/app", "--name", `a "b"`}); got != `["/app", "--name", "a \"b\""]` {
		t.Errorf("ExecForm = %s", got)
	}
}

func TestScriptOffsets(t *testing.T) {
	src := "FROM alpine:3.20\nRUN apk add curl \\\n    # a comment line\n    && rm -rf /tmp/x # done\n"
	f := mustParse(t, src)
	run := f.Instructions[1]
	rs := script(t, run)
	m, ok := ShellFormOffsets(f, run, rs)
	if !ok {
		t.Fatal("script not located")
	}
	i := strings.Index(rs.Source, "&&")
	if got := src[m(i):]; got[:2] != "&&" {
		t.Errorf("offset %d of the script maps to %q, want the && of the continuation line", i, got)
	}
	e, ok := ScriptEnd(f, run, []*Script{rs}, " && echo ok")
	if !ok {
		t.Fatal("no end edit")
	}
	got := src[:e.Pos] + e.NewText + src[e.End:]
	if want := "FROM alpine:3.20\nRUN apk add curl \\\n    # a comment line\n    && rm -rf /tmp/x && echo ok # done\n"; got != want {
		t.Errorf("ScriptEnd: got %q, want %q (before the trailing comment)", got, want)
	}
	if _, ok := ScriptEnd(f, run, nil, "x"); ok {
		t.Error("ScriptEnd without a parsed script")
	}
}
