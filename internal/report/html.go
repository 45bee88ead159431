package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/measure"
)

// CompareHTML writes a comparison as one self-contained HTML page: inline
// CSS and a few lines of inline script, nothing fetched from the network.
// It shows the figures side by side, bar charts of the image sizes and of
// the size of every layer of A and B, the findings by category and the
// score with its working.
func CompareHTML(w io.Writer, c *measure.Comparison) error {
	page, err := htmlPageFor(c)
	if err != nil {
		return err
	}
	var pw PageWriter
	writeComparePage(&pw, page)
	return pw.WritePage(w, "the HTML report")
}

// htmlPage is what the page shows of a comparison.
type htmlPage struct {
	Title   string
	Sides   []htmlSide
	Figures []htmlFigure
	Totals  []htmlTotalBar
	Cats    []measure.CategoryChange
	Score   measure.Score
	Verdict string
	Formula []string
	// Files is the summary of the images' file diff, when made.
	Files string
}

type htmlSide struct {
	Name    string // "A" or "B"
	Class   string // "a" or "b"
	Subject string
	Detail  string
	Layers  []htmlLayer
	Total   string
	Notes   []string
	Startup string
}

type htmlLayer struct {
	Index      int
	Label      string
	Size       string
	Compressed string
	Bytes      int64
	Pct        float64 // bar width, percent of the largest layer of A and B
	Base       bool
}

type htmlTotalBar struct {
	Label string
	Side  string
	Class string
	Value string
	Bytes int64
	Pct   float64
}

type htmlFigure struct {
	Label     string
	A, B      string
	Diff      string
	Reduction string
	Class     string // better, worse or same
}

func htmlPageFor(c *measure.Comparison) (*htmlPage, error) {
	if c == nil || c.A == nil || c.B == nil {
		return nil, fmt.Errorf("rendering the HTML report: nothing to compare")
	}
	page := &htmlPage{
		Title: fmt.Sprintf("strata compare: %s vs %s", c.A.Subject, c.B.Subject),
		Cats:  c.Findings,
		Score: c.Score,
	}
	switch c.Score.Winner {
	case "A":
		page.Verdict = "A wins"
	case "B":
		page.Verdict = "B wins"
	default:
		page.Verdict = "tie"
	}
	page.Formula = splitFormula(c.Score.Formula)
	if c.Files != nil {
		page.Files = c.Files.Summary
	}

	var maxLayer int64 = 1
	for _, m := range []*measure.Measurement{c.A, c.B} {
		for _, l := range m.Layers {
			maxLayer = max(maxLayer, l.Size)
		}
	}
	for i, m := range []*measure.Measurement{c.A, c.B} {
		side := htmlSide{Name: "A", Class: "a", Subject: m.Subject, Detail: measureDetail(m), Total: FormatSize(m.Size), Notes: m.Notes}
		if i == 1 {
			side.Name, side.Class = "B", "b"
		}
		switch {
		case m.StartupError != "":
			side.Startup = "start-up failed: " + m.StartupError
		case m.Startup != nil:
			side.Startup = "start-up until " + startupUntil(m)
		}
		for _, l := range m.Layers {
			side.Layers = append(side.Layers, htmlLayer{
				Index: l.Index, Label: layerLabel(l), Size: FormatSize(l.Size), Compressed: FormatSize(l.CompressedSize),
				Bytes: l.Size, Pct: BarPct(l.Size, maxLayer), Base: l.Base,
			})
		}
		page.Sides = append(page.Sides, side)
	}

	var maxTotal int64 = 1
	for _, m := range []*measure.Measurement{c.A, c.B} {
		maxTotal = max(maxTotal, m.Size, m.CompressedSize)
	}
	for _, t := range []struct {
		label string
		get   func(*measure.Measurement) int64
	}{{"image size", func(m *measure.Measurement) int64 { return m.Size }}, {"compressed", func(m *measure.Measurement) int64 { return m.CompressedSize }}} {
		for i, m := range []*measure.Measurement{c.A, c.B} {
			side, class := "A", "a"
			if i == 1 {
				side, class = "B", "b"
			}
			v := t.get(m)
			page.Totals = append(page.Totals, htmlTotalBar{Label: t.label, Side: side, Class: class, Value: FormatSize(v), Bytes: v, Pct: BarPct(v, maxTotal)})
		}
	}

	for _, f := range c.Figures {
		hf := htmlFigure{Label: f.Label, A: optValue(f.A, f.Unit), B: optValue(f.B, f.Unit), Diff: diffValue(f), Reduction: "–", Class: "same"}
		if f.Reduction != nil && f.Unit != measure.UnitBool {
			hf.Reduction = fmt.Sprintf("%.1f %%", *f.Reduction)
		}
		if f.Diff != nil && *f.Diff != 0 {
			if (*f.Diff < 0) == f.LowerIsBetter {
				hf.Class = "better"
			} else {
				hf.Class = "worse"
			}
		}
		page.Figures = append(page.Figures, hf)
	}
	return page, nil
}

