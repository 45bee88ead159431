package report

import (
	"github.com/stratatools/strata/internal/image/imagediff"
)

// writeImageHTML writes strata image's or strata diff's page; data is
// the treemap's JSON (from json.Marshal, which escapes <, > and &).
func writeImageHTML(w *pageWriter, p *htmlImagePage, data []byte) {
	w.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	w.text(p.Title)
	w.raw("</title>\n<style>\n" + imageCSS + "</style>\n</head>\n<body>\n<h1 id=\"heading\">")
	w.text(p.Heading)
	w.raw("</h1>\n")
	if len(p.Sub) > 0 {
		w.raw(`<p class="sub">`)
		for i, s := range p.Sub {
			if i > 0 {
				w.raw(" · ")
			}
			w.text(s)
		}
		w.raw(`</p>`)
	}
	w.raw("\n<div class=\"stats\">")
	for _, s := range p.Stats {
		w.raw(`<div class="stat"><b>`)
		w.text(s.Value)
		w.raw(`</b><span>`)
		w.text(s.Label)
		w.raw(`</span></div>`)
	}
	w.raw("</div>\n")
	if p.Summary != "" {
		w.raw(`<p class="summary" id="summary">`)
		w.text(p.Summary)
		w.raw(`</p>`)
	}
	w.raw(`

<h2>Layers</h2>
<div class="card"><table id="layers">
<tr>`)
	if p.Diff {
		w.raw(`<th>side</th>`)
	}
	w.raw(`<th class="num">#</th><th class="num">size</th>`)
	if !p.Diff {
		w.raw(`<th class="num">added</th><th class="num">wasted</th><th>line</th>`)
	}
	w.raw("<th>command</th></tr>\n")
	for _, l := range p.Layers {
		w.raw(`<tr class="`)
		if l.Base {
			w.raw("base")
		}
		if l.Shared {
			w.raw("shared")
		}
		w.raw(`">`)
		if l.Side != "" {
			w.raw(`<td>`)
			w.text(l.Side)
			w.raw(`</td>`)
		}
		w.raw(`<td class="num"><span class="swatch" style="background: `)
		w.css(l.Colour)
		w.raw(`"></span>`)
		w.text(l.Index)
		w.raw(`</td><td class="num">`)
		w.text(l.Size)
		w.raw(`</td>`)
		if !p.Diff {
			w.raw(`<td class="num">`)
			w.text(l.Added)
			w.raw(`</td><td class="num">`)
			w.text(l.Wasted)
			w.raw(`</td><td>`)
			w.text(l.Line)
			w.raw(`</td>`)
		}
		w.raw(`<td><code>`)
		w.text(l.Command)
		w.raw(`</code>`)
		if l.Shared {
			w.raw(` (shared)`)
		}
		if l.Base {
			w.raw(` (base)`)
		}
		w.raw("</td></tr>\n")
	}
	w.raw("</table></div>\n\n<h2>")
	if p.Diff {
		w.raw("What differs")
	} else {
		w.raw("The image by path")
	}
	w.raw(`</h2>
<div class="card">
<div class="legend">`)
	w.text(p.MapNote)
	w.raw(`</div>
<div class="legend" id="legend">`)
	for _, l := range p.Legend {
		w.raw(`<span><span class="swatch" style="background: `)
		w.css(l.Colour)
		w.raw(`"></span>`)
		w.text(l.Label)
		w.raw(`</span>`)
	}
	w.raw(`</div>
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
	w.raw("\n")
	if len(p.Notes) > 0 {
		w.raw(`<h2>Notes</h2><ul class="notes">`)
		for _, n := range p.Notes {
			w.raw(`<li>`)
			w.text(n)
			w.raw(`</li>`)
		}
		w.raw(`</ul>`)
	}
	w.raw("\n<script type=\"application/json\" id=\"treemap-data\">")
	w.script(data)
	w.raw("</script>\n<script>")
	w.script([]byte(treemapJS))
	w.raw("</script>\n</body>\n</html>\n")
}

// writeDiffTables writes the diff's groups by top directory and its
// changes.
func writeDiffTables(w *pageWriter, p *htmlImagePage) {
	w.raw(`
<h2>By top directory</h2>
<div class="card"><table id="groups">
<tr><th>directory</th><th class="num">change</th><th class="num">added</th><th class="num">removed</th><th class="num">changed</th></tr>
`)
	for _, g := range p.Groups {
		w.raw(`<tr><td class="path">`)
		w.text(g.Dir)
		w.raw(`</td><td class="num">`)
		w.text(imagediff.SignedSize(g.Delta))
		w.raw(`</td><td class="num">`)
		w.int(int64(g.Added))
		w.raw(`</td><td class="num">`)
		w.int(int64(g.Removed))
		w.raw(`</td><td class="num">`)
		w.int(int64(g.Changed))
		w.raw("</td></tr>\n")
	}
	w.raw(`</table></div>
<h2>Changes</h2>
<div class="card"><table id="changes">
<tr><th></th><th>path</th><th class="num">bytes</th><th>what</th></tr>
`)
	for _, c := range p.Changes {
		w.raw(`<tr class="op-`)
		w.text(c.Op)
		w.raw(`"><td>`)
		w.text(c.Op)
		w.raw(`</td><td class="path">`)
		w.text(c.Path)
		w.raw(`</td><td class="num">`)
		w.text(c.Delta)
		w.raw(`</td><td>`)
		w.text(c.Detail)
		w.raw("</td></tr>\n")
	}
	w.raw(`</table>`)
	if p.More != 0 {
		w.raw(`<p class="legend">… and `)
		w.int(int64(p.More))
		w.raw(` more (strata diff --format json lists every one)</p>`)
	}
	w.raw("</div>\n")
}

