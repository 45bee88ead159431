package report

import (
	"bytes"
	"context"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagebench/benchimage"
	"github.com/stratatools/strata/internal/image/imagediff"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

func analyzeArchive(t testing.TB, p string, opts image.Options) *image.Result {
	t.Helper()
	r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sampleWithFinding is imagetest.Sample with a finding placed on a
// Dockerfile line, as --dockerfile places them.
func sampleWithFinding(t testing.TB) *image.Result {
	r := analyzeArchive(t, imagetest.WriteTemp(t, "s.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "s:1")), image.Options{})
	r.Dockerfile = &image.Mapping{Path: "Dockerfile", Entries: []image.MappedStep{{History: 4, Layer: 3, Instruction: image.Instruction{Keyword: "RUN", Text: "RUN rm /tmp/dl <x>", Line: 7, EndLine: 7}}}}
	r.Findings = append(r.Findings, image.Finding{Rule: "SI001", Name: "deleted-later", Severity: vocab.Warning, Message: "2 MB deleted by a later layer", Path: "tmp/dl", Layer: 3, Bytes: 2 << 20, Line: 7, EndLine: 7})
	return r
}

func writePage(t testing.TB, render func(*bytes.Buffer) error) (string, string) {
	t.Helper()
	var b bytes.Buffer
	if err := render(&b); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, b.String()
}

func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, re := range []string{`(?i)<script[^>]+src=`, `(?i)<link\b`, `(?i)<img\b`, `(?i)url\(`, `(?i)@import`, `(?i)https?://`} {
		if regexp.MustCompile(re).MatchString(page) {
			t.Errorf("the page matches %s: it must not load anything", re)
		}
	}
}

func TestImageHTMLIsSelfContained(t *testing.T) {
	r := sampleWithFinding(t)
	_, page := writePage(t, func(b *bytes.Buffer) error { return ImageHTML(b, r) })
	checkSelfContained(t, page)
	for _, want := range []string{
		"<title>strata image: docker-archive:",
		`<td class="path">/tmp/dl</td><td>deleted</td><td class="num">2.10 MB</td><td class="num">2</td><td class="num">3</td>`,
		`<td><code>SI001</code></td><td class="sev-warning">warning</td>`,
		"line 7: <code>RUN rm /tmp/dl &lt;x&gt;</code>",
		`"n":["app","bin","etc","data","tmp"]`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<x>") {
		t.Error("an instruction was not escaped")
	}
}

func TestDiffHTMLIsSelfContained(t *testing.T) {
	d := sampleDiff(t)
	_, page := writePage(t, func(b *bytes.Buffer) error { return DiffHTML(b, d) })
	checkSelfContained(t, page)
	for _, want := range []string{"<title>strata diff: ", `<p class="summary" id="summary">B is 2.10 MB smaller`, `<tr class="op-removed"><td>removed</td><td class="path">/tmp</td>`, `id="groups"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// sampleDiff is Sample against Everything.
func sampleDiff(t testing.TB) *imagediff.Diff {
	a := archive.New(imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "a:1")), archive.Options{})
	b := archive.New(imagetest.WriteTemp(t, "b.tar", imagetest.DockerSaveOld(t, imagetest.Everything(t), "b:1")), archive.Options{})
	d, err := imagediff.Run(context.Background(), a, b, imagediff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var treemapRect = regexp.MustCompile(`<rect class="(leaf|dir)[^"]*" x="[^"]*" y="[^"]*" width="([0-9.]+)" height="([0-9.]+)" fill="([^"]*)" data-i="\d+" data-c="(\d+)" data-path="([^"]*)">`)

type drawnRect struct {
	class, fill, path string
	w, h              float64
	colour            int
}

func drawnRects(dom string) map[string]drawnRect {
	out := map[string]drawnRect{}
	for _, m := range treemapRect.FindAllStringSubmatch(dom, -1) {
		w, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[3], 64)
		c, _ := strconv.Atoi(m[5])
		out[m[6]] = drawnRect{class: m[1], w: w, h: h, fill: m[4], colour: c, path: m[6]}
	}
	return out
}

func TestImageHTMLRendersInChromium(t *testing.T) {
	browser := testenv.Chromium(t)
	r := sampleWithFinding(t)
	p, _ := writePage(t, func(b *bytes.Buffer) error { return ImageHTML(b, r) })
	dom, shot := testenv.RenderPage(t, browser, p)
	if !strings.Contains(dom, `data-rendered="true"`) {
		t.Fatalf("the page's script did not run; DOM:\n%.2000s", dom)
	}
	rects := drawnRects(dom)
	// app/bin (layer 4) and etc/data (layer 1), 1 MiB each, are drawn
	// with the same area in their layers' colours; tmp is empty.
	bin, data := rects["/app/bin"], rects["/etc/data"]
	if bin.w*bin.h < 10000 || data.w*data.h < 10000 {
		t.Fatalf("the files are not drawn large: %+v %+v (%d rects)", bin, data, len(rects))
	}
	if a, b := bin.w*bin.h, data.w*data.h; a/b > 1.1 || b/a > 1.1 {
		t.Errorf("equal files drawn with areas %.0f and %.0f", a, b)
	}
	if bin.fill != layerColours[3] || data.fill != layerColours[0] {
		t.Errorf("colours: app/bin %s (want layer 4's %s), etc/data %s (want layer 1's %s)", bin.fill, layerColours[3], data.fill, layerColours[0])
	}
	if _, ok := rects["/tmp"]; ok {
		t.Error("an empty directory was drawn")
	}
	for _, want := range []string{`<table id="layers">`, "COPY bin /app/bin", `<table id="waste">`, "line 7: <code>RUN rm /tmp/dl &lt;x&gt;</code>"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered DOM lacks %q", want)
		}
	}
	testenv.CheckScreenshot(t, shot,
		testenv.Colour{Name: "layer 1's colour", RGBA: color.RGBA{0x4e, 0x79, 0xa7, 0xff}, Min: 2000},
		testenv.Colour{Name: "layer 4's colour", RGBA: color.RGBA{0xe1, 0x57, 0x59, 0xff}, Min: 2000})
}

func TestDiffHTMLRendersInChromium(t *testing.T) {
	browser := testenv.Chromium(t)
	d := sampleDiff(t)
	p, _ := writePage(t, func(b *bytes.Buffer) error { return DiffHTML(b, d) })
	dom, shot := testenv.RenderPage(t, browser, p)
	if !strings.Contains(dom, `data-rendered="true"`) {
		t.Fatalf("the page's script did not run; DOM:\n%.2000s", dom)
	}
	rects := drawnRects(dom)
	// Sample's 1 MiB files are gone from Everything: drawn as removed.
	for _, p := range []string{"/etc/data", "/app/bin"} {
		if r, ok := rects[p]; !ok || r.fill != colourRemoved || r.w*r.h < 5000 {
			t.Errorf("%s: %+v, want a large rectangle in the removed colour", p, r)
		}
	}
	testenv.CheckScreenshot(t, shot, testenv.Colour{Name: "the removed colour", RGBA: color.RGBA{0xd1, 0x45, 0x3b, 0xff}, Min: 5000})
}

// benchPage writes the page of the generated 60,000-file bench image
// (its sizes scaled down; the page does not read contents).
func benchPage(t testing.TB) string {
	var buf bytes.Buffer
	if _, err := benchimage.Write(&buf, benchimage.Spec{Scale: 1, Whiteouts: 10000, SizeScale: 0.001}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bench.tar")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r := analyzeArchive(t, p, image.Options{})
	page, _ := writePage(t, func(b *bytes.Buffer) error { return ImageHTML(b, r) })
	return page
}

var renderMS = regexp.MustCompile(`data-render-ms="([0-9.]+)"`)

func TestImageHTMLOf60000Files(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a large page")
	}
	browser := testenv.Chromium(t)
	dom, _ := testenv.RenderPage(t, browser, benchPage(t))
	m := renderMS.FindStringSubmatch(dom)
	if !strings.Contains(dom, `data-rendered="true"`) || m == nil {
		t.Fatalf("the page did not finish rendering; DOM:\n%.2000s", dom)
	}
	n := len(drawnRects(dom))
	if n < 500 || n > 4000 {
		t.Errorf("%d rectangles drawn; want the large paths (at least 500) and at most 4000", n)
	}
	t.Logf("60,000 files: %d rectangles, script %s ms", n, m[1])
}