func layerLabel(l measure.Layer) string {
	s := l.CreatedBy
	if s == "" {
		s = "(no history)"
	}
	if l.Base {
		s = "base: " + s
	}
	return s
}

func splitFormula(f string) []string {
	return strings.Split(f, "; ")
}

// writeComparePage writes the comparison's page.
func writeComparePage(w *PageWriter, p *htmlPage) {
	w.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	w.Text(p.Title)
	w.Raw("</title>\n<style>\n" + compareCSS + "</style>\n</head>\n<body>\n<h1>")
	w.Text(p.Title)
	w.Raw(`</h1>
<p class="sub">strata measure figures of A and B side by side. Durations are medians over the runs; sizes are uncompressed unless marked compressed.</p>
<div class="card" id="summary">
`)
	for _, s := range p.Sides {
		w.Raw(`<div><span class="tag `)
		w.Text(s.Class)
		w.Raw(`">`)
		w.Text(s.Name)
		w.Raw(`</span><code>`)
		w.Text(s.Subject)
		w.Raw(`</code> <span class="sub">`)
		w.Text(s.Detail)
		w.Raw("</span></div>\n")
	}
	w.Raw(`<div class="verdict `)
	w.Text(p.Score.Winner)
	w.Raw(`" id="verdict">`)
	w.Text(p.Verdict)
	w.Raw(` (score `)
	w.Fixed1(p.Score.Total)
	w.Raw(`)</div>
</div>

<h2>Figures</h2>
<div class="card">
<table id="figures">
<thead><tr><th>figure</th><th class="num"><span class="tag a">A</span></th><th class="num"><span class="tag b">B</span></th><th class="num">B − A</th><th class="num">reduction</th></tr></thead>
<tbody>
`)
	for _, f := range p.Figures {
		w.Raw(`<tr class="`)
		w.Text(f.Class)
		w.Raw(`"><td>`)
		w.Text(f.Label)
		w.Raw(`</td><td class="num">`)
		w.Text(f.A)
		w.Raw(`</td><td class="num">`)
		w.Text(f.B)
		w.Raw(`</td><td class="num">`)
		w.Text(f.Diff)
		w.Raw(`</td><td class="num`)
		if f.Reduction != "–" {
			w.Raw(` red`)
		}
		w.Raw(`">`)
		w.Text(f.Reduction)
		w.Raw("</td></tr>\n")
	}
	w.Raw(`</tbody>
</table>
</div>

<h2>Image size</h2>
<div class="card">
<div class="chart" id="totals">
`)
	for _, t := range p.Totals {
		w.Raw(`<div class="label">`)
		w.Text(t.Side)
		w.Raw(` `)
		w.Text(t.Label)
		w.Raw(`</div><div class="track"><div class="bar `)
		w.Text(t.Class)
		w.Raw(`" data-side="`)
		w.Text(t.Side)
		w.Raw(`" data-bytes="`)
		w.Int(t.Bytes)
		w.Raw(`" style="width: `)
		w.CSS(strconv.FormatFloat(t.Pct, 'g', -1, 64))
		w.Raw(`%"></div></div><div class="value">`)
		w.Text(t.Value)
		w.Raw("</div>\n")
	}
	w.Raw(`</div>
</div>

<h2>Size per layer</h2>
<div class="sides">
`)
	for _, s := range p.Sides {
		w.Raw(`<div class="card layers" id="layers-`)
		w.Text(s.Class)
		w.Raw(`">
<h3><span class="tag `)
		w.Text(s.Class)
		w.Raw(`">`)
		w.Text(s.Name)
		w.Raw(`</span>`)
		w.Int(int64(len(s.Layers)))
		w.Raw(` layers, `)
		w.Text(s.Total)
		w.Raw(`</h3>
<div class="chart">
`)
		for _, l := range s.Layers {
			w.Raw(`<div class="label" title="`)
			w.Text(l.Label)
			w.Raw(`">#`)
			w.Int(int64(l.Index))
			w.Raw(` `)
			w.Text(l.Label)
			w.Raw(`</div><div class="track"><div class="bar layer `)
			w.Text(s.Class)
			if l.Base {
				w.Raw(` base`)
			}
			w.Raw(`" data-side="`)
			w.Text(s.Name)
			w.Raw(`" data-layer="`)
			w.Int(int64(l.Index))
			w.Raw(`" data-bytes="`)
			w.Int(l.Bytes)
			w.Raw(`" style="width: `)
			w.CSS(strconv.FormatFloat(l.Pct, 'g', -1, 64))
			w.Raw(`%"></div></div><div class="value" title="compressed `)
			w.Text(l.Compressed)
			w.Raw(`">`)
			w.Text(l.Size)
			w.Raw("</div>\n")
		}
		w.Raw(`</div>
<div class="legend">bar length: uncompressed layer size, on one scale for A and B<span class="swatch" style="background: var(--`)
		w.CSS(s.Class)
		w.Raw(`-light)"></span>base image<span class="swatch" style="background: var(--`)
		w.CSS(s.Class)
		w.Raw(`)"></span>own layers</div>
`)
		if s.Startup != "" {
			w.Raw(`<ul class="notes"><li>`)
			w.Text(s.Startup)
			w.Raw(`</li></ul>`)
		}
		w.Raw("\n")
		if len(s.Notes) > 0 {
			w.Raw(`<ul class="notes">`)
			for _, n := range s.Notes {
				w.Raw(`<li>`)
				w.Text(n)
				w.Raw(`</li>`)
			}
			w.Raw(`</ul>`)
		}
		w.Raw("\n</div>\n")
	}
	w.Raw("</div>\n\n")
	if p.Files != "" {
		w.Raw(`<h2>Files</h2>
<div class="card" id="files">`)
		w.Text(p.Files)
		w.Raw(` <span class="legend">(strata diff A B lists every file)</span></div>
`)
	}
	w.Raw(`<h2>Findings by category</h2>
<div class="card">
`)
	if len(p.Cats) > 0 {
		w.Raw(`<table id="findings">
<thead><tr><th>category</th><th class="num">A</th><th class="num">B</th><th>fixed in B</th><th>new in B</th></tr></thead>
<tbody>
`)
		for _, c := range p.Cats {
			w.Raw(`<tr><td>`)
			w.Text(c.Category)
			w.Raw(`</td><td class="num">`)
			w.Int(int64(c.A))
			w.Raw(`</td><td class="num">`)
			w.Int(int64(c.B))
			w.Raw(`</td><td>`)
			writeCodeList(w, c.Fixed)
			w.Raw(`</td><td>`)
			writeCodeList(w, c.New)
			w.Raw("</td></tr>\n")
		}
		w.Raw(`</tbody>
</table>`)
	} else {
		w.Raw(`<p id="findings">No findings on either side.</p>`)
	}
	w.Raw(`
</div>

<h2>measure.Score</h2>
<div class="card">
<ul class="formula">`)
	for _, f := range p.Formula {
		w.Raw(`<li>`)
		w.Text(f)
		w.Raw(`</li>`)
	}
	w.Raw(`</ul>
<table id="score">
<thead><tr><th>term</th><th class="num">weight × value</th><th class="num">points</th><th>working</th></tr></thead>
<tbody>
`)
	for _, t := range p.Score.Terms {
		w.Raw(`<tr><td>`)
		w.Text(t.Name)
		w.Raw(`</td><td class="num">`)
		w.Float(t.Weight)
		w.Raw(` × `)
		w.Fixed1(t.Value)
		w.Raw(`</td><td class="num">`)
		w.Fixed1(t.Points)
		w.Raw(`</td><td><code>`)
		w.Text(t.Working)
		w.Raw("</code></td></tr>\n")
	}
	w.Raw(`<tr><th>score</th><td></td><td class="num"><strong>`)
	w.Fixed1(p.Score.Total)
	w.Raw(`</strong></td><td><strong>`)
	w.Text(p.Verdict)
	w.Raw(`</strong></td></tr>
</tbody>
</table>
</div>
<script>`)
	// The script records each bar's laid-out width, so that a saved DOM
	// shows what the browser drew. (The two empty lines are where
	// html/template dropped the script's comment.)
	w.Script([]byte(compareScript))
	w.Raw("</script>\n</body>\n</html>\n")
}