// writeImageTables writes the image's waste and findings.
func writeImageTables(w *pageWriter, p *htmlImagePage) {
	w.raw("\n<h2>Waste</h2>\n<div class=\"card\">")
	if len(p.Waste) > 0 {
		w.raw(`<table id="waste">
<tr><th>path</th><th>kind</th><th class="num">bytes</th><th class="num">made by layer</th><th class="num">hidden by layer</th></tr>
`)
		for _, x := range p.Waste {
			w.raw(`<tr><td class="path">`)
			w.text(x.Path)
			w.raw(`</td><td>`)
			w.text(x.Kind)
			w.raw(`</td><td class="num">`)
			w.text(x.Bytes)
			w.raw(`</td><td class="num">`)
			w.int(int64(x.Created))
			w.raw(`</td><td class="num">`)
			w.int(int64(x.Hidden))
			w.raw("</td></tr>\n")
		}
		w.raw(`</table>`)
	} else {
		w.raw(`<p class="legend">No bytes hidden by a later layer.</p>`)
	}
	w.raw("</div>\n<h2>Findings</h2>\n<div class=\"card\">")
	if len(p.Findings) > 0 {
		w.raw(`<table id="findings">
<tr><th>rule</th><th>severity</th><th>message</th><th class="num">layer</th><th>Dockerfile</th></tr>
`)
		for _, f := range p.Findings {
			w.raw(`<tr><td><code>`)
			w.text(f.Rule)
			w.raw(`</code></td><td class="sev-`)
			w.text(f.Severity)
			w.raw(`">`)
			w.text(f.Severity)
			w.raw(`</td><td>`)
			w.text(f.Message)
			if f.Path != "" {
				w.raw(` <code>`)
				w.text(f.Path)
				w.raw(`</code>`)
			}
			w.raw(`</td><td class="num">`)
			if f.Layer != 0 {
				w.int(int64(f.Layer))
			}
			w.raw(`</td><td>`)
			if f.Line != "" {
				w.raw(`line `)
				w.text(f.Line)
				if f.Instruction != "" {
					w.raw(`: <code>`)
					w.text(f.Instruction)
					w.raw(`</code>`)
				}
			}
			w.raw("</td></tr>\n")
		}
		w.raw(`</table>`)
	} else {
		w.raw(`<p class="legend">No findings.</p>`)
	}
	w.raw("</div>\n")
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
