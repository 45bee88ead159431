package report

import (
	"html/template"

	"github.com/stratatools/strata/internal/image/imagediff"
)

var imageHTMLTemplate = template.Must(template.New("image").Funcs(template.FuncMap{"signed": imagediff.SignedSize}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { --ink: #1d2430; --muted: #5d6778; --line: #d9dee7; }
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
</style>
</head>
<body>
<h1 id="heading">{{.Heading}}</h1>
{{if .Sub}}<p class="sub">{{range $i, $s := .Sub}}{{if $i}} · {{end}}{{$s}}{{end}}</p>{{end}}
<div class="stats">{{range .Stats}}<div class="stat"><b>{{.Value}}</b><span>{{.Label}}</span></div>{{end}}</div>
{{if .Summary}}<p class="summary" id="summary">{{.Summary}}</p>{{end}}

<h2>Layers</h2>
<div class="card"><table id="layers">
<tr>{{if .Diff}}<th>side</th>{{end}}<th class="num">#</th><th class="num">size</th>{{if not .Diff}}<th class="num">added</th><th class="num">wasted</th><th>line</th>{{end}}<th>command</th></tr>
{{range .Layers}}<tr class="{{if .Base}}base{{end}}{{if .Shared}}shared{{end}}">{{if .Side}}<td>{{.Side}}</td>{{end}}<td class="num"><span class="swatch" style="background: {{.Colour}}"></span>{{.Index}}</td><td class="num">{{.Size}}</td>{{if not $.Diff}}<td class="num">{{.Added}}</td><td class="num">{{.Wasted}}</td><td>{{.Line}}</td>{{end}}<td><code>{{.Command}}</code>{{if .Shared}} (shared){{end}}{{if .Base}} (base){{end}}</td></tr>
{{end}}</table></div>

<h2>{{if .Diff}}What differs{{else}}The image by path{{end}}</h2>
<div class="card">
<div class="legend">{{.MapNote}}</div>
<div class="legend" id="legend">{{range .Legend}}<span><span class="swatch" style="background: {{.Colour}}"></span>{{.Label}}</span>{{end}}</div>
<div id="treemap-path"></div>
<div id="treemap"></div>
</div>
<div id="treemap-tip"></div>

{{if .Diff}}
<h2>By top directory</h2>
<div class="card"><table id="groups">
<tr><th>directory</th><th class="num">change</th><th class="num">added</th><th class="num">removed</th><th class="num">changed</th></tr>
{{range .Groups}}<tr><td class="path">{{.Dir}}</td><td class="num">{{signed .Delta}}</td><td class="num">{{.Added}}</td><td class="num">{{.Removed}}</td><td class="num">{{.Changed}}</td></tr>
{{end}}</table></div>
<h2>Changes</h2>
<div class="card"><table id="changes">
<tr><th></th><th>path</th><th class="num">bytes</th><th>what</th></tr>
{{range .Changes}}<tr class="op-{{.Op}}"><td>{{.Op}}</td><td class="path">{{.Path}}</td><td class="num">{{.Delta}}</td><td>{{.Detail}}</td></tr>
{{end}}</table>{{if .More}}<p class="legend">… and {{.More}} more (strata diff --format json lists every one)</p>{{end}}</div>
{{else}}
<h2>Waste</h2>
<div class="card">{{if .Waste}}<table id="waste">
<tr><th>path</th><th>kind</th><th class="num">bytes</th><th class="num">made by layer</th><th class="num">hidden by layer</th></tr>
{{range .Waste}}<tr><td class="path">{{.Path}}</td><td>{{.Kind}}</td><td class="num">{{.Bytes}}</td><td class="num">{{.Created}}</td><td class="num">{{.Hidden}}</td></tr>
{{end}}</table>{{else}}<p class="legend">No bytes hidden by a later layer.</p>{{end}}</div>
<h2>Findings</h2>
<div class="card">{{if .Findings}}<table id="findings">
<tr><th>rule</th><th>severity</th><th>message</th><th class="num">layer</th><th>Dockerfile</th></tr>
{{range .Findings}}<tr><td><code>{{.Rule}}</code></td><td class="sev-{{.Severity}}">{{.Severity}}</td><td>{{.Message}}{{if .Path}} <code>{{.Path}}</code>{{end}}</td><td class="num">{{if .Layer}}{{.Layer}}{{end}}</td><td>{{if .Line}}line {{.Line}}{{if .Instruction}}: <code>{{.Instruction}}</code>{{end}}{{end}}</td></tr>
{{end}}</table>{{else}}<p class="legend">No findings.</p>{{end}}</div>
{{end}}
{{if .Notes}}<h2>Notes</h2><ul class="notes">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
<script type="application/json" id="treemap-data">{{.Data}}</script>
<script>{{.Script}}</script>
</body>
</html>
`))
