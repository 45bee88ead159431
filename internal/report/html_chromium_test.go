package report

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium returns the headless browser the HTML tests render with. It is
// required on CI (CI=true), where a missing browser fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal("chromium is missing on CI; scripts/test-env.sh install adds it")
	}
	t.Skip("chromium is not installed (scripts/test-env.sh install adds it)")
	return ""
}

// renderHTML loads the page at path in headless Chromium and returns the
// DOM after the page's scripts ran, and a 1200×1600 screenshot.
func renderHTML(t *testing.T, browser, path string) (dom string, shot image.Image) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + abs
	png1 := filepath.Join(t.TempDir(), "page.png")
	common := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1200,1600", "--virtual-time-budget=2000"}
	run := func(extra ...string) []byte {
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		defer cancel()
		args := append(append(append([]string{}, common...), "--user-data-dir="+t.TempDir()), extra...)
		args = append(args, url)
		cmd := exec.CommandContext(ctx, browser, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", browser, strings.Join(extra, " "), err, stderr.String())
		}
		return stdout.Bytes()
	}
	dom = string(run("--dump-dom"))
	run("--screenshot=" + png1)
	f, err := os.Open(png1)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	defer f.Close()
	shot, err = png.Decode(f)
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	if dir := os.Getenv("STRATA_KEEP_SCREENSHOTS"); dir != "" {
		data, _ := os.ReadFile(png1)
		_ = os.WriteFile(filepath.Join(dir, t.Name()+".png"), data, 0o644)
	}
	return dom, shot
}

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

// checkScreenshot checks the screenshot is the page: its size, many
// colours, and pixels in A's and B's bar colours.
func checkScreenshot(t *testing.T, shot image.Image) {
	t.Helper()
	if b := shot.Bounds(); b.Dx() != 1200 || b.Dy() != 1600 {
		t.Errorf("screenshot is %dx%d, want 1200x1600", b.Dx(), b.Dy())
	}
	colours := map[color.RGBA]int{}
	r := shot.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			c := color.RGBAModel.Convert(shot.At(x, y)).(color.RGBA)
			colours[c]++
		}
	}
	if len(colours) < 50 {
		t.Errorf("the screenshot has %d colours: a blank or broken page?", len(colours))
	}
	near := func(want color.RGBA) int {
		n := 0
		for c, k := range colours {
			if absDiff(c.R, want.R) < 12 && absDiff(c.G, want.G) < 12 && absDiff(c.B, want.B) < 12 {
				n += k
			}
		}
		return n
	}
	// The bar colours of A (#3b6fb6) and B (#e07b16).
	if n := near(color.RGBA{0x3b, 0x6f, 0xb6, 0xff}); n < 200 {
		t.Errorf("only %d pixels in A's bar colour", n)
	}
	if n := near(color.RGBA{0xe0, 0x7b, 0x16, 0xff}); n < 50 {
		t.Errorf("only %d pixels in B's bar colour", n)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestHTMLRendersInChromium(t *testing.T) {
	browser := chromium(t)
	path := filepath.Join(t.TempDir(), "compare.html")
	var b bytes.Buffer
	if err := CompareHTML(&b, sampleComparison()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, shot := renderHTML(t, browser, path)

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
	checkScreenshot(t, shot)
}
