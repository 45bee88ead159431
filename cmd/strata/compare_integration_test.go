package main

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

	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/testenv"
)

// fiftyMB is the file the two Dockerfiles below create and delete.
const fiftyMB = 50 << 20

// separateLayer deletes the file in a layer of its own: the bytes stay in
// the image. sameLayer deletes it in the layer that made it.
const (
	separateLayer = `FROM busybox:latest
RUN head -c 52428800 /dev/urandom > /big.bin
RUN rm /big.bin
`
	sameLayer = `FROM busybox:latest
RUN head -c 52428800 /dev/urandom > /big.bin && rm /big.bin
`
)

func figure(t *testing.T, c *report.Comparison, name string) report.FigureDiff {
	t.Helper()
	for _, f := range c.Figures {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no figure %q", name)
	return report.FigureDiff{}
}

func TestIntegrationCompareDeletedFile(t *testing.T) {
	measureEngine(t)
	dir := t.TempDir()
	a := writeFile(t, dir, "separate/Dockerfile", separateLayer)
	b := writeFile(t, dir, "same/Dockerfile", sameLayer)
	htmlPath := filepath.Join(dir, "compare.html")
	r := mustRun(t, 0, "compare", "--format", "json", "--html", htmlPath, a, b)
	c := decodeComparison(t, r)

	size, comp, waste := figure(t, c, "size"), figure(t, c, "compressed_size"), figure(t, c, "wasted_bytes")
	t.Logf("50 MB: size A %.0f B %.0f (diff %.0f, reduction %.1f %%); compressed A %.0f B %.0f; waste A %.0f B %.0f; layers A %d B %d; cold A %.3f B %.3f s; warm A %.3f B %.3f s; score %.1f (%s)",
		*size.A, *size.B, *size.Diff, *size.Reduction, *comp.A, *comp.B, *waste.A, *waste.B, c.A.LayerCount, c.B.LayerCount,
		c.A.ColdBuild.Median, c.B.ColdBuild.Median, c.A.WarmBuild.Median, c.B.WarmBuild.Median, c.Score.Total, c.Score.Winner)

	// A keeps the 50 MB in its first RUN layer; B's layer holds nothing.
	if d := c.A.Size - c.B.Size; !within(d, fiftyMB, 0.01) {
		t.Errorf("A is %d bytes larger than B, want 50 MB (%d) ± 1 %%", d, fiftyMB)
	}
	// Random bytes do not compress: the compressed sizes differ by as much.
	if d := c.A.CompressedSize - c.B.CompressedSize; !within(d, fiftyMB, 0.01) {
		t.Errorf("compressed: A is %d bytes larger than B, want 50 MB ± 1 %%", d)
	}
	if !within(c.A.Waste.Bytes, fiftyMB, 0.01) || c.B.Waste.Bytes > 1<<20 {
		t.Errorf("waste: A %d, B %d; want 50 MB and none", c.A.Waste.Bytes, c.B.Waste.Bytes)
	}
	if c.A.LayerCount != 3 || c.B.LayerCount != 2 {
		t.Errorf("layers: A %d, B %d; want 3 and 2", c.A.LayerCount, c.B.LayerCount)
	}
	if big := c.A.Layers[1]; !within(big.Size, fiftyMB, 0.01) || !within(big.CompressedSize, fiftyMB, 0.01) {
		t.Errorf("A's layer 2: %+v; want the 50 MB", big)
	}
	if small := c.B.Layers[1]; small.Size > 1<<20 {
		t.Errorf("B's layer 2: %+v; want it nearly empty", small)
	}
	wantRed := float64(c.A.Size-c.B.Size) / float64(c.A.Size) * 100
	if size.Reduction == nil || *size.Reduction < 90 || *size.Reduction-wantRed > 0.01 || wantRed-*size.Reduction > 0.01 {
		t.Errorf("size reduction %v, want %.2f", size.Reduction, wantRed)
	}
	sizeTerm := c.Score.Terms[0]
	if sizeTerm.Name != "size reduction %" || sizeTerm.Points < 90 || c.Score.Winner != "B" {
		t.Errorf("score: %+v", c.Score)
	}
	found := false
	for _, ch := range c.Findings {
		if ch.Category == "size" {
			found = strings.Contains(strings.Join(ch.Fixed, ","), "SI")
		}
	}
	if !found {
		t.Errorf("no image size finding fixed in B: %+v", c.Findings)
	}

	// The HTML page, rendered by a browser.
	browser := chromiumBrowser(t)
	dom, shot := renderPage(t, browser, htmlPath)
	if !strings.Contains(dom, `data-rendered="true"`) {
		t.Fatalf("the page's script did not run:\n%.2000s", dom)
	}
	widths := map[string]int{}
	for _, m := range regexp.MustCompile(`data-side="([AB])" data-layer="(\d+)" data-bytes="\d+" style="[^"]*" data-rendered-width="(\d+)"`).FindAllStringSubmatch(dom, -1) {
		widths[m[1]+m[2]], _ = strconv.Atoi(m[3])
	}
	if len(widths) != 5 {
		t.Fatalf("%d layer bars rendered, want 3 + 2: %v", len(widths), widths)
	}
	// A's 50 MB layer is the longest bar; B's second layer a sliver; the
	// base layers are drawn alike.
	if widths["A2"] < 200 || widths["B2"] > 10 || widths["A1"] != widths["B1"] || widths["A1"] >= widths["A2"] {
		t.Errorf("layer bar widths %v", widths)
	}
	for _, want := range []string{"B wins", "image size", "wasted bytes", "Size per layer", "RUN head -c 52428800 /dev/urandom"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	checkPageScreenshot(t, shot)
}

func TestIntegrationCompareFix(t *testing.T) {
	measureEngine(t)
	dir := t.TempDir()
	df := writeFile(t, dir, "Dockerfile", `FROM busybox:latest
WORKDIR /app
COPY app.txt .
RUN head -c 5000000 /dev/urandom > /tmp/junk
RUN rm /tmp/junk
USER nobody
CMD cat /app/app.txt
`)
	writeFile(t, dir, "app.txt", "hello\n")
	before, err := os.ReadFile(df)
	if err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, 0, "compare", "--fix", "--format", "json", df)
	c := decodeComparison(t, r)
	if after, _ := os.ReadFile(df); !bytes.Equal(before, after) {
		t.Error("compare --fix changed the Dockerfile")
	}
	if !strings.Contains(r.stderr, "strata fix --unsafe") || !strings.HasSuffix(c.B.Subject, "(strata fix --unsafe)") {
		t.Errorf("stderr %q, B %q", r.stderr, c.B.Subject)
	}
	// The fix chains the rm onto the RUN that made the junk.
	if d := c.A.Size - c.B.Size; !within(d, 5_000_000, 0.02) || c.B.LayerCount != c.A.LayerCount-1 {
		t.Errorf("A %d bytes / %d layers, B %d / %d", c.A.Size, c.A.LayerCount, c.B.Size, c.B.LayerCount)
	}
	fixed := ""
	for _, ch := range c.Findings {
		fixed += strings.Join(ch.Fixed, ",") + ","
	}
	for _, rule := range []string{"DL3059", "DL3025"} {
		if !strings.Contains(fixed, rule) {
			t.Errorf("%s not among the findings fixed in B: %+v", rule, c.Findings)
		}
	}
	if c.B.Warm == nil || c.B.Warm.Touched != "app.txt" {
		t.Errorf("B's warm rebuild %+v", c.B.Warm)
	}
}

func TestIntegrationCompareImages(t *testing.T) {
	cli := measureEngine(t)
	tag := "strata-test/compare-image:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	testenv.BuildImage(t, cli, "", "FROM busybox:latest\nRUN head -c 3000000 /dev/zero > /zeros\nUSER nobody\n", tag)
	c := decodeComparison(t, mustRun(t, 0, "compare", "--format", "json", testenv.BusyboxImage, tag))
	if d := c.B.Size - c.A.Size; !within(d, 3_000_000, 0.01) || c.A.Kind != report.SubjectImage || c.A.ColdBuild != nil || c.A.Warm != nil {
		t.Errorf("A %+v\nB %+v", c.A, c.B)
	}
	if c.A.Startup == nil || c.B.Startup == nil || c.A.Root == c.B.Root {
		t.Errorf("start-up A %+v B %+v; root A %v B %v", c.A.Startup, c.B.Startup, c.A.Root, c.B.Root)
	}
	bt := c.Score.Terms[2]
	if bt.Measured || !strings.Contains(bt.Working, "not measured: a side is an image") || !strings.Contains(c.Score.Terms[1].Working, "(A root, B non-root)") {
		t.Errorf("score terms %+v", c.Score.Terms)
	}
}

// chromiumBrowser returns the headless browser; required on CI.
func chromiumBrowser(t *testing.T) string {
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

// renderPage loads path in headless Chromium: the DOM after the page's
// script ran, and a 1200×1600 screenshot. STRATA_KEEP_SCREENSHOTS=DIR
// keeps the screenshot for a human to look at.
func renderPage(t *testing.T, browser, path string) (string, image.Image) {
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
			"--user-data-dir="+t.TempDir(), "--window-size=1200,1600", "--virtual-time-budget=2000", extra, "file://"+abs)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %s: %v\n%s", extra, err, stderr.String())
		}
		return stdout.Bytes()
	}
	dom := string(run("--dump-dom"))
	shotPath := filepath.Join(t.TempDir(), "page.png")
	run("--screenshot=" + shotPath)
	data, err := os.ReadFile(shotPath)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	if dir := os.Getenv("STRATA_KEEP_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png"), data, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	return dom, img
}

