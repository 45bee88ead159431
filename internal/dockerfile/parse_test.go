package dockerfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestInstructionRanges(t *testing.T) {
	f := mustParse(t, `# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=true
FROM debian:bookworm AS build

  RUN apt-get update \
      && apt-get install -y curl
COPY --chown=app:app --from=build a b
CMD ["run", "x"]
`)
	if len(f.Instructions) != 4 {
		t.Fatalf("got %d instructions", len(f.Instructions))
	}
	run := f.Instructions[1]
	if run.Cmd != "run" || run.StartLine != 5 || run.EndLine != 6 || run.Column != 3 {
		t.Fatalf("RUN range = %s %d-%d col %d", run.Cmd, run.StartLine, run.EndLine, run.Column)
	}
	if v, _ := f.Directive("syntax"); v != "docker/dockerfile:1" {
		t.Fatalf("syntax directive = %q", v)
	}
	if v, _ := f.Directive("check"); v != "skip=JSONArgsRecommended;error=true" {
		t.Fatalf("check directive = %q", v)
	}
	cp := f.Instructions[2]
	if v, _ := cp.Flag("chown"); v != "app:app" {
		t.Fatalf("chown flag = %q", v)
	}
	if v, _ := cp.Flag("from"); v != "build" {
		t.Fatalf("from flag = %q", v)
	}
	cmd := f.Instructions[3]
	if !cmd.JSON || len(cmd.Args) != 2 || cmd.Args[1] != "x" {
		t.Fatalf("CMD = %+v", cmd.Args)
	}
	if got := f.Source[f.Offset(5, 3):f.LineEnd(5)]; string(got) != `RUN apt-get update \` {
		t.Fatalf("offset slice = %q", got)
	}
}

func TestEscapeDirectiveAndPowerShell(t *testing.T) {
	f := mustParse(t, "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host `\n  hello\n")
	if f.Escape != '`' {
		t.Fatalf("escape = %q", f.Escape)
	}
	run := f.Instructions[2]
	if run.StartLine != 4 || run.EndLine != 5 {
		t.Fatalf("RUN lines %d-%d", run.StartLine, run.EndLine)
	}
	if run.Shell[0] != "powershell" {
		t.Fatalf("shell = %v", run.Shell)
	}
	if f.Stages[0].Base.Registry != "mcr.microsoft.com" || f.Stages[0].Base.Tag != "ltsc2022" {
		t.Fatalf("base = %+v", f.Stages[0].Base)
	}
}

func TestHeredocScripts(t *testing.T) {
	f := mustParse(t, `FROM alpine:3.19
RUN <<EOF
apk add --no-cache curl
rm -rf /tmp/x
EOF
RUN python3 <<'PY'
print("hi")
PY
RUN cat > /etc/x <<EOT
hello
EOT
COPY <<EOF /etc/motd
welcome
EOF
`)
	r1 := f.Instructions[1]
	if r1.StartLine != 2 || r1.EndLine != 5 {
		t.Fatalf("heredoc RUN lines %d-%d", r1.StartLine, r1.EndLine)
	}
	s := r1.Scripts()
	if len(s) != 1 || !s[0].Heredoc || !strings.Contains(s[0].Text, "apk add --no-cache curl") || s[0].Line != 3 {
		t.Fatalf("heredoc script = %+v", s)
	}
	s2 := f.Instructions[2].Scripts()
	if len(s2) != 1 || !strings.HasPrefix(s2[0].Text, "python3 <<'PY'\n") || !strings.HasSuffix(s2[0].Text, "PY\n") {
		t.Fatalf("rebuilt heredoc = %+v", s2)
	}
	s3 := f.Instructions[3].Scripts()
	if len(s3) != 1 || !strings.Contains(s3[0].Text, "hello\nEOT\n") {
		t.Fatalf("rebuilt heredoc = %+v", s3)
	}
	if cp := f.Instructions[4]; len(cp.Heredocs) != 1 || cp.Heredocs[0].Content != "welcome\n" {
		t.Fatalf("COPY heredoc = %+v", cp.Heredocs)
	}
	// Comments inside heredoc bodies are not Dockerfile comments.
	g := mustParse(t, "FROM alpine\nRUN <<EOF\n# inside\necho\nEOF\n# outside\nRUN true\n")
	if len(g.Comments) != 1 || g.Comments[0].Text != "outside" {
		t.Fatalf("comments = %+v", g.Comments)
	}
}

