package report

import (
	"github.com/stratatools/strata/internal/image/imagediff"
)

// writeImageHTML writes strata image's or strata diff's page; data is
// the treemap's JSON (from json.Marshal, which escapes <, > and &).
func writeImageHTML(w *PageWriter, p *htmlImagePage, data []byte) {
	w.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	w.Text(p.Title)
	w.Raw("</title>\n<style>\n" + imageCSS + "</style>\n</head>\n<body>\n<h1 id=\"heading\">")
	w.Text(p.Heading)
	w.Raw("</h1>\n")
	if len(p.Sub) > 0 {
		w.Raw(`<p class="sub">`)
		for i, s := range p.Sub {
			if i > 0 {
				w.Raw(" · ")
			}
			w.Text(s)
		}
		w.Raw(`</p>`)
	}
	w.Raw("\n<div class=\"stats\">")
	for _, s := range p.Stats {
		w.Raw(`<div class="stat"><b>`)
		w.Text(s.Value)
		w.Raw(`</b><span>`)
		w.Text(s.Label)
		w.Raw(`</span></div>`)
	}
	w.Raw("</div>\n")
	if p.Summary != "" {
		w.Raw(`<p class="summary" id="summary">`)
		w.Text(p.Summary)
		w.Raw(`</p>`)
	}
	w.Raw(`

<h2>Layers</h2>
<div class="card"><table id="layers">
<tr>`)
	if p.Diff {
		w.Raw(`<th>side</th>`)
	}
	w.Raw(`<th class="num">#</th><th class="num">size</th>`)
	if !p.Diff {
		w.Raw(`<th class="num">added</th><th class="num">wasted</th><th>line</th>`)
	}
	w.Raw("<th>command</th></tr>\n")
	for _, l := range p.Layers {
		w.Raw(`<tr class="`)
		if l.Base {
			w.Raw("base")
		}
		if l.Shared {
			w.Raw("shared")
		}
		w.Raw(`">`)
		if l.Side != "" {
			w.Raw(`<td>`)
			w.Text(l.Side)
			w.Raw(`</td>`)
		}
		w.Raw(`<td class="num"><span class="swatch" style="background: `)
		w.CSS(l.Colour)
		w.Raw(`"></span>`)
		w.Text(l.Index)
		w.Raw(`</td><td class="num">`)
		w.Text(l.Size)
		w.Raw(`</td>`)
		if !p.Diff {
			w.Raw(`<td class="num">`)
			w.Text(l.Added)
			w.Raw(`</td><td class="num">`)
			w.Text(l.Wasted)
			w.Raw(`</td><td>`)
			w.Text(l.Line)
			w.Raw(`</td>`)
		}
		w.Raw(`<td><code>`)
		w.Text(l.Command)
		w.Raw(`</code>`)
		if l.Shared {
			w.Raw(` (shared)`)
		}
		if l.Base {
			w.Raw(` (base)`)
		}
		w.Raw("</td></tr>\n")
	}
	w.Raw("</table></div>\n\n<h2>")
	if p.Diff {
		w.Raw("What differs")
	} else {
		w.Raw("The image by path")
	}
	w.Raw(`</h2>
<div class="card">
<div class="legend">`)
	w.Text(p.MapNote)
	w.Raw(`</div>
<div class="legend" id="legend">`)
	for _, l := range p.Legend {
		w.Raw(`<span><span class="swatch" style="background: `)
		w.CSS(l.Colour)
		w.Raw(`"></span>`)
		w.Text(l.Label)
		w.Raw(`</span>`)
	}
	w.Raw(`</div>
<div id="treemap-path"></div>
<div id="treemap"></div>
</div>
<div id="treemap-tip"></div>

`)
	if p.Diff {
		writeDiffTables(w, p)
	} else {
		writeImageTables(w, p)
	}
	w.Raw("\n")
	if len(p.Notes) > 0 {
		w.Raw(`<h2>Notes</h2><ul class="notes">`)
		for _, n := range p.Notes {
			w.Raw(`<li>`)
			w.Text(n)
			w.Raw(`</li>`)
		}
		w.Raw(`</ul>`)
	}
	w.Raw("\n<script type=\"application/json\" id=\"treemap-data\">")
	w.Script(data)
	w.Raw("</script>\n<script>")
	w.Script([]byte(treemapJS))
	w.Raw("</script>\n</body>\n</html>\n")
}

