package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagediff"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/report/reporttest"
)

// TestHTMLGolden renders each HTML page (compare, image, diff) of
// the samples the other tests use, byte for byte.
func TestHTMLGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		write  func(*bytes.Buffer) error
	}{
		{"compare-html", func(b *bytes.Buffer) error { return CompareHTML(b, sampleComparison()) }},
		{"image-html", func(b *bytes.Buffer) error { return ImageHTML(b, classicResult(t)) }},
		{"diff-html", func(b *bytes.Buffer) error { return DiffHTML(b, goldenDiff(t)) }},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			reporttest.Golden(t, tc.golden, b.Bytes())
		})
	}
}

// classicResult is the analysis of imagetest.Classic with its Dockerfile,
// without what depends on the machine (where the files were, how long it
// took).
func classicResult(t *testing.T) *image.Result {
	t.Helper()
	r, _ := analyzeImage(t, imagetest.Classic(t), imagetest.ClassicDockerfile)
	r.Image.Source, r.Image.Ref = "docker-archive:classic.tar", "classic.tar"
	r.Dockerfile.Path = "Dockerfile"
	r.Timing = image.Timing{Layers: []image.LayerTiming{}}
	return r
}

// goldenDiff is sampleDiff named the same on every machine.
func goldenDiff(t *testing.T) *imagediff.Diff {
	d := sampleDiff(t)
	d.A.Source, d.B.Source = "docker-archive:a.tar", "docker-archive:b.tar"
	return d
}

func compareWith(s *reporttest.Strings) *measure.Comparison {
	c := sampleComparison()
	for i, m := range []*measure.Measurement{c.A, c.B} {
		side := string(rune('a' + i))
		m.Subject, m.Context, m.Builder = s.S("subject"+side), s.S("context"+side), s.S("builder"+side)
		m.Notes = []string{s.S("note" + side)}
		for j := range m.Layers {
			m.Layers[j].CreatedBy = s.S(fmt.Sprintf("layer%s%d", side, j))
		}
	}
	c.A.StartupError = s.S("startuperror")
	for i := range c.Figures {
		c.Figures[i].Label = s.S(fmt.Sprintf("figure%d", i))
	}
	c.Findings = append(c.Findings, measure.CategoryChange{Category: s.S("category"), A: 1, Fixed: []string{s.S("fixed1"), s.S("fixed2")}, New: []string{s.S("new")}})
	c.Score.Formula = s.S("formula1") + "; " + s.S("formula2")
	for i := range c.Score.Terms {
		c.Score.Terms[i].Name, c.Score.Terms[i].Working = s.S(fmt.Sprintf("term%d", i)), s.S(fmt.Sprintf("working%d", i))
	}
	c.Files = &measure.FileDiff{Summary: s.S("files")}
	return c
}

func imageWith(t *testing.T, s *reporttest.Strings) *image.Result {
	r := sampleWithFinding(t)
	r.Image.Source, r.Image.Platform, r.Image.User, r.Image.ID = s.S("source"), s.S("platform"), s.S("user"), s.S("id")
	for i := range r.Layers {
		// The layer table folds a command's spaces (U+2028 is one).
		r.Layers[i].CreatedBy = s.Part(fmt.Sprintf("command%d", i))
	}
	for i := range r.Waste.Items {
		r.Waste.Items[i].Path, r.Waste.Items[i].Kind = s.S(fmt.Sprintf("waste%d", i)), s.S(fmt.Sprintf("kind%d", i))
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Rule, f.Message = s.S(fmt.Sprintf("rule%d", i)), s.S(fmt.Sprintf("message%d", i))
		if f.Path != "" {
			f.Path = s.S(fmt.Sprintf("path%d", i))
		}
	}
	for i := range r.Dockerfile.Entries {
		r.Dockerfile.Entries[i].Instruction.Text = s.S(fmt.Sprintf("instruction%d", i))
	}
	for i := range r.Files {
		f := &r.Files[i]
		if f.Kind == image.KindFile {
			f.Path = f.Path[:strings.LastIndexByte(f.Path, '/')+1] + s.Name(fmt.Sprintf("file%d", i))
		}
	}
	r.Notes = []string{s.S("note")}
	return r
}

func diffWith(t *testing.T, s *reporttest.Strings) *imagediff.Diff {
	d := sampleDiff(t)
	d.A.Source, d.B.Source, d.Summary.Text = s.S("sourcea"), s.S("sourceb"), s.S("summary")
	for i, side := range []*imagediff.Side{&d.A, &d.B} {
		for j := range side.Layers {
			side.Layers[j].CreatedBy = s.S(fmt.Sprintf("command%d.%d", i, j))
		}
	}
	for i := range d.Groups {
		d.Groups[i].Dir = s.S(fmt.Sprintf("group%d", i))
	}
	for i := range d.Files {
		f := &d.Files[i]
		f.Path = s.S(fmt.Sprintf("changed%d", i))
		if f.Op == imagediff.Removed && f.A.Kind == image.KindFile {
			// Shown as the target of a link that replaced it.
			f.B = &imagediff.State{Kind: image.KindSymlink, Link: "x"}
			f.Op, f.Changed = imagediff.Added, nil
			f.B.Link = s.S(fmt.Sprintf("link%d", i))
		}
	}
	d.Notes = []string{s.S("note")}
	return d
}

