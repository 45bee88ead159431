package report

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

// manyFindings returns a report of three files with n findings each,
// their texts holding what JSON escapes or leaves alone: HTML characters,
// quotes, control characters, U+2028, invalid UTF-8 and non-ASCII.
func manyFindings(n int) *Report {
	texts := []string{`plain`, `<a href="x">&amp;</a>`, "tab\there\nnew line", "line\u2028sep\u2029", "bad \xff\xfe utf-8", `back\slash "quoted"`, "ünïcödé ✓", "\x00\x1f"}
	r := &Report{Tool: "strata"}
	for f := range 3 {
		fr := FileResult{File: fmt.Sprintf("dir/%d/Dockerfile%s", f, texts[f%len(texts)]), Checklist: []ChecklistItem{{Item: "base_image.pinned", Status: vocab.Fail}}}
		for i := range n {
			fd := Finding{File: fr.File, Rule: fmt.Sprintf("SD%03d", i%700), Name: texts[i%len(texts)], Severity: vocab.Severity(i % 4),
				Line: i + 1, EndLine: i + 1 + i%3, Column: i % 5, Message: texts[(i+f)%len(texts)] + fmt.Sprint(i), Fixable: i%2 == 0}
			if i%3 == 0 {
				fd.Aliases = []string{"DL3008", texts[i%len(texts)]}
			}
			fr.Findings = append(fr.Findings, fd)
		}
		r.Files = append(r.Files, fr)
	}
	return r
}

// TestJSONFindingsEncodedApart checks that the findings encoded on every
// processor at once give, byte for byte, the document encoded whole.
func TestJSONFindingsEncodedApart(t *testing.T) {
	for _, n := range []int{0, 1, 2*findingsChunk/3 - 1, 2 * findingsChunk / 3, 700, 2000} {
		r := manyFindings(n)
		var want, got bytes.Buffer
		if err := WriteJSON(&want, jsonDocument(r), "JSON"); err != nil {
			t.Fatal(err)
		}
		if err := JSON(&got, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			i := 0
			for i < min(got.Len(), want.Len()) && got.Bytes()[i] == want.Bytes()[i] {
				i++
			}
			t.Fatalf("%d findings a file: output differs from the whole document's at byte %d:\ngot  %q\nwant %q", n, i,
				got.Bytes()[max(0, i-80):min(got.Len(), i+80)], want.Bytes()[max(0, i-80):min(want.Len(), i+80)])
		}
	}
}

// BenchmarkJSONReport measures the JSON format on a report of 6,000
// findings, against encoding the document whole in the same run.
func BenchmarkJSONReport(b *testing.B) {
	r := manyFindings(2000)
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			if err := WriteJSON(io.Discard, jsonDocument(r), "JSON"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("findings-apart", func(b *testing.B) {
		for b.Loop() {
			if err := JSON(io.Discard, r, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestNeedsRules checks that a format NeedsRules leaves out prints the
// same with and without the report's rules.
func TestNeedsRules(t *testing.T) {
	with := manyFindings(3)
	with.Rules = []RuleInfo{{ID: "SD001", Name: "n", Summary: "s", Help: "h", HelpURI: "https://example.com"}}
	without := *with
	without.Rules = nil
	for _, name := range Formats() {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		var a, b bytes.Buffer
		if err := f(&a, with, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := f(&b, &without, Options{}); err != nil {
			t.Fatal(err)
		}
		if same := bytes.Equal(a.Bytes(), b.Bytes()); same == NeedsRules(name) {
			t.Errorf("%s: output the same with and without rules: %v; NeedsRules: %v", name, same, NeedsRules(name))
		}
	}
}