// writeDiffTables writes the diff's groups by top directory and its
// changes.
func writeDiffTables(w *PageWriter, p *htmlImagePage) {
	w.Raw(`
<h2>By top directory</h2>
<div class="card"><table id="groups">
<tr><th>directory</th><th class="num">change</th><th class="num">added</th><th class="num">removed</th><th class="num">changed</th></tr>
`)
	for _, g := range p.Groups {
		w.Raw(`<tr><td class="path">`)
		w.Text(g.Dir)
		w.Raw(`</td><td class="num">`)
		w.Text(imagediff.SignedSize(g.Delta))
		w.Raw(`</td><td class="num">`)
		w.Int(int64(g.Added))
		w.Raw(`</td><td class="num">`)
		w.Int(int64(g.Removed))
		w.Raw(`</td><td class="num">`)
		w.Int(int64(g.Changed))
		w.Raw("</td></tr>\n")
	}
	w.Raw(`</table></div>
<h2>Changes</h2>
<div class="card"><table id="changes">
<tr><th></th><th>path</th><th class="num">bytes</th><th>what</th></tr>
`)
	for _, c := range p.Changes {
		w.Raw(`<tr class="op-`)
		w.Text(c.Op)
		w.Raw(`"><td>`)
		w.Text(c.Op)
		w.Raw(`</td><td class="path">`)
		w.Text(c.Path)
		w.Raw(`</td><td class="num">`)
		w.Text(c.Delta)
		w.Raw(`</td><td>`)
		w.Text(c.Detail)
		w.Raw("</td></tr>\n")
	}
	w.Raw(`</table>`)
	if p.More != 0 {
		w.Raw(`<p class="legend">… and `)
		w.Int(int64(p.More))
		w.Raw(` more (strata diff --format json lists every one)</p>`)
	}
	w.Raw("</div>\n")
}

// writeImageTables writes the image's waste and findings.
func writeImageTables(w *PageWriter, p *htmlImagePage) {
	w.Raw("\n<h2>Waste</h2>\n<div class=\"card\">")
	if len(p.Waste) > 0 {
		w.Raw(`<table id="waste">
<tr><th>path</th><th>kind</th><th class="num">bytes</th><th class="num">made by layer</th><th class="num">hidden by layer</th></tr>
`)
		for _, x := range p.Waste {
			w.Raw(`<tr><td class="path">`)
			w.Text(x.Path)
			w.Raw(`</td><td>`)
			w.Text(x.Kind)
			w.Raw(`</td><td class="num">`)
			w.Text(x.Bytes)
			w.Raw(`</td><td class="num">`)
			w.Int(int64(x.Created))
			w.Raw(`</td><td class="num">`)
			w.Int(int64(x.Hidden))
			w.Raw("</td></tr>\n")
		}
		w.Raw(`</table>`)
	} else {
		w.Raw(`<p class="legend">No bytes hidden by a later layer.</p>`)
	}
	w.Raw("</div>\n<h2>Findings</h2>\n<div class=\"card\">")
	if len(p.Findings) > 0 {
		w.Raw(`<table id="findings">
<tr><th>rule</th><th>severity</th><th>message</th><th class="num">layer</th><th>Dockerfile</th></tr>
`)
		for _, f := range p.Findings {
			w.Raw(`<tr><td><code>`)
			w.Text(f.Rule)
			w.Raw(`</code></td><td class="sev-`)
			w.Text(f.Severity)
			w.Raw(`">`)
			w.Text(f.Severity)
			w.Raw(`</td><td>`)
			w.Text(f.Message)
			if f.Path != "" {
				w.Raw(` <code>`)
				w.Text(f.Path)
				w.Raw(`</code>`)
			}
			w.Raw(`</td><td class="num">`)
			if f.Layer != 0 {
				w.Int(int64(f.Layer))
			}
			w.Raw(`</td><td>`)
			if f.Line != "" {
				w.Raw(`line `)
				w.Text(f.Line)
				if f.Instruction != "" {
					w.Raw(`: <code>`)
					w.Text(f.Instruction)
					w.Raw(`</code>`)
				}
			}
			w.Raw("</td></tr>\n")
		}
		w.Raw(`</table>`)
	} else {
		w.Raw(`<p class="legend">No findings.</p>`)
	}
	w.Raw("</div>\n")
}

// imageCSS is the image and diff pages' style sheet.
const imageCSS = `:root { --ink: #1d2430; --muted: #5d6778; --line: #d9dee7; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
h1 { font-size: 20px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 26px 0 10px; }
.sub { color: var(--muted); margin: 0 0 14px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin-bottom: 16px; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; }
.stat { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 110px; }
.stat b { display: block; font-size: 18px; }
.stat span { color: var(--muted); font-size: 12px; }
.summary { font-size: 16px; font-weight: 600; margin: 14px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, td.path { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
tr.base td { color: var(--muted); }
tr.shared td { color: var(--muted); font-style: italic; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.legend { color: var(--muted); font-size: 12px; margin: 6px 0; }
.legend span { margin-right: 12px; white-space: nowrap; }
#treemap { width: 100%; min-height: 200px; }
#treemap svg { display: block; }
#treemap rect { stroke: #fff; stroke-width: 0.5; }
#treemap rect.frame { fill-opacity: 0.35; cursor: zoom-in; }
#treemap text { font: 10px ui-monospace, "DejaVu Sans Mono", monospace; fill: #1d2430; pointer-events: none; }
#treemap-path a { font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: #24508f; text-decoration: none; }
#treemap-tip { position: absolute; display: none; background: #1d2430; color: #fff; padding: 3px 8px; border-radius: 4px; font-size: 12px; pointer-events: none; }
.op-added { color: #1e7d3a; } .op-removed { color: #b3261e; } .op-changed { color: #9a6b00; }
.sev-error { color: #b3261e; font-weight: 600; } .sev-warning { color: #9a6b00; font-weight: 600; }
ul.notes { margin: 8px 0 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
`
