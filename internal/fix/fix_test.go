package fix

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// keywordUpper is a test rule whose fix upper-cases instruction keywords.
var keywordUpper = &rules.Rule{
	ID: "T001", Name: "upper", Severity: vocab.Warning, Category: vocab.StyleCat,
	Check: func(p *rules.Pass) error {
		for _, in := range p.File.Instructions {
			if in.Keyword != strings.ToUpper(in.Keyword) {
				pos := p.File.Offset(in.StartLine, in.Column)
				p.ReportFix(in, &edit.Fix{Message: "upper-case " + in.Keyword, Edits: []edit.TextEdit{{Pos: pos, End: pos + len(in.Keyword), NewText: strings.ToUpper(in.Keyword)}}}, "lower-case keyword")
			}
		}
		return nil
	},
}

// wholeLine is a test rule that rewrites a whole line containing "run",
// overlapping keywordUpper's edit on the same line.
var wholeLine = &rules.Rule{
	ID: "T002", Name: "whole", Severity: vocab.Warning, Category: vocab.StyleCat,
	Check: func(p *rules.Pass) error {
		for _, in := range p.File.Instructions {
			if in.Cmd == "run" && strings.Contains(in.Original, "echo one") {
				pos, end := p.File.Offset(in.StartLine, 1), p.File.LineEnd(in.StartLine)
				p.ReportFix(in, &edit.Fix{Message: "rewrite", Edits: []edit.TextEdit{{Pos: pos, End: end, NewText: "run echo ONE"}}}, "whole line")
			}
		}
		return nil
	},
}

// flipFlop never converges: each pass toggles a word.
var flipFlop = &rules.Rule{
	ID: "T003", Name: "flip", Severity: vocab.Warning, Category: vocab.StyleCat,
	Check: func(p *rules.Pass) error {
		for _, in := range p.File.Instructions {
			for _, w := range []string{"ping", "pong"} {
				if i := strings.Index(string(p.File.Source), w); i >= 0 {
					other := map[string]string{"ping": "pong", "pong": "ping"}[w]
					p.ReportFix(in, &edit.Fix{Message: "flip", Edits: []edit.TextEdit{{Pos: i, End: i + 4, NewText: other}}}, "flip")
					return nil
				}
			}
		}
		return nil
	},
}

// breaker produces an unparseable file.
var breaker = &rules.Rule{
	ID: "T004", Name: "breaker", Severity: vocab.Warning, Category: vocab.StyleCat,
	Check: func(p *rules.Pass) error {
		if strings.Contains(string(p.File.Source), "break-me") {
			p.ReportFix(nil, &edit.Fix{Message: "break", Edits: []edit.TextEdit{{Pos: 0, End: len(p.File.Source), NewText: "RUN <<EOF\nunterminated\n"}}}, "break")
		}
		return nil
	},
}

func testOpts(rs ...*rules.Rule) Options {
	return Options{Lint: rules.Options{Rules: rs}, Context: &rules.BuildContext{}}
}

func TestPassesAndOverlaps(t *testing.T) {
	src := "# keep this comment\nfrom debian:bookworm\n\nrun echo one\nrun echo two\n"
	res, err := File(context.Background(), "Dockerfile", []byte(src), testOpts(keywordUpper, wholeLine))
	if err != nil {
		t.Fatal(err)
	}
	// Pass 1: the keyword fixes win on lines 2, 4 and 5 (on line 4 the
	// keyword edit and the whole-line rewrite start at the same byte; the
	// lower rule ID wins). Pass 2 rewrites line 4, lower-casing its
	// keyword again; pass 3 upper-cases it; pass 4 finds nothing.
	want := "# keep this comment\nFROM debian:bookworm\n\nRUN echo ONE\nRUN echo two\n"
	if got := string(res.Fixed); got != want {
		t.Fatalf("fixed:\n%s\nwant:\n%s", got, want)
	}
	if res.Passes != 4 || len(res.Changes) != 5 {
		t.Fatalf("passes = %d, changes = %d", res.Passes, len(res.Changes))
	}
	again, err := File(context.Background(), "Dockerfile", res.Fixed, testOpts(keywordUpper, wholeLine))
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() {
		t.Fatal("fix is not idempotent")
	}
}

