package report

import (
	"io"

	"github.com/stratatools/strata/internal/audit"
)

// AuditHTML writes the audit as one self-contained page (no network):
// the totals, the images ranked with bars of their size and waste (click
// a column to sort by it; each row opens the image's layers and
// findings), the layers the images share, and the failures.
func AuditHTML(w io.Writer, r *audit.Report, opts AuditOptions) error {
	var pw pageWriter
	writeAuditPage(&pw, r, opts)
	return pw.writeTo(w, "the audit page")
}

func writeAuditPage(w *pageWriter, r *audit.Report, opts AuditOptions) {
	target := r.Registry
	if r.Prefix != "" {
		target += "/" + r.Prefix
	}
	st := &r.Stats
	w.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>strata audit: ")
	w.text(target)
	w.raw("</title>\n<style>\n" + auditCSS + "</style>\n</head>\n<body>\n<h1>strata audit: ")
	w.text(target)
	w.raw(`</h1>
<p class="summary" id="summary">`)
	w.int(int64(st.Images))
	w.raw(` images in `)
	w.int(int64(st.Repositories))
	w.raw(` repositories (`)
	w.int(int64(st.Tags))
	w.raw(" tags),\n")
	w.int(int64(st.DistinctLayers))
	w.raw(` distinct layers; the registry stores `)
	w.text(FormatSize(st.StoredBytes))
	w.raw(` for them (`)
	w.text(FormatSize(st.UnsharedBytes))
	w.raw(" without shared layers).\nLayers read: ")
	w.int(int64(st.LayersRead))
	w.raw(` (`)
	w.text(FormatSize(st.BytesRead))
	w.raw(`), from the cache: `)
	w.int(int64(st.LayersFromCache))
	w.raw(`; images from the cache: `)
	w.int(int64(st.ImagesFromCache))
	w.raw(".\n")
	if st.GateFailed != 0 {
		w.raw(`<span class="fail">`)
		w.int(int64(st.GateFailed))
		w.raw(` images fail the gate.</span>`)
	}
	w.raw("\nTook ")
	w.fixed1(r.Seconds)
	w.raw(` s.</p>

<h2>Images, by `)
	w.text(r.RankedBy)
	w.raw(`</h2>
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
	w.raw(`</tbody>
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
		w.raw(`<tr>
<td class="num cell" data-v="`)
		w.int(int64(l.Images))
		w.raw(`">`)
		w.int(int64(l.Images))
		w.raw(`<div class="bar shared" style="width: `)
		w.css(fixed1(barPct(int64(l.Images), int64(maxImages))))
		w.raw(`%"></div></td>
<td class="num" data-v="`)
		w.int(int64(l.Repositories))
		w.raw(`">`)
		w.int(int64(l.Repositories))
		w.raw(`</td>
<td class="num" data-v="`)
		w.int(l.Size)
		w.raw(`">`)
		w.text(FormatSize(l.Size))
		w.raw(`</td>
<td class="num" data-v="`)
		w.int(l.CompressedSize)
		w.raw(`">`)
		w.text(FormatSize(l.CompressedSize))
		w.raw(`</td>
<td><code title="`)
		w.text(l.Digest)
		w.raw(`">`)
		w.text(shortDigest(l.Digest))
		w.raw(`</code></td>
<td>`)
		if l.Base {
			w.raw(`<span class="base">(base)</span> `)
		}
		w.text(l.CreatedBy)
		w.raw("</td>\n</tr>\n")
	}
	w.raw("</tbody>\n</table>\n")
	if len(r.Failures) > 0 {
		w.raw("\n<h2>Failures</h2>\n<ul id=\"failures\">")
		for _, f := range r.Failures {
			w.raw(`<li><code>`)
			w.text(f.Ref)
			w.raw(`</code>: `)
			w.text(f.Error)
			if f.Attempts > 1 {
				w.raw(` (after `)
				w.int(int64(f.Attempts))
				w.raw(` attempts)`)
			}
			w.raw(`</li>`)
		}
		w.raw("</ul>\n")
	}
	// The script sorts a table by the column whose heading is clicked
	// (again: the other way), opens the page sorted by the column a link's
	// #sort=HEADING names, and records what was laid out for tests and
	// tools that read the page. (The empty lines are where html/template
	// dropped its comments.)
	w.raw("\n<script>")
	w.script([]byte(auditScript))
	w.raw("</script>\n</body>\n</html>\n")
}

