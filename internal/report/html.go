package report

import (
	"fmt"
	"io"
	"math"
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
	var pw pageWriter
	writeComparePage(&pw, page)
	return pw.writeTo(w, "the HTML report")
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
				Bytes: l.Size, Pct: barPct(l.Size, maxLayer), Base: l.Base,
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
			page.Totals = append(page.Totals, htmlTotalBar{Label: t.label, Side: side, Class: class, Value: FormatSize(v), Bytes: v, Pct: barPct(v, maxTotal)})
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

// barPct is v as a percentage of maxV, at least a sliver for a non-empty
// value so that every layer shows.
func barPct(v, maxV int64) float64 {
	if v <= 0 || maxV <= 0 {
		return 0
	}
	return math.Max(0.5, math.Round(float64(v)/float64(maxV)*1000)/10)
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
func writeComparePage(w *pageWriter, p *htmlPage) {
	w.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	w.text(p.Title)
	w.raw("</title>\n<style>\n" + compareCSS + "</style>\n</head>\n<body>\n<h1>")
	w.text(p.Title)
	w.raw(`</h1>
<p class="sub">strata measure figures of A and B side by side. Durations are medians over the runs; sizes are uncompressed unless marked compressed.</p>
<div class="card" id="summary">
`)
	for _, s := range p.Sides {
		w.raw(`<div><span class="tag `)
		w.text(s.Class)
		w.raw(`">`)
		w.text(s.Name)
		w.raw(`</span><code>`)
		w.text(s.Subject)
		w.raw(`</code> <span class="sub">`)
		w.text(s.Detail)
		w.raw("</span></div>\n")
	}
	w.raw(`<div class="verdict `)
	w.text(p.Score.Winner)
	w.raw(`" id="verdict">`)
	w.text(p.Verdict)
	w.raw(` (score `)
	w.fixed1(p.Score.Total)
	w.raw(`)</div>
</div>

<h2>Figures</h2>
<div class="card">
<table id="figures">
<thead><tr><th>figure</th><th class="num"><span class="tag a">A</span></th><th class="num"><span class="tag b">B</span></th><th class="num">B − A</th><th class="num">reduction</th></tr></thead>
<tbody>
`)
	for _, f := range p.Figures {
		w.raw(`<tr class="`)
		w.text(f.Class)
		w.raw(`"><td>`)
		w.text(f.Label)
		w.raw(`</td><td class="num">`)
		w.text(f.A)
		w.raw(`</td><td class="num">`)
		w.text(f.B)
		w.raw(`</td><td class="num">`)
		w.text(f.Diff)
		w.raw(`</td><td class="num`)
		if f.Reduction != "–" {
			w.raw(` red`)
		}
		w.raw(`">`)
		w.text(f.Reduction)
		w.raw("</td></tr>\n")
	}
	w.raw(`</tbody>
</table>
</div>

<h2>Image size</h2>
<div class="card">
<div class="chart" id="totals">
`)
	for _, t := range p.Totals {
		w.raw(`<div class="label">`)
		w.text(t.Side)
		w.raw(` `)
		w.text(t.Label)
		w.raw(`</div><div class="track"><div class="bar `)
		w.text(t.Class)
		w.raw(`" data-side="`)
		w.text(t.Side)
		w.raw(`" data-bytes="`)
		w.int(t.Bytes)
		w.raw(`" style="width: `)
		w.css(strconv.FormatFloat(t.Pct, 'g', -1, 64))
		w.raw(`%"></div></div><div class="value">`)
		w.text(t.Value)
		w.raw("</div>\n")
	}
	w.raw(`</div>
</div>

<h2>Size per layer</h2>
<div class="sides">
`)
	for _, s := range p.Sides {
		w.raw(`<div class="card layers" id="layers-`)
		w.text(s.Class)
		w.raw(`">
<h3><span class="tag `)
		w.text(s.Class)
		w.raw(`">`)
		w.text(s.Name)
		w.raw(`</span>`)
		w.int(int64(len(s.Layers)))
		w.raw(` layers, `)
		w.text(s.Total)
		w.raw(`</h3>
<div class="chart">
`)
		for _, l := range s.Layers {
			w.raw(`<div class="label" title="`)
			w.text(l.Label)
			w.raw(`">#`)
			w.int(int64(l.Index))
			w.raw(` `)
			w.text(l.Label)
			w.raw(`</div><div class="track"><div class="bar layer `)
			w.text(s.Class)
			if l.Base {
				w.raw(` base`)
			}
			w.raw(`" data-side="`)
			w.text(s.Name)
			w.raw(`" data-layer="`)
			w.int(int64(l.Index))
			w.raw(`" data-bytes="`)
			w.int(l.Bytes)
			w.raw(`" style="width: `)
			w.css(strconv.FormatFloat(l.Pct, 'g', -1, 64))
			w.raw(`%"></div></div><div class="value" title="compressed `)
			w.text(l.Compressed)
			w.raw(`">`)
			w.text(l.Size)
			w.raw("</div>\n")
		}
		w.raw(`</div>
<div class="legend">bar length: uncompressed layer size, on one scale for A and B<span class="swatch" style="background: var(--`)
		w.css(s.Class)
		w.raw(`-light)"></span>base image<span class="swatch" style="background: var(--`)
		w.css(s.Class)
		w.raw(`)"></span>own layers</div>
`)
		if s.Startup != "" {
			w.raw(`<ul class="notes"><li>`)
			w.text(s.Startup)
			w.raw(`</li></ul>`)
		}
		w.raw("\n")
		if len(s.Notes) > 0 {
			w.raw(`<ul class="notes">`)
			for _, n := range s.Notes {
				w.raw(`<li>`)
				w.text(n)
				w.raw(`</li>`)
			}
			w.raw(`</ul>`)
		}
		w.raw("\n</div>\n")
	}
	w.raw("</div>\n\n")
	if p.Files != "" {
		w.raw(`<h2>Files</h2>
<div class="card" id="files">`)
		w.text(p.Files)
		w.raw(` <span class="legend">(strata diff A B lists every file)</span></div>
`)
	}
	w.raw(`<h2>Findings by category</h2>
<div class="card">
`)
	if len(p.Cats) > 0 {
		w.raw(`<table id="findings">
<thead><tr><th>category</th><th class="num">A</th><th class="num">B</th><th>fixed in B</th><th>new in B</th></tr></thead>
<tbody>
`)
		for _, c := range p.Cats {
			w.raw(`<tr><td>`)
			w.text(c.Category)
			w.raw(`</td><td class="num">`)
			w.int(int64(c.A))
			w.raw(`</td><td class="num">`)
			w.int(int64(c.B))
			w.raw(`</td><td>`)
			writeCodeList(w, c.Fixed)
			w.raw(`</td><td>`)
			writeCodeList(w, c.New)
			w.raw("</td></tr>\n")
		}
		w.raw(`</tbody>
</table>`)
	} else {
		w.raw(`<p id="findings">No findings on either side.</p>`)
	}
	w.raw(`
</div>

<h2>measure.Score</h2>
<div class="card">
<ul class="formula">`)
	for _, f := range p.Formula {
		w.raw(`<li>`)
		w.text(f)
		w.raw(`</li>`)
	}
	w.raw(`</ul>
<table id="score">
<thead><tr><th>term</th><th class="num">weight × value</th><th class="num">points</th><th>working</th></tr></thead>
<tbody>
`)
	for _, t := range p.Score.Terms {
		w.raw(`<tr><td>`)
		w.text(t.Name)
		w.raw(`</td><td class="num">`)
		w.float(t.Weight)
		w.raw(` × `)
		w.fixed1(t.Value)
		w.raw(`</td><td class="num">`)
		w.fixed1(t.Points)
		w.raw(`</td><td><code>`)
		w.text(t.Working)
		w.raw("</code></td></tr>\n")
	}
	w.raw(`<tr><th>score</th><td></td><td class="num"><strong>`)
	w.fixed1(p.Score.Total)
	w.raw(`</strong></td><td><strong>`)
	w.text(p.Verdict)
	w.raw(`</strong></td></tr>
</tbody>
</table>
</div>
<script>`)
	// The script records each bar's laid-out width, so that a saved DOM
	// shows what the browser drew. (The two empty lines are where
	// html/template dropped the script's comment.)
	w.script([]byte(compareScript))
	w.raw("</script>\n</body>\n</html>\n")
}

// writeCodeList writes rule IDs as code, separated by commas, or a dash
// for none.
func writeCodeList(w *pageWriter, ids []string) {
	if len(ids) == 0 {
		w.raw("–")
		return
	}
	for i, id := range ids {
		if i > 0 {
			w.raw(", ")
		}
		w.raw("<code>")
		w.text(id)
		w.raw("</code>")
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
