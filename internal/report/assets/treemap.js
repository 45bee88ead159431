// strata's treemap: a squarified treemap of a file tree, drawn as SVG into
// #treemap from the JSON in #treemap-data. Directories large enough are
// drawn as frames holding their children; the rest as one rectangle in
// the colour of what holds most of their bytes. Click a frame to zoom in,
// the path above the map to zoom out. At most MAX rectangles are drawn, so
// the page stays quick at any number of files.
(function () {
  "use strict";
  var t0 = performance.now();
  var el = document.getElementById("treemap");
  var raw = document.getElementById("treemap-data");
  if (!el || !raw) { return; }
  var data = JSON.parse(raw.textContent);
  var N = data.n.length, MAX = 4000, HEAD = 15, MIN_FRAME_W = 60, MIN_FRAME_H = 36;
  var kids = new Array(N + 1);
  for (var i = 0; i <= N; i++) { kids[i] = null; }
  // Index N is the root.
  for (i = 0; i < N; i++) {
    var p = data.p[i] < 0 ? N : data.p[i];
    (kids[p] || (kids[p] = [])).push(i);
  }
  function bySize(a, b) { return data.s[b] - data.s[a]; }
  function pathOf(i) {
    var parts = [];
    for (; i >= 0 && i < N; i = data.p[i]) { parts.push(data.n[i]); }
    return "/" + parts.reverse().join("/");
  }
  function size(n) {
    var u = ["B", "kB", "MB", "GB", "TB"], v = n, k = 0;
    while (v >= 999.5 && k < u.length - 1) { v /= 1000; k++; }
    return (k === 0 ? v : v >= 99.95 ? v.toFixed(0) : v >= 9.995 ? v.toFixed(1) : v.toFixed(2)) + " " + u[k];
  }
  function esc(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;"); }
  // squarify lays items (indexes, sizes descending) out in the rectangle.
  function squarify(items, x, y, w, h, total, out) {
    var start = 0;
    while (start < items.length && w > 0.5 && h > 0.5 && total > 0) {
      var short = Math.min(w, h), scale = w * h / total;
      var row = 0, best = Infinity, end = start;
      while (end < items.length) {
        var a = data.s[items[end]] * scale;
        var nrow = row + a, mx = data.s[items[start]] * scale, mn = a;
        var worst = Math.max(short * short * mx / (nrow * nrow), (nrow * nrow) / (short * short * mn));
        if (worst > best) { break; }
        best = worst; row = nrow; end++;
      }
      var thick = row / short, off = 0;
      for (var k = start; k < end; k++) {
        var len = data.s[items[k]] * scale / thick;
        if (w >= h) { out.push([items[k], x, y + off, thick, len]); } else { out.push([items[k], x + off, y, len, thick]); }
        off += len;
      }
      var used = 0;
      for (k = start; k < end; k++) { used += data.s[items[k]]; }
      total -= used;
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
      start = end;
    }
  }
  var svgParts, drawn;
  function draw(i, x, y, w, h, depth) {
    if (drawn >= MAX || w < 1 || h < 1) { return; }
    drawn++;
    var isDir = data.d[i] === 1, col = data.colors[data.c[i]] || "#999";
    var cls = isDir ? "dir" : "leaf";
    var frame = isDir && kids[i] && w >= MIN_FRAME_W && h >= MIN_FRAME_H;
    svgParts.push('<rect class="' + cls + (frame ? " frame" : "") + '" x="' + x.toFixed(1) + '" y="' + y.toFixed(1) + '" width="' + w.toFixed(1) + '" height="' + h.toFixed(1) +
      '" fill="' + col + '" data-i="' + i + '" data-c="' + data.c[i] + '" data-path="' + esc(pathOf(i)) + '"></rect>');
    if (w > 50 && h > 13) {
      svgParts.push('<text x="' + (x + 3).toFixed(1) + '" y="' + (y + 11).toFixed(1) + '">' + esc(data.n[i].slice(0, Math.floor(w / 6.5))) + "</text>");
    }
    if (frame) {
      layout(i, x + 2, y + HEAD, w - 4, h - HEAD - 2, depth + 1);
    }
  }
  function layout(parent, x, y, w, h, depth) {
    var items = (kids[parent] || []).filter(function (k) { return data.s[k] > 0; }).sort(bySize);
    var total = 0;
    for (var k = 0; k < items.length; k++) { total += data.s[items[k]]; }
    var out = [];
    squarify(items, x, y, w, h, total, out);
    for (k = 0; k < out.length; k++) { draw(out[k][0], out[k][1], out[k][2], out[k][3], out[k][4], depth); }
  }
  var tip = document.getElementById("treemap-tip");
  var crumbs = document.getElementById("treemap-path");
  function render(root) {
    var W = el.clientWidth || 1100, H = Math.round(W * 0.55);
    svgParts = ['<svg width="' + W + '" height="' + H + '" viewBox="0 0 ' + W + " " + H + '">'];
    drawn = 0;
    layout(root, 0, 0, W, H, 0);
    svgParts.push("</svg>");
    el.innerHTML = svgParts.join("");
    el.setAttribute("data-rects", String(drawn));
    var trail = [], r = root;
    for (; r >= 0 && r < N; r = data.p[r]) { trail.push(r); }
    var html = '<a href="#" data-i="' + N + '">/</a>';
    for (var k = trail.length - 1; k >= 0; k--) { html += ' <a href="#" data-i="' + trail[k] + '">' + esc(data.n[trail[k]]) + "/</a>"; }
    if (crumbs) { crumbs.innerHTML = html; }
  }
  el.addEventListener("click", function (e) {
    var i = +e.target.getAttribute("data-i");
    if (e.target.tagName === "rect" && data.d[i] === 1 && kids[i]) { render(i); }
  });
  if (crumbs) {
    crumbs.addEventListener("click", function (e) {
      if (e.target.tagName === "A") { e.preventDefault(); render(+e.target.getAttribute("data-i")); }
    });
  }
  el.addEventListener("mousemove", function (e) {
    if (!tip) { return; }
    if (e.target.tagName !== "rect") { tip.style.display = "none"; return; }
    var i = +e.target.getAttribute("data-i");
    tip.textContent = pathOf(i) + "  " + size(data.s[i]) + "  " + (data.legend[data.c[i]] || "");
    tip.style.display = "block";
    tip.style.left = (e.pageX + 12) + "px";
    tip.style.top = (e.pageY + 12) + "px";
  });
  render(N);
  document.body.setAttribute("data-render-ms", (performance.now() - t0).toFixed(1));
  document.body.setAttribute("data-rendered", "true");
})();