// writeAuditImage writes one image's row: rank, reference (opening its
// layers and findings), platform, size and waste with bars, counts of
// findings, the gate's verdict.
func writeAuditImage(w *pageWriter, rank int, img *audit.Image, maxSize, maxWaste int64) {
	n := img.Count()
	gate, pass := "", true
	if img.Gate != nil {
		gate, pass = "pass", img.Gate.Pass
		if !pass {
			gate = "fail"
		}
	}
	w.raw(`<tr class="image">
<td class="num" data-v="`)
	w.int(int64(rank))
	w.raw(`">`)
	w.int(int64(rank))
	w.raw(`</td>
<td><details><summary><code>`)
	w.text(img.Ref())
	w.raw(`</code></summary>
<p><code>`)
	w.text(img.Pinned())
	w.raw(`</code></p>
<table class="layers"><tr><th>layer</th><th>size</th><th>wasted</th><th>created by</th></tr>
`)
	for j, l := range img.Layers {
		w.raw(`<tr`)
		if l.Base {
			w.raw(` class="base"`)
		}
		w.raw(`><td><code>`)
		w.int(int64(j + 1))
		w.raw(` `)
		w.text(shortDigest(l.Digest))
		w.raw(`</code></td><td class="num">`)
		w.text(FormatSize(l.Size))
		w.raw(`</td><td class="num">`)
		w.text(FormatSize(l.WastedBytes))
		w.raw(`</td><td>`)
		if l.Base {
			w.raw(`(base) `)
		}
		w.text(l.CreatedBy)
		w.raw("</td></tr>\n")
	}
	w.raw("</table>\n")
	if len(img.Findings) > 0 {
		w.raw(`<ul class="findings">`)
		for _, f := range img.Findings {
			w.raw(`<li><code>`)
			w.text(f.Rule)
			w.raw(`</code> `)
			w.text(f.Severity.String())
			w.raw(`: `)
			w.text(f.Message)
			w.raw(`</li>`)
		}
		w.raw(`</ul>`)
	}
	w.raw(`
</details></td>
<td>`)
	w.text(img.Platform)
	w.raw(`</td>
<td class="num cell" data-v="`)
	w.int(img.Size)
	w.raw(`">`)
	w.text(FormatSize(img.Size))
	w.raw(`<div class="bar" style="width: `)
	w.css(fixed1(barPct(img.Size, maxSize)))
	w.raw(`%"></div></td>
<td class="num cell" data-v="`)
	w.int(img.WastedBytes)
	w.raw(`">`)
	w.text(FormatSize(img.WastedBytes))
	w.raw(`<div class="bar waste" style="width: `)
	w.css(fixed1(barPct(img.WastedBytes, maxWaste)))
	w.raw(`%"></div></td>
<td class="num" data-v="`)
	w.float(img.WastedPercent)
	w.raw(`">`)
	w.fixed1(img.WastedPercent)
	w.raw(`</td>
<td class="num e" data-v="`)
	w.int(int64(n[0]))
	w.raw(`">`)
	w.int(int64(n[0]))
	w.raw(`</td>
<td class="num w" data-v="`)
	w.int(int64(n[1]))
	w.raw(`">`)
	w.int(int64(n[1]))
	w.raw(`</td>
<td class="num i" data-v="`)
	w.int(int64(n[2] + n[3]))
	w.raw(`">`)
	w.int(int64(n[2] + n[3]))
	w.raw(`</td>
<td class="`)
	if pass {
		w.raw("pass")
	} else {
		w.raw("fail")
	}
	w.raw(`">`)
	w.text(gate)
	w.raw("</td>\n</tr>\n")
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
