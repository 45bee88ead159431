package report

import (
	"bytes"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/testenv"
)

var renderedBar = regexp.MustCompile(`<div class="bar ([^"]*)" data-side="([AB])"(?: data-layer="(\d+)")? data-bytes="(\d+)" style="[^"]*" data-rendered-width="(\d+)"></div>`)

// renderedBars returns the laid-out width of every bar in the DOM, keyed
// "A total 0", "A layer 2", in page order.
type bar struct {
	side, class string
	layer       int
	bytes       int64
	width       int
}

func renderedBars(dom string) []bar {
	var out []bar
	for _, m := range renderedBar.FindAllStringSubmatch(dom, -1) {
		b := bar{class: m[1], side: m[2]}
		b.layer, _ = strconv.Atoi(m[3])
		b.bytes, _ = strconv.ParseInt(m[4], 10, 64)
		b.width, _ = strconv.Atoi(m[5])
		out = append(out, b)
	}
	return out
}

// barColours are the colours of A's (#3b6fb6) and B's (#e07b16) bars,
// which a screenshot of a comparison page must show.
var barColours = []testenv.Colour{
	{Name: "A's bar colour", RGBA: color.RGBA{0x3b, 0x6f, 0xb6, 0xff}, Min: 200},
	{Name: "B's bar colour", RGBA: color.RGBA{0xe0, 0x7b, 0x16, 0xff}, Min: 50},
}

func TestHTMLRendersInChromium(t *testing.T) {
	browser := testenv.Chromium(t)
	path := filepath.Join(t.TempDir(), "compare.html")
	var b bytes.Buffer
	if err := CompareHTML(&b, sampleComparison()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, shot := testenv.RenderPage(t, browser, path)

	if !strings.Contains(dom, `data-rendered="true"`) {
		t.Fatalf("the page's script did not run; DOM:\n%.2000s", dom)
	}
	for _, want := range []string{"B wins (score 121.4)", "<td>image size</td>", "(54411165 − 1982365) / 54411165 × 100 = 96.4", "b/Dockerfile &lt;x&gt;"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered DOM lacks %q", want)
		}
	}
	bars := renderedBars(dom)
	if len(bars) != 8 {
		t.Fatalf("%d rendered bars, want 8", len(bars))
	}
	byKey := map[string]bar{}
	for i, br := range bars {
		if br.width <= 0 {
			t.Errorf("bar %d (%+v) has no width on the page", i, br)
		}
		key := br.side + " total"
		if br.layer > 0 {
			key = br.side + " layer " + strconv.Itoa(br.layer)
		} else if i >= 2 && i < 4 {
			key = br.side + " compressed"
		}
		byKey[key] = br
	}
	// Widths follow the sizes: A's 54 MB image against B's 2 MB one.
	if a, bb := byKey["A total"].width, byKey["B total"].width; a < 10*bb || a < 300 {
		t.Errorf("total bars: A %dpx, B %dpx; want A far wider", a, bb)
	}
	if a1, b2 := byKey["A layer 1"].width, byKey["B layer 2"].width; a1 < 100 || b2 > 10 {
		t.Errorf("layer bars: A#1 %dpx, B#2 %dpx", a1, b2)
	}
	testenv.CheckScreenshot(t, shot, barColours...)
}
