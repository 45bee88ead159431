package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"

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
	var b bytes.Buffer
	if err := htmlTemplate().Execute(&b, page); err != nil {
		return fmt.Errorf("rendering the HTML report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	return nil
}

// htmlPage is the template's view of a comparison.
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

// htmlTemplate is parsed on first use: parsing it when the program starts
// would cost every command, lint included, a fraction of a millisecond.
var htmlTemplate = sync.OnceValue(func() *template.Template { return template.Must(template.New("compare").Parse(htmlSource)) })

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { --a: #3b6fb6; --a-light: #a9c1e3; --b: #e07b16; --b-light: #f3c190; --ink: #1d2430; --muted: #5d6778; --line: #d9dee7; }
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
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">strata measure figures of A and B side by side. Durations are medians over the runs; sizes are uncompressed unless marked compressed.</p>
<div class="card" id="summary">
{{range .Sides}}<div><span class="tag {{.Class}}">{{.Name}}</span><code>{{.Subject}}</code> <span class="sub">{{.Detail}}</span></div>
{{end}}<div class="verdict {{.Score.Winner}}" id="verdict">{{.Verdict}} (score {{printf "%.1f" .Score.Total}})</div>
</div>

<h2>Figures</h2>
<div class="card">
<table id="figures">
<thead><tr><th>figure</th><th class="num"><span class="tag a">A</span></th><th class="num"><span class="tag b">B</span></th><th class="num">B − A</th><th class="num">reduction</th></tr></thead>
<tbody>
{{range .Figures}}<tr class="{{.Class}}"><td>{{.Label}}</td><td class="num">{{.A}}</td><td class="num">{{.B}}</td><td class="num">{{.Diff}}</td><td class="num{{if ne .Reduction "–"}} red{{end}}">{{.Reduction}}</td></tr>
{{end}}</tbody>
</table>
</div>

<h2>Image size</h2>
<div class="card">
<div class="chart" id="totals">
{{range .Totals}}<div class="label">{{.Side}} {{.Label}}</div><div class="track"><div class="bar {{.Class}}" data-side="{{.Side}}" data-bytes="{{.Bytes}}" style="width: {{.Pct}}%"></div></div><div class="value">{{.Value}}</div>
{{end}}</div>
</div>

<h2>Size per layer</h2>
<div class="sides">
{{range .Sides}}<div class="card layers" id="layers-{{.Class}}">
<h3><span class="tag {{.Class}}">{{.Name}}</span>{{len .Layers}} layers, {{.Total}}</h3>
<div class="chart">
{{$side := .}}{{range .Layers}}<div class="label" title="{{.Label}}">#{{.Index}} {{.Label}}</div><div class="track"><div class="bar layer {{$side.Class}}{{if .Base}} base{{end}}" data-side="{{$side.Name}}" data-layer="{{.Index}}" data-bytes="{{.Bytes}}" style="width: {{.Pct}}%"></div></div><div class="value" title="compressed {{.Compressed}}">{{.Size}}</div>
{{end}}</div>
<div class="legend">bar length: uncompressed layer size, on one scale for A and B<span class="swatch" style="background: var(--{{.Class}}-light)"></span>base image<span class="swatch" style="background: var(--{{.Class}})"></span>own layers</div>
{{if .Startup}}<ul class="notes"><li>{{.Startup}}</li></ul>{{end}}
{{if .Notes}}<ul class="notes">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
</div>
{{end}}</div>

{{if .Files}}<h2>Files</h2>
<div class="card" id="files">{{.Files}} <span class="legend">(strata diff A B lists every file)</span></div>
{{end}}<h2>Findings by category</h2>
<div class="card">
{{if .Cats}}<table id="findings">
<thead><tr><th>category</th><th class="num">A</th><th class="num">B</th><th>fixed in B</th><th>new in B</th></tr></thead>
<tbody>
{{range .Cats}}<tr><td>{{.Category}}</td><td class="num">{{.A}}</td><td class="num">{{.B}}</td><td>{{range $i, $r := .Fixed}}{{if $i}}, {{end}}<code>{{$r}}</code>{{else}}–{{end}}</td><td>{{range $i, $r := .New}}{{if $i}}, {{end}}<code>{{$r}}</code>{{else}}–{{end}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p id="findings">No findings on either side.</p>{{end}}
</div>

<h2>measure.Score</h2>
<div class="card">
<ul class="formula">{{range .Formula}}<li>{{.}}</li>{{end}}</ul>
<table id="score">
<thead><tr><th>term</th><th class="num">weight × value</th><th class="num">points</th><th>working</th></tr></thead>
<tbody>
{{range .Score.Terms}}<tr><td>{{.Name}}</td><td class="num">{{.Weight}} × {{printf "%.1f" .Value}}</td><td class="num">{{printf "%.1f" .Points}}</td><td><code>{{.Working}}</code></td></tr>
{{end}}<tr><th>score</th><td></td><td class="num"><strong>{{printf "%.1f" .Score.Total}}</strong></td><td><strong>{{.Verdict}}</strong></td></tr>
</tbody>
</table>
</div>
<script>
// Record each bar's laid-out width, so that a saved DOM shows what the
// browser drew.
window.addEventListener("load", function () {
  document.querySelectorAll(".bar").forEach(function (el) {
    el.setAttribute("data-rendered-width", String(Math.round(el.getBoundingClientRect().width)));
  });
  document.body.setAttribute("data-rendered", "true");
});
</script>
</body>
</html>
`
