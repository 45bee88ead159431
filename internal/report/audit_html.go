package report

import (
	"fmt"
	"html/template"
	"io"

	"github.com/stratatools/strata/internal/audit"
)

// AuditHTML writes the audit as one self-contained page (no network):
// the totals, the images ranked with bars of their size and waste (click
// a column to sort by it; each row opens the image's layers and
// findings), the layers the images share, and the failures.
func AuditHTML(w io.Writer, r *audit.Report, opts AuditOptions) error {
	page := auditPage{Report: r, Target: r.Registry}
	if r.Prefix != "" {
		page.Target += "/" + r.Prefix
	}
	var maxSize, maxWaste int64
	for _, img := range r.Images {
		maxSize = max(maxSize, img.Size)
		maxWaste = max(maxWaste, img.WastedBytes)
	}
	for i, img := range r.Images[:limit(len(r.Images), opts.Top)] {
		n := img.Count()
		row := auditImageRow{
			Rank: i + 1, Image: img, Errors: n[0], Warnings: n[1], Infos: n[2] + n[3],
			SizeText: FormatSize(img.Size), WasteText: FormatSize(img.WastedBytes),
			SizePct: barPct(img.Size, maxSize), WastePct: barPct(img.WastedBytes, maxWaste),
			Gate: "", Pass: true,
		}
		if img.Gate != nil {
			row.Gate, row.Pass = "pass", img.Gate.Pass
			if !img.Gate.Pass {
				row.Gate = "fail"
			}
		}
		for j, l := range img.Layers {
			row.Layers = append(row.Layers, auditLayerRow{
				Index: j + 1, Digest: shortDigest(l.Digest), Size: FormatSize(l.Size), Wasted: FormatSize(l.WastedBytes),
				CreatedBy: l.CreatedBy, Base: l.Base,
			})
		}
		page.Images = append(page.Images, row)
	}
	maxImages := 1
	for _, l := range r.Layers {
		maxImages = max(maxImages, l.Images)
	}
	for _, l := range r.Layers[:limit(len(r.Layers), opts.Top)] {
		page.Layers = append(page.Layers, auditSharedRow{
			LayerUse: l, Short: shortDigest(l.Digest), SizeText: FormatSize(l.Size), CompressedText: FormatSize(l.CompressedSize),
			Pct: barPct(int64(l.Images), int64(maxImages)),
		})
	}
	page.Stored, page.Unshared, page.Read = FormatSize(r.Stats.StoredBytes), FormatSize(r.Stats.UnsharedBytes), FormatSize(r.Stats.BytesRead)
	page.Seconds = fmt.Sprintf("%.1f", r.Seconds)
	if err := auditTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("writing the audit page: %w", err)
	}
	return nil
}

type auditPage struct {
	Report                 *audit.Report
	Target                 string
	Images                 []auditImageRow
	Layers                 []auditSharedRow
	Stored, Unshared, Read string
	Seconds                string
}

type auditImageRow struct {
	Rank int
	audit.Image
	Errors, Warnings, Infos int
	SizeText, WasteText     string
	SizePct, WastePct       float64
	Gate                    string
	Pass                    bool
	Layers                  []auditLayerRow
}

type auditLayerRow struct {
	Index                int
	Digest, Size, Wasted string
	CreatedBy            string
	Base                 bool
}

type auditSharedRow struct {
	audit.LayerUse
	Short, SizeText, CompressedText string
	Pct                             float64
}