// TestHTMLEscapesHostileStrings fills every string a user controls on
// each page with markup, quotes and the end of a script element: each
// comes out escaped, whole, and the page has the same elements and
// attributes as with plain strings.
func TestHTMLEscapesHostileStrings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		scripts int
		render  func(*reporttest.Strings, *bytes.Buffer) error
	}{
		{"compare", 1, func(s *reporttest.Strings, b *bytes.Buffer) error { return CompareHTML(b, compareWith(s)) }},
		{"image", 2, func(s *reporttest.Strings, b *bytes.Buffer) error { return ImageHTML(b, imageWith(t, s)) }},
		{"diff", 2, func(s *reporttest.Strings, b *bytes.Buffer) error { return DiffHTML(b, diffWith(t, s)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			htmlPlain, htmlBad := reporttest.RenderHostile(t, tc.scripts, tc.render)
			// The data the treemap reads is JSON that holds the names
			// whole and nothing that could end its element.
			if tc.scripts == 2 {
				var data string
				htmlPlain, _ = cutTreemapData(t, htmlPlain)
				htmlBad, data = cutTreemapData(t, htmlBad)
				if strings.ContainsAny(data, "<>&\u2028\u2029") {
					t.Errorf("the treemap data holds a raw <, >, & or line separator: %.300s", data)
				}
				var tree treemapData
				if err := json.Unmarshal([]byte(data), &tree); err != nil {
					t.Fatalf("the treemap data is not JSON: %v", err)
				}
				if !strings.Contains(strings.Join(tree.N, "\n"), reporttest.HostileName) && tc.name == "image" {
					t.Errorf("no name in the treemap data holds %q: %q", reporttest.HostileName, tree.N)
				}
			}
			// Escaped text adds no markup (outside the JSON data).
			reporttest.SameMarkup(t, htmlPlain, htmlBad)
		})
	}
}

// cutTreemapData returns the page without the content of its treemap-data
// element, and that content.
func cutTreemapData(t *testing.T, page string) (rest, data string) {
	t.Helper()
	const open = `<script type="application/json" id="treemap-data">`
	before, after, ok := strings.Cut(page, open)
	if !ok {
		t.Fatal("no treemap-data element")
	}
	data, after, ok = strings.Cut(after, "</script>")
	if !ok {
		t.Fatal("the treemap-data element does not end")
	}
	return before + open + "</script>" + after, data
}

// TestPageWriterEscapesAsHTMLTemplate: text and attribute values come out
// as html/template wrote them, and a CSS value PageWriter accepts too.
func TestPageWriterEscapesAsHTMLTemplate(t *testing.T) {
	tmpl := htmltemplate.Must(htmltemplate.New("").Parse(`<p title="{{.}}" class="x {{.}}">{{.}}</p><div style="width: {{.}}%; background: var(--{{.}})"></div>`))
	inputs := []string{"", "plain", reporttest.Hostile, reporttest.HostileName, "\x00", "a\xffb", "\xe2\x80", "\ufdd0\ufdef\ufff0\uffff\ufffd", "a+b=c", "é 日本 \u2028", "#4e79a7", "100", "0.5", "33.3", "a", "-1.5",
		"a;b", "x(y)", "</style>", "a--b", "\\41", "Expression", "-moz-binding", "a b", "1/2", "'q'", "{}", "@import", "`"}
	for r := rune(0); r < 0x300; r++ {
		inputs = append(inputs, string(r)+"x")
	}
	for _, s := range inputs {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var w PageWriter
		w.Raw(`<p title="`)
		w.Text(s)
		w.Raw(`" class="x `)
		w.Text(s)
		w.Raw(`">`)
		w.Text(s)
		w.Raw(`</p>`)
		text := w.b.String()
		if !strings.HasPrefix(want.String(), text) {
			t.Errorf("%q: text\n got %q\nwant %q", s, text, want.String())
			continue
		}
		w.Raw(`<div style="width: `)
		w.CSS(s)
		w.Raw(`%; background: var(--`)
		w.CSS(s)
		w.Raw(`)"></div>`)
		if got := w.b.String(); cssValue(s) != cssUnsafe && got != want.String() {
			t.Errorf("%q: CSS\n got %q\nwant %q", s, got, want.String())
		}
		if strings.ContainsAny(s, "\"'();:/\\<>{}@` ") && cssValue(s) != cssUnsafe {
			t.Errorf("%q passes as a CSS value", s)
		}
	}
}

// A script's content that would end its element, start another or open a
// comment is refused.
func TestPageWriterRefusesUnsafeScripts(t *testing.T) {
	for _, s := range []string{"x</script>y", "x</SCRIPT >", "<script>", "a<!--b", "if (a <b) {}</scrIpt"} {
		var w PageWriter
		w.Script([]byte(s))
		if err := w.WritePage(io.Discard, "the page"); err == nil || strings.Contains(w.b.String(), s) {
			t.Errorf("%q: written (error %v)", s, err)
		}
	}
	for _, s := range []string{`{"n":["\u003c/script\u003e"]}`, "if (a < b && c<d) { x = '<' + 'p>'; }", treemapJS} {
		var w PageWriter
		w.Script([]byte(s))
		if err := w.WritePage(io.Discard, "the page"); err != nil || w.b.String() != s {
			t.Errorf("%q: refused (%v)", s, err)
		}
	}
}