func TestNotConverging(t *testing.T) {
	_, err := File(context.Background(), "Dockerfile", []byte("FROM a\nRUN echo ping\n"), testOpts(flipFlop))
	if err == nil || !strings.Contains(err.Error(), "did not converge") {
		t.Fatalf("err = %v", err)
	}
}

func TestUnparseableInputAndOutput(t *testing.T) {
	if _, err := File(context.Background(), "Dockerfile", []byte("FROM a\nRUN <<EOF\nx\n"), testOpts(keywordUpper)); err == nil {
		t.Fatal("unparseable input must be an error")
	}
	_, err := File(context.Background(), "Dockerfile", []byte("FROM a\nRUN break-me\n"), testOpts(breaker))
	if err == nil || !strings.Contains(err.Error(), "does not parse") {
		t.Fatalf("a fix producing bad output must be reported: %v", err)
	}
}

func TestUnsafeNeedsOptIn(t *testing.T) {
	unsafeRule := &rules.Rule{ID: "T005", Name: "unsafe", Severity: vocab.Warning, Category: vocab.Size,
		Check: func(p *rules.Pass) error {
			if !strings.Contains(string(p.File.Source), "USER") {
				end := len(p.File.Source)
				p.ReportFix(nil, &edit.Fix{Message: "add USER", Unsafe: true, Edits: []edit.TextEdit{{Pos: end, End: end, NewText: "USER nobody\n"}}}, "root")
			}
			return nil
		}}
	src := []byte("FROM a\n")
	res, err := File(context.Background(), "Dockerfile", src, testOpts(unsafeRule))
	if err != nil || res.Changed() {
		t.Fatalf("safe run changed the file: %v %q", err, res.Fixed)
	}
	o := testOpts(unsafeRule)
	o.Unsafe = true
	res, err = File(context.Background(), "Dockerfile", src, o)
	if err != nil || string(res.Fixed) != "FROM a\nUSER nobody\n" || !res.Changes[0].Unsafe {
		t.Fatalf("unsafe run: %v %q", err, res.Fixed)
	}
}

func TestOverlap(t *testing.T) {
	e := func(p, q int) edit.TextEdit { return edit.TextEdit{Pos: p, End: q} }
	for _, c := range []struct {
		a, b edit.TextEdit
		want bool
	}{
		{e(0, 5), e(5, 8), false},
		{e(0, 5), e(4, 8), true},
		{e(3, 3), e(3, 3), true},
		{e(3, 3), e(0, 3), false},
		{e(3, 3), e(0, 5), true},
		{e(0, 5), e(5, 5), false},
	} {
		if got := overlap(c.a, c.b); got != c.want {
			t.Errorf("overlap(%v, %v) = %v", c.a, c.b, got)
		}
	}
}

// goldenDay is the day the golden files judge end-of-life dates on
// (SD103): the goldens do not change as the calendar moves on.
var goldenDay = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

