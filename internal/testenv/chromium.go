package testenv

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Page size of RenderPage's screenshots.
const (
	PageWidth  = 1200
	PageHeight = 1600
)

// Chromium returns the headless browser HTML tests render with. It is
// required on CI (CI=true), where a missing browser fails the test;
// elsewhere the test is skipped.
func Chromium(t testing.TB) string {
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

// RenderPage loads the HTML file at path in headless Chromium and returns
// the DOM after the page's scripts ran, and a PageWidth×PageHeight
// screenshot. STRATA_KEEP_SCREENSHOTS=DIR keeps the screenshot there for a
// human to look at.
func RenderPage(t testing.TB, browser, path string) (dom string, shot image.Image) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	run := func(extra string) []byte {
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
			"--user-data-dir="+t.TempDir(), "--window-size="+strconv.Itoa(PageWidth)+","+strconv.Itoa(PageHeight),
			"--virtual-time-budget=2000", extra, "file://"+abs)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", browser, extra, err, stderr.String())
		}
		return stdout.Bytes()
	}
	dom = string(run("--dump-dom"))
	shotPath := filepath.Join(t.TempDir(), "page.png")
	run("--screenshot=" + shotPath)
	data, err := os.ReadFile(shotPath)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	if dir := os.Getenv("STRATA_KEEP_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png"), data, 0o644)
	}
	shot, err = png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	return dom, shot
}

// Colour is a colour a screenshot must show, in at least Min of the
// pixels sampled (every other pixel of every other row).
type Colour struct {
	Name string
	RGBA color.RGBA
	Min  int
}

// CheckScreenshot checks that shot shows a rendered page: PageWidth ×
// PageHeight, at least 50 colours (not a blank page), and each of want
// within 12 levels per channel.
func CheckScreenshot(t testing.TB, shot image.Image, want ...Colour) {
	t.Helper()
	r := shot.Bounds()
	if r.Dx() != PageWidth || r.Dy() != PageHeight {
		t.Errorf("screenshot is %dx%d, want %dx%d", r.Dx(), r.Dy(), PageWidth, PageHeight)
	}
	colours := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			colours[color.RGBAModel.Convert(shot.At(x, y)).(color.RGBA)]++
		}
	}
	if len(colours) < 50 {
		t.Errorf("the screenshot has %d colours: a blank or broken page?", len(colours))
	}
	for _, w := range want {
		n := 0
		for c, k := range colours {
			if near(c.R, w.RGBA.R) && near(c.G, w.RGBA.G) && near(c.B, w.RGBA.B) {
				n += k
			}
		}
		if n < w.Min {
			t.Errorf("only %d pixels in %s (#%02x%02x%02x), want at least %d", n, w.Name, w.RGBA.R, w.RGBA.G, w.RGBA.B, w.Min)
		}
	}
}

func near(a, b uint8) bool {
	if a > b {
		return a-b < 12
	}
	return b-a < 12
}