func TestStagesAndGraph(t *testing.T) {
	f := mustParse(t, `ARG BASE=python
ARG TAG
ARG REG=${MIRROR:-registry.example.com:5000}
FROM ${BASE}:${TAG:-3.12-slim} AS Base
RUN echo
FROM base AS build
RUN --mount=type=cache,target=/root/.cache --mount=from=tools,source=/x,target=/y echo
FROM $REG/team/app@sha256:abc AS tools
FROM busybox:1.36
COPY --from=build /a /a
COPY --from=0 /b /b
`)
	if len(f.Stages) != 4 || len(f.GlobalArgs) != 3 {
		t.Fatalf("stages %d, global args %d", len(f.Stages), len(f.GlobalArgs))
	}
	b := f.Stages[0]
	if b.Base.Raw != "python:3.12-slim" || b.Base.Repository != "python" || b.Base.Tag != "3.12-slim" || b.Base.Unresolved {
		t.Fatalf("stage 0 base = %+v", b.Base)
	}
	if f.Stages[1].BaseStage != b {
		t.Fatal("stage build should be based on stage Base (case-insensitive)")
	}
	tools := f.Stages[2]
	if tools.Base.Registry != "registry.example.com:5000" || tools.Base.Repository != "team/app" || tools.Base.Digest != "sha256:abc" {
		t.Fatalf("tools base = %+v", tools.Base)
	}
	final := f.FinalStage()
	if len(final.CopiesFrom) != 2 || final.CopiesFrom[0] != f.Stages[1] || final.CopiesFrom[1] != b {
		t.Fatalf("final copies from %v", final.CopiesFrom)
	}
	if f.Inherited(b) || !f.Inherited(final) || !f.UsedAsBase(b) {
		t.Fatal("inheritance wrong")
	}
	mounts := f.Stages[1].Instructions[1].Mounts()
	if len(mounts) != 2 || mounts[0].Type != "cache" || mounts[0].Target != "/root/.cache" || mounts[1].From != "tools" {
		t.Fatalf("mounts = %+v", mounts)
	}
	// --mount from a later stage is not a dependency on it.
	if len(f.Stages[1].CopiesFrom) != 0 {
		t.Fatalf("build copies from %v", f.Stages[1].CopiesFrom)
	}
}

func TestExpandArgs(t *testing.T) {
	env := map[string]string{"A": "1", "E": ""}
	look := func(n string) (string, bool) { v, ok := env[n]; return v, ok }
	for _, c := range []struct {
		in, want   string
		unresolved bool
	}{
		{"$A", "1", false},
		{"${A}x", "1x", false},
		{"${B:-def}", "def", false},
		{"${E:-def}", "def", false},
		{"${E-def}", "", false},
		{"${A:+alt}", "alt", false},
		{"${B}", "", true},
		{"$B/x", "/x", true},
		{"cost$", "cost$", false},
		{"${unterminated", "${unterminated", false},
	} {
		got, unresolved := ExpandArgs(c.in, look)
		if got != c.want || unresolved != c.unresolved {
			t.Errorf("ExpandArgs(%q) = %q, %v; want %q, %v", c.in, got, unresolved, c.want, c.unresolved)
		}
	}
}

func TestOnbuildAndShell(t *testing.T) {
	f := mustParse(t, "FROM debian\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nONBUILD RUN apt-get install -y x\nENV A=1 B=\"two words\"\nLABEL a=b\n")
	ob := f.Instructions[2]
	if ob.Trigger == nil || ob.Trigger.Cmd != "run" || ob.Trigger.StartLine != 3 || ob.Trigger.Shell[0] != "/bin/bash" {
		t.Fatalf("onbuild trigger = %+v", ob.Trigger)
	}
	kv := f.Instructions[3].KeyValues()
	if len(kv) != 2 || kv[1][0] != "B" || kv[1][1] != "two words" {
		t.Fatalf("ENV pairs = %v", kv)
	}
}

