package main

import (
	"bytes"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/measure"
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

func figure(t *testing.T, c *measure.Comparison, name string) measure.FigureDiff {
	t.Helper()
	for _, f := range c.Figures {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no figure %q", name)
	return measure.FigureDiff{}
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
	browser := testenv.Chromium(t)
	dom, shot := testenv.RenderPage(t, browser, htmlPath)
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
	testenv.CheckScreenshot(t, shot,
		testenv.Colour{Name: "A's bar colour", RGBA: color.RGBA{0x3b, 0x6f, 0xb6, 0xff}, Min: 200},
		testenv.Colour{Name: "B's bar colour", RGBA: color.RGBA{0xe0, 0x7b, 0x16, 0xff}, Min: 50})
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
	// No .dockerignore: the context sends .git, which no warm rebuild
	// may change.
	writeFile(t, dir, ".git/HEAD", "ref: refs/heads/main\n")
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
	if c.B.Warm == nil || c.B.Warm.Touched != "app.txt" || c.A.Warm == nil || c.A.Warm.Touched != "app.txt" {
		t.Errorf("warm rebuilds: A %+v, B %+v; want app.txt changed on both sides", c.A.Warm, c.B.Warm)
	}
	if !strings.Contains(strings.Join(c.B.Notes, "\n"), "A and B change the same file, app.txt") {
		t.Errorf("B's notes do not say which file both sides change: %q", c.B.Notes)
	}
}

func TestIntegrationCompareImages(t *testing.T) {
	engine := measureEngine(t)
	tag := "strata-test/compare-image:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	testenv.BuildImage(t, engine, "", "FROM busybox:latest\nRUN head -c 3000000 /dev/zero > /zeros\nUSER nobody\n", tag)
	c := decodeComparison(t, mustRun(t, 0, "compare", "--format", "json", testenv.BusyboxImage, tag))
	if d := c.B.Size - c.A.Size; !within(d, 3_000_000, 0.01) || c.A.Kind != measure.SubjectImage || c.A.ColdBuild != nil || c.A.Warm != nil {
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