// writeCodeList writes rule IDs as code, separated by commas, or a dash
// for none.
func writeCodeList(w *PageWriter, ids []string) {
	if len(ids) == 0 {
		w.Raw("–")
		return
	}
	for i, id := range ids {
		if i > 0 {
			w.Raw(", ")
		}
		w.Raw("<code>")
		w.Text(id)
		w.Raw("</code>")
	}
}

const compareScript = `


window.addEventListener("load", function () {
  document.querySelectorAll(".bar").forEach(function (el) {
    el.setAttribute("data-rendered-width", String(Math.round(el.getBoundingClientRect().width)));
  });
  document.body.setAttribute("data-rendered", "true");
});
`

// compareCSS is the comparison page's style sheet.
const compareCSS = `:root { --a: #3b6fb6; --a-light: #a9c1e3; --b: #e07b16; --b-light: #f3c190; --ink: #1d2430; --muted: #5d6778; --line: #d9dee7; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 16px; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.tag { display: inline-block; min-width: 22px; padding: 1px 7px; border-radius: 4px; color: #fff; font-weight: 700; text-align: center; margin-right: 6px; }
.tag.a { background: var(--a); } .tag.b { background: var(--b); }
.verdict { display: inline-block; margin-top: 8px; padding: 4px 12px; border-radius: 16px; background: #e8f3ea; color: #1e6b34; font-weight: 700; }
.verdict.A { background: #e6eef9; color: #24508f; } .verdict.tie { background: #eee; color: #444; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.better td.red { color: #1e7d3a; font-weight: 600; } tr.worse td.red { color: #b3261e; font-weight: 600; }
.chart { display: grid; grid-template-columns: minmax(120px, 38%) 1fr 80px; gap: 4px 10px; align-items: center; }
.chart .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.chart .value { text-align: right; font-variant-numeric: tabular-nums; font-size: 12px; white-space: nowrap; }
.track { background: #eef0f4; border-radius: 3px; height: 16px; }
.bar { height: 16px; border-radius: 3px; min-width: 2px; }
.bar.a { background: var(--a); } .bar.b { background: var(--b); }
.bar.base.a { background: var(--a-light); } .bar.base.b { background: var(--b-light); }
.legend { color: var(--muted); font-size: 12px; margin-top: 8px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
ul.notes { margin: 8px 0 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
code, .formula { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.formula { color: var(--muted); margin: 0 0 10px; padding-left: 18px; }
`