// TestGolden fixes every testdata/fix/NAME.Dockerfile with the real rule
// set (safe fixes, and with --unsafe) and compares with
// testdata/golden/NAME.safe and NAME.unsafe. Each result must re-parse,
// be idempotent, and keep every comment of the original.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/fix/*.Dockerfile")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".Dockerfile")
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, unsafe := range []bool{false, true} {
			kind := "safe"
			if unsafe {
				kind = "unsafe"
			}
			t.Run(name+"/"+kind, func(t *testing.T) {
				ctxDir := t.TempDir()
				bc, err := rules.LoadBuildContext(ctxDir, "")
				if err != nil {
					t.Fatal(err)
				}
				opts := Options{Unsafe: unsafe, Context: bc, Lint: rules.Options{Settings: rules.Settings{Today: goldenDay}}}
				res, err := File(context.Background(), in, src, opts)
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", name+"."+kind)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, res.Fixed, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if string(res.Fixed) != string(want) {
					t.Fatalf("fixed %s differs from %s:\n%s", in, golden, res.Fixed)
				}
				if _, err := dockerfile.Parse("fixed", res.Fixed); err != nil {
					t.Fatalf("fixed file does not parse: %v", err)
				}
				again, err := File(context.Background(), in, res.Fixed, opts)
				if err != nil {
					t.Fatal(err)
				}
				if again.Changed() {
					t.Fatalf("not idempotent: a second fix changes\n%s\ninto\n%s", res.Fixed, again.Fixed)
				}
				orig, _ := dockerfile.Parse("orig", src)
				fixed, _ := dockerfile.Parse("fixed", res.Fixed)
				for _, c := range orig.Comments {
					if !strings.Contains(string(res.Fixed), c.Text) {
						t.Errorf("comment %q lost", c.Text)
					}
				}
				if fixed.Escape != orig.Escape {
					t.Errorf("escape character changed")
				}
			})
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(data) != "new" || fi.Mode().Perm() != 0o640 {
		t.Fatalf("content %q mode %v", data, fi.Mode().Perm())
	}
	ro := filepath.Join(dir, "ro")
	if err := os.WriteFile(ro, []byte("original"), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(ro, []byte("changed")); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("read-only: %v", err)
	}
	if data, _ := os.ReadFile(ro); string(data) != "original" {
		t.Fatalf("read-only file changed: %q", data)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("temporary files left behind: %v", ents)
	}
	if err := WriteFile(dir, []byte("x")); err == nil {
		t.Fatal("writing over a directory must fail")
	}
}

// TestTrailingShellComment: a clean-up appended after a shell comment
// became part of the comment, and the fixes never settled.
func TestTrailingShellComment(t *testing.T) {
	src := []byte("FROM alpine:3.20\nRUN apk update && apk add curl # comment\nUSER nobody\nCMD [\"curl\"]\n")
	res, err := File(context.Background(), "Dockerfile", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "FROM alpine:3.20\nRUN apk update && apk add --no-cache curl && rm -rf /var/cache/apk/* # comment\nUSER nobody\nCMD [\"curl\"]\n"
	if string(res.Fixed) != want {
		t.Fatalf("got\n%s\nwant\n%s", res.Fixed, want)
	}
}

// TestStructuralFirst: in a pass where a structural rewrite is offered,
// the local edits wait for the next pass, against the rewritten text;
// among structural rewrites, a lower Order goes first.
func TestStructuralFirst(t *testing.T) {
	structural := &rules.Rule{ID: "T010", Name: "structural", Severity: vocab.Warning, Category: vocab.Size,
		Check: func(p *rules.Pass) error {
			if !strings.Contains(string(p.File.Source), "# moved") {
				end := len(p.File.Source)
				p.ReportFix(nil, &edit.Fix{Message: "move", Structural: true, Edits: []edit.TextEdit{{Pos: end, End: end, NewText: "# moved\n"}}}, "structural")
			}
			return nil
		}}
	base := &rules.Rule{ID: "T011", Name: "base", Severity: vocab.Warning, Category: vocab.Size,
		Check: func(p *rules.Pass) error {
			if i := strings.Index(string(p.File.Source), "debian:bookworm\n"); i >= 0 {
				p.ReportFix(nil, &edit.Fix{Message: "base", Structural: true, Order: -1, Edits: []edit.TextEdit{{Pos: i, End: i + len("debian:bookworm"), NewText: "debian:trixie"}}}, "base")
			}
			return nil
		}}
	res, err := File(context.Background(), "Dockerfile", []byte("from debian:bookworm\nrun echo one\n"), testOpts(keywordUpper, structural, base))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range res.Changes {
		order = append(order, fmt.Sprintf("%d:%s", c.Pass, c.Rule))
	}
	// Pass 1: the base (Order -1) and the structural move, which do not
	// overlap; the keyword fixes wait. Pass 2: the keywords.
	if got, want := strings.Join(order, " "), "1:T011 1:T010 2:T001 2:T001"; got != want {
		t.Fatalf("changes %s, want %s", got, want)
	}
	if want := "FROM debian:trixie\nRUN echo one\n# moved\n"; string(res.Fixed) != want {
		t.Fatalf("fixed:\n%s\nwant:\n%s", res.Fixed, want)
	}
}