var auditTemplate = template.Must(template.New("audit").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>strata audit: {{.Target}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2430; background: #fff; }
h1 { font-size: 1.4em; margin: 0 0 .3em; } h2 { font-size: 1.15em; margin: 1.6em 0 .5em; }
.summary { color: #4a5568; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
th { background: #f7fafc; cursor: pointer; user-select: none; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { height: .7em; background: #3182ce; border-radius: 2px; }
.bar.waste { background: #e53e3e; } .bar.shared { background: #38a169; }
.cell { min-width: 8em; }
.fail { color: #c53030; font-weight: 600; } .pass { color: #2f855a; }
.e { color: #c53030; } .w { color: #b7791f; } .i { color: #2b6cb0; }
details summary { cursor: pointer; }
code { font-size: .92em; }
.base { color: #718096; }
</style>
</head>
<body>
<h1>strata audit: {{.Target}}</h1>
<p class="summary" id="summary">{{.Report.Stats.Images}} images in {{.Report.Stats.Repositories}} repositories ({{.Report.Stats.Tags}} tags),
{{.Report.Stats.DistinctLayers}} distinct layers; the registry stores {{.Stored}} for them ({{.Unshared}} without shared layers).
Layers read: {{.Report.Stats.LayersRead}} ({{.Read}}), from the cache: {{.Report.Stats.LayersFromCache}}; images from the cache: {{.Report.Stats.ImagesFromCache}}.
{{if .Report.Stats.GateFailed}}<span class="fail">{{.Report.Stats.GateFailed}} images fail the gate.</span>{{end}}
Took {{.Seconds}} s.</p>

<h2>Images, by {{.Report.RankedBy}}</h2>
<table id="images">
<thead><tr><th data-type="num">#</th><th>image</th><th>platform</th><th data-type="num">size</th><th data-type="num">wasted</th><th data-type="num">waste %</th><th data-type="num">errors</th><th data-type="num">warnings</th><th data-type="num">info</th><th>gate</th></tr></thead>
<tbody>
{{range .Images}}<tr class="image">
<td class="num" data-v="{{.Rank}}">{{.Rank}}</td>
<td><details><summary><code>{{.Ref}}</code></summary>
<p><code>{{.Pinned}}</code></p>
<table class="layers"><tr><th>layer</th><th>size</th><th>wasted</th><th>created by</th></tr>
{{range .Layers}}<tr{{if .Base}} class="base"{{end}}><td><code>{{.Index}} {{.Digest}}</code></td><td class="num">{{.Size}}</td><td class="num">{{.Wasted}}</td><td>{{if .Base}}(base) {{end}}{{.CreatedBy}}</td></tr>
{{end}}</table>
{{if .Findings}}<ul class="findings">{{range .Findings}}<li><code>{{.Rule}}</code> {{.Severity}}: {{.Message}}</li>{{end}}</ul>{{end}}
</details></td>
<td>{{.Platform}}</td>
<td class="num cell" data-v="{{.Size}}">{{.SizeText}}<div class="bar" style="width: {{printf "%.1f" .SizePct}}%"></div></td>
<td class="num cell" data-v="{{.WastedBytes}}">{{.WasteText}}<div class="bar waste" style="width: {{printf "%.1f" .WastePct}}%"></div></td>
<td class="num" data-v="{{.WastedPercent}}">{{printf "%.1f" .WastedPercent}}</td>
<td class="num e" data-v="{{.Errors}}">{{.Errors}}</td>
<td class="num w" data-v="{{.Warnings}}">{{.Warnings}}</td>
<td class="num i" data-v="{{.Infos}}">{{.Infos}}</td>
<td class="{{if .Pass}}pass{{else}}fail{{end}}">{{.Gate}}</td>
</tr>
{{end}}</tbody>
</table>

<h2>Shared layers</h2>
<table id="layers">
<thead><tr><th data-type="num">images</th><th data-type="num">repositories</th><th data-type="num">size</th><th data-type="num">compressed</th><th>layer</th><th>created by</th></tr></thead>
<tbody>
{{range .Layers}}<tr>
<td class="num cell" data-v="{{.Images}}">{{.Images}}<div class="bar shared" style="width: {{printf "%.1f" .Pct}}%"></div></td>
<td class="num" data-v="{{.Repositories}}">{{.Repositories}}</td>
<td class="num" data-v="{{.Size}}">{{.SizeText}}</td>
<td class="num" data-v="{{.CompressedSize}}">{{.CompressedText}}</td>
<td><code title="{{.Digest}}">{{.Short}}</code></td>
<td>{{if .Base}}<span class="base">(base)</span> {{end}}{{.CreatedBy}}</td>
</tr>
{{end}}</tbody>
</table>
{{if .Report.Failures}}
<h2>Failures</h2>
<ul id="failures">{{range .Report.Failures}}<li><code>{{.Ref}}</code>: {{.Error}}{{if gt .Attempts 1}} (after {{.Attempts}} attempts){{end}}</li>{{end}}</ul>
{{end}}
<script>
// A click on a column heading sorts its table (again: the other way); a
// link ending in #sort=HEADING opens the page sorted by that column.
function sortBy(th) {
  var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
  var num = th.dataset.type === "num", asc = th.dataset.asc === "0";
  if (th.dataset.asc === undefined) asc = !num;
  th.dataset.asc = asc ? "1" : "0";
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = a.cells[col], y = b.cells[col];
    var u = num ? parseFloat(x.dataset.v) : x.textContent, v = num ? parseFloat(y.dataset.v) : y.textContent;
    var c = num ? u - v : String(u).localeCompare(String(v));
    return asc ? c : -c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
}
document.querySelectorAll("thead th").forEach(function (th) {
  th.addEventListener("click", function () { sortBy(th); });
});
var m = /^#sort=(.+)$/.exec(location.hash);
if (m) {
  document.querySelectorAll("#images thead th").forEach(function (th) {
    if (th.textContent === decodeURIComponent(m[1])) sortBy(th);
  });
}
// What was laid out, for tests and tools that read the page.
document.querySelectorAll(".bar").forEach(function (b) {
  b.dataset.renderedWidth = String(b.getBoundingClientRect().width);
});
document.body.dataset.rendered = "true";
</script>
</body>
</html>
`))