// checkPageScreenshot checks the screenshot shows a page: its size, many
// colours, and A's and B's bar colours.
func checkPageScreenshot(t *testing.T, shot image.Image) {
	t.Helper()
	r := shot.Bounds()
	if r.Dx() != 1200 || r.Dy() != 1600 {
		t.Errorf("screenshot is %dx%d, want 1200x1600", r.Dx(), r.Dy())
	}
	colours := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			colours[color.RGBAModel.Convert(shot.At(x, y)).(color.RGBA)]++
		}
	}
	if len(colours) < 50 {
		t.Errorf("the screenshot has %d colours: a blank page?", len(colours))
	}
	near := func(want color.RGBA) int {
		n := 0
		for c, k := range colours {
			if absByteDiff(c.R, want.R) < 12 && absByteDiff(c.G, want.G) < 12 && absByteDiff(c.B, want.B) < 12 {
				n += k
			}
		}
		return n
	}
	if n := near(color.RGBA{0x3b, 0x6f, 0xb6, 0xff}); n < 200 {
		t.Errorf("only %d pixels in A's bar colour", n)
	}
	if n := near(color.RGBA{0xe0, 0x7b, 0x16, 0xff}); n < 50 {
		t.Errorf("only %d pixels in B's bar colour", n)
	}
}

func absByteDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
