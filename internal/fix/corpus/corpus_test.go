package corpus

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/testenv"
)

var (
	shellcheckFlag = flag.Bool("corpus.shellcheck", false, "also run ShellCheck (SD002) on the RUN scripts (slow)")
	outFlag        = flag.String("corpus.out", "", "write each fixed Dockerfile, its diff and the files fixes create under this directory")
	onlyFlag       = flag.String("corpus.only", "", "check only the files whose folder/path contains this text")
)

// TestCorpus lints and fixes (--unsafe, in process; nothing is written to
// the corpus) every Dockerfile of the real-world corpus and fails on a
// crash, a false rejection, fixes that do not converge or leave a file
// that does not parse, and a casing fix that changes a word that is not
// an instruction keyword. It logs the findings per rule, the fixes per
// rule and a summary line (scripts/corpus.sh prints them).
//
// The corpus holds third-party files and is never copied into this
// repository: the test finds it through STRATA_CORPUS, else in
// shared/corpus beside the repository or one of its parents
// (../shared/corpus from the module root, ../../shared/corpus from a
// worktree under wt/). When it is absent the test is skipped with a
// message, even when CI=true: CI machines do not carry the corpus.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	if dir == "" {
		t.Skip("no corpus: set STRATA_CORPUS to the directory holding SOURCES.tsv, or put it at ../shared/corpus from the repository root (it is not part of the repository, so CI machines skip this test)")
	}
	entries, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if *onlyFlag != "" {
		var keep []Entry
		for _, e := range entries {
			if strings.Contains(e.Name(), *onlyFlag) {
				keep = append(keep, e)
			}
		}
		entries = keep
	}
	if len(entries) == 0 {
		t.Fatalf("%s lists no Dockerfile", filepath.Join(dir, "SOURCES.tsv"))
	}
	fixable, err := Fixable(t.Context(), filepath.Join("..", "..", "rules", "testdata", "lint"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep := Run(t.Context(), entries, Options{ShellCheck: *shellcheckFlag, Fixable: fixable})
	t.Logf("checked %d files in %v (ShellCheck %s)", len(rep.Files), time.Since(start).Round(time.Millisecond), map[bool]string{true: "on", false: "off: -corpus.shellcheck turns it on"}[*shellcheckFlag])
	t.Log("\n" + Table("findings per rule", rep.Findings()))
	t.Log("\n" + Table("fixes per rule (fix --unsafe)", rep.Edits()))
	t.Log("\nfindings of rules that have a fix, left on the fixed files, by reason:\n" + strings.Join(rep.Exceptions(), "\n"))
	if *outFlag != "" {
		if err := writeOut(*outFlag, rep); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range rep.Files {
		for _, p := range f.Problems {
			t.Errorf("%s: %s: %s", f.Entry.Name(), p.Kind, p.Detail)
		}
	}
	t.Log(rep.Summary())
}

// corpusDir returns the corpus directory, or "" when there is none.
func corpusDir(t *testing.T) string {
	if d := os.Getenv("STRATA_CORPUS"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "SOURCES.tsv")); err != nil {
			t.Fatalf("STRATA_CORPUS=%s: %v", d, err)
		}
		return d
	}
	dir := testenv.ModuleRoot(t)
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		c := filepath.Join(d, "shared", "corpus")
		if _, err := os.Stat(filepath.Join(c, "SOURCES.tsv")); err == nil {
			return c
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// writeOut writes the fixed files for review: NAME (the fixed
// Dockerfile), NAME.changes (what each fix did) and the created files
// under NAME.create/.
func writeOut(dir string, rep *Report) error {
	for _, f := range rep.Files {
		if f.Fix == nil || (!f.Fix.Changed() && len(f.Fix.Create) == 0) {
			continue
		}
		base := filepath.Join(dir, filepath.FromSlash(f.Entry.Name()))
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(base, f.Fix.Fixed, 0o644); err != nil {
			return err
		}
		var b strings.Builder
		for _, c := range f.Fix.Changes {
			fmt.Fprintf(&b, "pass %d line %d %s unsafe=%v: %s\n", c.Pass, c.Line, c.Rule, c.Unsafe, c.Message)
		}
		if err := os.WriteFile(base+".changes", []byte(b.String()), 0o644); err != nil {
			return err
		}
		for _, nf := range f.Fix.Create {
			p := filepath.Join(base+".create", filepath.FromSlash(nf.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(nf.Content), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestCasingOnly checks the casing detector on a file in the shape of a
// template, where the parser takes shell lines for instructions: only
// the case of real keywords (and of FROM's AS) may change.
func TestCasingOnly(t *testing.T) {
	src := "from debian:bookworm as build\nRUN set -eux; \\\n{{ if .x }}\n\tapt-get update\nrun echo hi\n"
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fixed string
		bad   int
	}{
		{"FROM debian:bookworm AS build\nRUN set -eux; \\\n{{ if .x }}\n\tapt-get update\nRUN echo hi\n", 0},
		{"from debian:bookworm as build\nRUN set -eux; \\\n{{ if .x }}\n\tAPT-GET update\nrun echo hi\n", 1},
		{"from DEBIAN:bookworm as build\nRUN set -eux; \\\n{{ IF .x }}\n\tapt-get update\nrun echo hi\n", 2},
		{"from debian:bookworm as build\nRUN set -eux; \\\n{{ if .x }}\n\tapt-get update\nrun echo HI\n", 1},
		{"FROM debian:bookworm AS build\n", 1},
	} {
		if got := casingOnly(f, []byte(c.fixed)); len(got) != c.bad {
			t.Errorf("casingOnly(%q) = %q, want %d bad lines", c.fixed, got, c.bad)
		}
	}
}

// TestRunOnSmallCorpus runs the checks on a corpus made here: a file
// Docker accepts that strata must lint and fix cleanly, one that does
// not parse although the list says Docker accepts it (a false
// rejection, as strata would report one), and one the list marks as
// rejected.
func TestRunOnSmallCorpus(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"acme__app/Dockerfile":        "FROM debian:bookworm\nrun apt-get update && apt-get install -y curl\nRUN echo hi\nCMD [\"curl\", \"--version\"]\n",
		"acme__app/bad/Dockerfile":    "FROM debian:bookworm\nRUN <<EOF\nunterminated\n",
		"acme__app/broken/Dockerfile": "FROM debian:bookworm\nRUN <<EOF\nunterminated\n",
	}
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list := "repo\tcommit\tpath\tcontext\texpect\n" +
		"acme/app\tabc\tDockerfile\tfull\tok\n" +
		"acme/app\tabc\tbad/Dockerfile\tfull\tok\n" +
		"acme/app\tabc\tbroken/Dockerfile\tfull\trejected\n"
	if err := os.WriteFile(filepath.Join(dir, "SOURCES.tsv"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(t.Context(), entries, Options{})
	c := rep.Counts()
	if c[FalseRejection] != 1 || c[Crash]+c[NotConverging]+c[Unparsable]+c[BadCasing] != 0 {
		t.Fatalf("counts = %v, want one false rejection only:\n%+v", c, rep.Files)
	}
	if rep.Files[1].Problems[0].Kind != FalseRejection {
		t.Errorf("the false rejection is not bad/Dockerfile's: %+v", rep.Files)
	}
	ok := rep.Files[0]
	if ok.Findings["ConsistentInstructionCasing"] != 1 || ok.Fix == nil || !ok.Fix.Changed() {
		t.Errorf("the good file: findings %v, fix %+v; want a casing finding and a fix", ok.Findings, ok.Fix)
	}
	if !strings.Contains(rep.Summary(), "files 3, crashes 0, false rejections 1,") {
		t.Errorf("summary = %q", rep.Summary())
	}
	if _, err := os.Stat(filepath.Join(dir, "acme__app", ".dockerignore")); err == nil {
		t.Error("the run wrote into the corpus")
	}
}

// TestFixedPointOnSmallCorpus: a file whose fixed form keeps a finding a
// fix exists for, without a reason, is a problem; one with a reason is
// counted among the exceptions.
func TestFixedPointOnSmallCorpus(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		// cd in the middle of a RUN: DL3003 declines with a reason.
		"acme__app/Dockerfile": "FROM debian:bookworm-slim\nRUN echo start && cd /tmp && ls\nUSER nobody\nCMD [\"ls\"]\n",
	}
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list := "repo\tcommit\tpath\tcontext\texpect\nacme/app\tabc\tDockerfile\tfull\tok\n"
	if err := os.WriteFile(filepath.Join(dir, "SOURCES.tsv"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// DL3003 has a fix; a made-up rule list where it is the only one.
	rep := Run(t.Context(), entries, Options{Fixable: map[string]bool{"DL3003": true}})
	if c := rep.Counts(); c[NotFixedPoint] != 0 {
		t.Fatalf("a declined fix with its reason counted as a problem: %+v", rep.Files[0].Problems)
	}
	ex := rep.Exceptions()
	if len(ex) != 1 || !strings.Contains(ex[0], "DL3003: the cd is not the RUN's first command") {
		t.Fatalf("exceptions = %q", ex)
	}
	if l := (Leftover{Rule: "X"}); !l.Failed() {
		t.Error("a leftover without a reason must fail the fixed point")
	}
	if l := (Leftover{Rule: "X", Reason: "why", Offered: true}); !l.Failed() {
		t.Error("a leftover whose fix is still offered must fail the fixed point")
	}
	if got := ReasonKey(Leftover{Rule: "SD103", Reason: "kicad is not among the packages strata knows to keep their name in debian:bookworm-slim's release (x)"}); !strings.HasPrefix(got, "SD103: PACKAGE is not among") {
		t.Errorf("ReasonKey = %q", got)
	}
}
