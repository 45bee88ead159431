package auditreport

import (
	"io"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// HTML writes the audit as one self-contained page (no network):
// the totals, the images ranked with bars of their size and waste (click
// a column to sort by it; each row opens the image's layers and
// findings), the layers the images share, and the failures.
func HTML(w io.Writer, r *audit.Report, opts Options) error {
	var pw report.PageWriter
	writeAuditPage(&pw, r, opts)
	return pw.WritePage(w, "the audit page")
}

func writeAuditPage(w *report.PageWriter, r *audit.Report, opts Options) {
	target := r.Registry
	if r.Prefix != "" {
		target += "/" + r.Prefix
	}
	st := &r.Stats
	w.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>strata audit: ")
	w.Text(target)
	w.Raw("</title>\n<style>\n" + auditCSS + "</style>\n</head>\n<body>\n<h1>strata audit: ")
	w.Text(target)
	w.Raw(`</h1>
<p class="summary" id="summary">`)
	w.Int(int64(st.Images))
	w.Raw(` images in `)
	w.Int(int64(st.Repositories))
	w.Raw(` repositories (`)
	w.Int(int64(st.Tags))
	w.Raw(" tags),\n")
	w.Int(int64(st.DistinctLayers))
	w.Raw(` distinct layers; the registry stores `)
	w.Text(vocab.FormatSize(st.StoredBytes))
	w.Raw(` for them (`)
	w.Text(vocab.FormatSize(st.UnsharedBytes))
	w.Raw(" without shared layers).\nLayers read: ")
	w.Int(int64(st.LayersRead))
	w.Raw(` (`)
	w.Text(vocab.FormatSize(st.BytesRead))
	w.Raw(`), from the cache: `)
	w.Int(int64(st.LayersFromCache))
	w.Raw(`; images from the cache: `)
	w.Int(int64(st.ImagesFromCache))
	w.Raw(".\n")
	if st.GateFailed != 0 {
		w.Raw(`<span class="fail">`)
		w.Int(int64(st.GateFailed))
		w.Raw(` images fail the gate.</span>`)
	}
	w.Raw("\nTook ")
	w.Fixed1(r.Seconds)
	w.Raw(` s.</p>

<h2>Images, by `)
	w.Text(r.RankedBy)
	w.Raw(`</h2>
<table id="images">
<thead><tr><th data-type="num">#</th><th>image</th><th>platform</th><th data-type="num">size</th><th data-type="num">wasted</th><th data-type="num">waste %</th><th data-type="num">errors</th><th data-type="num">warnings</th><th data-type="num">info</th><th>gate</th></tr></thead>
<tbody>
`)
	var maxSize, maxWaste int64
	for _, img := range r.Images {
		maxSize = max(maxSize, img.Size)
		maxWaste = max(maxWaste, img.WastedBytes)
	}
	for i := range r.Images[:limit(len(r.Images), opts.Top)] {
		writeAuditImage(w, i+1, &r.Images[i], maxSize, maxWaste)
	}
	w.Raw(`</tbody>
</table>

<h2>Shared layers</h2>
<table id="layers">
<thead><tr><th data-type="num">images</th><th data-type="num">repositories</th><th data-type="num">size</th><th data-type="num">compressed</th><th>layer</th><th>created by</th></tr></thead>
<tbody>
`)
	maxImages := 1
	for _, l := range r.Layers {
		maxImages = max(maxImages, l.Images)
	}
	for _, l := range r.Layers[:limit(len(r.Layers), opts.Top)] {
		w.Raw(`<tr>
<td class="num cell" data-v="`)
		w.Int(int64(l.Images))
		w.Raw(`">`)
		w.Int(int64(l.Images))
		w.Raw(`<div class="bar shared" style="width: `)
		w.CSS(report.Fixed1(report.BarPct(int64(l.Images), int64(maxImages))))
		w.Raw(`%"></div></td>
<td class="num" data-v="`)
		w.Int(int64(l.Repositories))
		w.Raw(`">`)
		w.Int(int64(l.Repositories))
		w.Raw(`</td>
<td class="num" data-v="`)
		w.Int(l.Size)
		w.Raw(`">`)
		w.Text(vocab.FormatSize(l.Size))
		w.Raw(`</td>
<td class="num" data-v="`)
		w.Int(l.CompressedSize)
		w.Raw(`">`)
		w.Text(vocab.FormatSize(l.CompressedSize))
		w.Raw(`</td>
<td><code title="`)
		w.Text(l.Digest)
		w.Raw(`">`)
		w.Text(shortDigest(l.Digest))
		w.Raw(`</code></td>
<td>`)
		if l.Base {
			w.Raw(`<span class="base">(base)</span> `)
		}
		w.Text(l.CreatedBy)
		w.Raw("</td>\n</tr>\n")
	}
	w.Raw("</tbody>\n</table>\n")
	if len(r.Failures) > 0 {
		w.Raw("\n<h2>Failures</h2>\n<ul id=\"failures\">")
		for _, f := range r.Failures {
			w.Raw(`<li><code>`)
			w.Text(f.Ref)
			w.Raw(`</code>: `)
			w.Text(f.Error)
			if f.Attempts > 1 {
				w.Raw(` (after `)
				w.Int(int64(f.Attempts))
				w.Raw(` attempts)`)
			}
			w.Raw(`</li>`)
		}
		w.Raw("</ul>\n")
	}
	// The script sorts a table by the column whose heading is clicked
	// (again: the other way), opens the page sorted by the column a link's
	// #sort=HEADING names, and records what was laid out for tests and
	// tools that read the page. (The empty lines are where html/template
	// dropped its comments.)
	w.Raw("\n<script>")
	w.Script([]byte(auditScript))
	w.Raw("</script>\n</body>\n</html>\n")
}

// writeAuditImage writes one image's row: rank, reference (opening its
// layers and findings), platform, size and waste with bars, counts of
// findings, the gate's verdict.
func writeAuditImage(w *report.PageWriter, rank int, img *audit.Image, maxSize, maxWaste int64) {
	n := img.Count()
	gate, pass := "", true
	if img.Gate != nil {
		gate, pass = "pass", img.Gate.Pass
		if !pass {
			gate = "fail"
		}
	}
	w.Raw(`<tr class="image">
<td class="num" data-v="`)
	w.Int(int64(rank))
	w.Raw(`">`)
	w.Int(int64(rank))
	w.Raw(`</td>
<td><details><summary><code>`)
	w.Text(img.Ref())
	w.Raw(`</code></summary>
<p><code>`)
	w.Text(img.Pinned())
	w.Raw(`</code></p>
<table class="layers"><tr><th>layer</th><th>size</th><th>wasted</th><th>created by</th></tr>
`)
	for j, l := range img.Layers {
		w.Raw(`<tr`)
		if l.Base {
			w.Raw(` class="base"`)
		}
		w.Raw(`><td><code>`)
		w.Int(int64(j + 1))
		w.Raw(` `)
		w.Text(shortDigest(l.Digest))
		w.Raw(`</code></td><td class="num">`)
		w.Text(vocab.FormatSize(l.Size))
		w.Raw(`</td><td class="num">`)
		w.Text(vocab.FormatSize(l.WastedBytes))
		w.Raw(`</td><td>`)
		if l.Base {
			w.Raw(`(base) `)
		}
		w.Text(l.CreatedBy)
		w.Raw("</td></tr>\n")
	}
	w.Raw("</table>\n")
	if len(img.Findings) > 0 {
		w.Raw(`<ul class="findings">`)
		for _, f := range img.Findings {
			w.Raw(`<li><code>`)
			w.Text(f.Rule)
			w.Raw(`</code> `)
			w.Text(f.Severity.String())
			w.Raw(`: `)
			w.Text(f.Message)
			w.Raw(`</li>`)
		}
		w.Raw(`</ul>`)
	}
	w.Raw(`
</details></td>
<td>`)
	w.Text(img.Platform)
	w.Raw(`</td>
<td class="num cell" data-v="`)
	w.Int(img.Size)
	w.Raw(`">`)
	w.Text(vocab.FormatSize(img.Size))
	w.Raw(`<div class="bar" style="width: `)
	w.CSS(report.Fixed1(report.BarPct(img.Size, maxSize)))
	w.Raw(`%"></div></td>
<td class="num cell" data-v="`)
	w.Int(img.WastedBytes)
	w.Raw(`">`)
	w.Text(vocab.FormatSize(img.WastedBytes))
	w.Raw(`<div class="bar waste" style="width: `)
	w.CSS(report.Fixed1(report.BarPct(img.WastedBytes, maxWaste)))
	w.Raw(`%"></div></td>
<td class="num" data-v="`)
	w.Float(img.WastedPercent)
	w.Raw(`">`)
	w.Fixed1(img.WastedPercent)
	w.Raw(`</td>
<td class="num e" data-v="`)
	w.Int(int64(n[0]))
	w.Raw(`">`)
	w.Int(int64(n[0]))
	w.Raw(`</td>
<td class="num w" data-v="`)
	w.Int(int64(n[1]))
	w.Raw(`">`)
	w.Int(int64(n[1]))
	w.Raw(`</td>
<td class="num i" data-v="`)
	w.Int(int64(n[2] + n[3]))
	w.Raw(`">`)
	w.Int(int64(n[2] + n[3]))
	w.Raw(`</td>
<td class="`)
	if pass {
		w.Raw("pass")
	} else {
		w.Raw("fail")
	}
	w.Raw(`">`)
	w.Text(gate)
	w.Raw("</td>\n</tr>\n")
}

const auditScript = `


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

document.querySelectorAll(".bar").forEach(function (b) {
  b.dataset.renderedWidth = String(b.getBoundingClientRect().width);
});
document.body.dataset.rendered = "true";
`

// auditCSS is the audit page's style sheet.
const auditCSS = `body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2430; background: #fff; }
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
`