func TestCRLFAndBOM(t *testing.T) {
	f := mustParse(t, "\ufeffFROM alpine:3.19\r\nRUN echo a \\\r\n  b\r\nCMD [\"sh\"]\r\n")
	if len(f.Instructions) != 3 || f.Instructions[1].EndLine != 3 {
		t.Fatalf("instructions = %d, RUN end %d", len(f.Instructions), f.Instructions[1].EndLine)
	}
	if f.Lines[0] != "FROM alpine:3.19" || f.Newline() != "\r\n" {
		t.Fatalf("line 1 = %q newline %q", f.Lines[0], f.Newline())
	}
	if got := string(f.Source[f.Offset(1, 1):f.LineEnd(1)]); got != "FROM alpine:3.19" {
		t.Fatalf("line 1 by offset = %q", got)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, src, want string
		line            int
	}{
		{"empty", "", "empty", 0},
		{"blank", "\n\n  \n", "empty", 0},
		{"comments only", "# just a comment\n", "no instructions", 0},
		{"binary", "FROM a\n\x00\x01", "binary", 2},
		{"invalid utf8", "FROM a\nRUN echo \xff\n", "invalid UTF-8", 2},
		{"unterminated heredoc", "FROM a\nRUN <<EOF\necho\n", "unterminated heredoc", 2},
		{"bad escape", "# escape=x\nFROM a\n", "escape", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			if err := os.WriteFile(p, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ParseFile(p)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %q should name the file and say %q", err, c.want)
			}
			if c.line > 0 && pe.Line != c.line {
				t.Fatalf("error line = %d, want %d", pe.Line, c.line)
			}
		})
	}
	if _, err := ParseFile(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("directory: %v", err)
	}
	if _, err := ParseFile(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing: %v", err)
	}
}

func TestLargeFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM debian:bookworm\n")
	for b.Len() < 10<<20 {
		b.WriteString("RUN echo 'a fairly ordinary line of shell to make the file large' && true\n")
	}
	f, err := Parse("big", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Instructions) < 100000 {
		t.Fatalf("only %d instructions", len(f.Instructions))
	}
}

func TestUnknownInstruction(t *testing.T) {
	f := mustParse(t, "FROM a\nFOO bar\n")
	if f.Instructions[1].Cmd != "foo" || f.Instructions[1].TypedErr == nil {
		t.Fatalf("unknown instruction = %+v", f.Instructions[1])
	}
}

func TestPerInstructionCheckComment(t *testing.T) {
	f := mustParse(t, "FROM alpine\n# check=skip=JSONArgsRecommended\nCMD echo hi\n")
	if in := f.Instructions[1]; in.TypedErr != nil || in.Typed == nil || len(in.Comments) != 1 {
		t.Fatalf("CMD under a check comment: typed %v err %v comments %v", in.Typed, in.TypedErr, in.Comments)
	}
}

func TestShellInheritedFromBaseStage(t *testing.T) {
	f := mustParse(t, "FROM mcr.microsoft.com/windows/servercore AS base\nSHELL [\"powershell\", \"-Command\"]\nFROM base\nRUN Get-ChildItem\nFROM alpine\nRUN ls\n")
	if sh := f.Stages[1].Instructions[1].Shell; len(sh) == 0 || sh[0] != "powershell" {
		t.Fatalf("stage built FROM base has shell %v", sh)
	}
	if sh := f.Stages[2].Instructions[1].Shell; sh[0] != "/bin/sh" {
		t.Fatalf("unrelated stage has shell %v", sh)
	}
}

func TestTypedNilOnError(t *testing.T) {
	f := mustParse(t, "FROM a\nCOPY\n")
	if in := f.Instructions[1]; in.Typed != nil || in.TypedErr == nil {
		t.Fatalf("COPY without arguments: typed %#v err %v", in.Typed, in.TypedErr)
	}
}
