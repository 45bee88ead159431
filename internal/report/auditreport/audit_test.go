package auditreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/reporttest"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

// sampleAudit is an audit of five images in three repositories, one of
// them from a multi-platform index, with a gate that fails two, and a
// failure; a layer's command carries markup.
func sampleAudit(t *testing.T) *audit.Report {
	t.Helper()
	base := audit.ImageLayer{Digest: "sha256:" + strings.Repeat("b", 64), Size: 80_000_000, CompressedSize: 30_000_000, CreatedBy: "ADD rootfs.tar.xz / # debian", Base: true}
	layer := func(c byte, size, wasted int64, by string) audit.ImageLayer {
		return audit.ImageLayer{Digest: "sha256:" + strings.Repeat(string(c), 64), Size: size, CompressedSize: size / 3, WastedBytes: wasted, CreatedBy: by}
	}
	warn := audit.Finding{Rule: "SI010", Name: "package-cache", Severity: vocab.Warning, Category: vocab.Size, Message: "apt lists left in the image (12 MB)", Path: "/var/lib/apt/lists", Layer: 2, Bytes: 12_000_000}
	root := audit.Finding{Rule: "SI030", Name: "root-user", Severity: vocab.Warning, Category: vocab.Security, Message: "the image runs as root"}
	secret := audit.Finding{Rule: "SI020", Name: "secret-file", Severity: vocab.Error, Category: vocab.Security, Message: "a private key: /app/id_rsa", Path: "/app/id_rsa", Layer: 3}
	img := func(repo, tag, digest string, size, wasted int64, layers []audit.ImageLayer, findings ...audit.Finding) audit.Image {
		stored := int64(0)
		for _, l := range layers {
			stored += l.Size
		}
		if findings == nil {
			findings = []audit.Finding{}
		}
		return audit.Image{
			Repository: repo, Tags: []string{tag}, Digest: "sha256:" + strings.Repeat(digest, 64), Platform: "linux/amd64",
			Size: size, CompressedSize: size / 3, WastedBytes: wasted, WastedPercent: 100 * float64(wasted) / float64(stored),
			Efficiency: 1 - float64(wasted)/float64(stored), BaseLayers: 1, Layers: layers, Findings: findings,
		}
	}
	images := []audit.Image{
		img("team/api", "1.4", "1", 140_000_000, 24_000_000, []audit.ImageLayer{base, layer('c', 50_000_000, 12_000_000, "RUN apt-get update && apt-get install -y curl"), layer('d', 10_000_000, 12_000_000, "RUN rm -rf /var/lib/apt/lists/*")}, warn, root),
		img("team/api", "1.3", "2", 120_000_000, 0, []audit.ImageLayer{base, layer('e', 40_000_000, 0, "COPY app /app")}, root),
		img("team/worker", "latest", "3", 95_000_000, 3_000_000, []audit.ImageLayer{base, layer('f', 15_000_000, 3_000_000, `RUN echo "<script>alert(1)</script>" > /x`)}, secret, root),
		img("team/tools", "2", "4", 2_000_000, 0, []audit.ImageLayer{layer('g', 2_000_000, 0, "ADD busybox.tar /")}),
	}
	multi := img("team/tools", "2", "5", 2_100_000, 0, []audit.ImageLayer{layer('h', 2_100_000, 0, "ADD busybox.tar /")})
	multi.Platform, multi.IndexDigest = "linux/arm64/v8", "sha256:"+strings.Repeat("9", 64)
	images[3].IndexDigest = multi.IndexDigest
	images = append(images, multi)
	r := &audit.Report{
		Registry: "registry.example:5000", Prefix: "team", Platforms: []string{"all"},
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Seconds: 12.5,
		Images: images,
		Failures: []audit.Failure{
			{Ref: "registry.example:5000/team/broken@sha256:" + strings.Repeat("0", 64), Error: "GET .../blobs/sha256:00: 500 Internal Server Error", Attempts: 5},
		},
		Stats: audit.Stats{Repositories: 4, Tags: 5, Images: 5, ImagesFromCache: 1, LayersRead: 6, LayersFromCache: 1, BytesRead: 60_000_000},
	}
	uses := map[string]*audit.LayerUse{}
	var order []string
	for _, im := range r.Images {
		for _, l := range im.Layers {
			u := uses[l.Digest]
			if u == nil {
				u = &audit.LayerUse{Digest: l.Digest, Size: l.Size, CompressedSize: l.CompressedSize, CreatedBy: l.CreatedBy, Base: l.Base}
				uses[l.Digest] = u
				order = append(order, l.Digest)
			}
			u.Images++
		}
	}
	for _, d := range order {
		u := uses[d]
		u.Repositories = 1
		if u.Images > 1 {
			u.Repositories = 2
		}
		r.Layers = append(r.Layers, *u)
		r.Stats.DistinctLayers++
		r.Stats.StoredBytes += u.CompressedSize
		r.Stats.UnsharedBytes += u.CompressedSize * int64(u.Images)
	}
	// The most shared first, as the audit ranks them.
	sort.SliceStable(r.Layers, func(i, j int) bool { return r.Layers[i].Images > r.Layers[j].Images })
	if err := r.Rank(audit.ByWasted); err != nil {
		t.Fatal(err)
	}
	r.ApplyGate(gate.Gate{MaxWastedBytes: gate.Int64(2_000_000), FailOn: gate.Severity(vocab.Error)})
	return r
}

// TestAuditGolden renders the sample audit as text (plain, coloured, and
// limited to the top 2), JSON and HTML.
func TestAuditGolden(t *testing.T) {
	r := sampleAudit(t)
	if r.Stats.GateFailed != 2 {
		t.Fatalf("the sample's gate fails %d images, want 2", r.Stats.GateFailed)
	}
	for _, tc := range []struct {
		golden string
		write  func(*bytes.Buffer) error
	}{
		{"audit-text", func(b *bytes.Buffer) error { return Text(b, r, Options{}) }},
		{"audit-text-color", func(b *bytes.Buffer) error { return Text(b, r, Options{Options: report.Options{Color: true}}) }},
		{"audit-text-top2", func(b *bytes.Buffer) error { return Text(b, r, Options{Top: 2}) }},
		{"audit-json", func(b *bytes.Buffer) error { return JSON(b, r) }},
		{"audit-html", func(b *bytes.Buffer) error { return HTML(b, r, Options{}) }},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			reporttest.Golden(t, tc.golden, b.Bytes())
		})
	}
}

// The JSON is the report itself: it decodes back to the same figures.
func TestAuditJSONRoundTrip(t *testing.T) {
	r := sampleAudit(t)
	var b bytes.Buffer
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var back audit.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Stats != r.Stats || len(back.Images) != len(r.Images) || back.Images[0].Gate == nil || back.Images[0].Gate.Pass {
		t.Errorf("decoded %+v", back.Stats)
	}
	for i := range r.Images {
		if back.Images[i].Pinned() != r.Images[i].Pinned() || back.Images[i].WastedBytes != r.Images[i].WastedBytes {
			t.Errorf("image %d: %s, want %s", i, back.Images[i].Pinned(), r.Images[i].Pinned())
		}
	}
}

// SARIF names each image by an absolute docker:// URI and carries every
// finding once; the document is valid SARIF (TestAuditSARIFSchema validates
// the same report against the schema).
func TestAuditSARIF(t *testing.T) {
	r := sampleAudit(t)
	out := sarif(t, Lint(r, check.All(), "test"))
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, img := range r.Images {
		want += len(img.Findings)
	}
	res := doc.Runs[0].Results
	if len(res) != want {
		t.Fatalf("%d results, want %d", len(res), want)
	}
	for _, x := range res {
		loc := x.Locations[0].PhysicalLocation.ArtifactLocation
		if !strings.HasPrefix(loc.URI, "docker://registry.example:5000/team/") || !strings.Contains(loc.URI, "@sha256:") || loc.URIBaseID != "" {
			t.Errorf("%s at %+v", x.RuleID, loc)
		}
	}
}

// sarif is the lint report r in SARIF.
func sarif(t *testing.T, r *report.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.SARIF(&b, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The audit's SARIF is valid SARIF 2.1.0.
func TestAuditSARIFSchema(t *testing.T) {
	out := sarif(t, Lint(sampleAudit(t), check.All(), "test"))
	reporttest.SARIFSchemas(t, func(t *testing.T, validate func([]byte) error) {
		if err := validate(out); err != nil {
			t.Errorf("the audit's SARIF does not conform to the schema:\n%v", err)
		}
	})
}

// The page escapes what the registry's images say.
func TestAuditHTMLEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, sampleAudit(t), Options{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)") {
		t.Error("the layer's command is not escaped")
	}
	for _, want := range []string{"team/api:1.4", "team/tools:2 (linux/arm64/v8)", "after 5 attempts", `class="fail">fail`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func auditWith(t *testing.T, s *reporttest.Strings) *audit.Report {
	r := sampleAudit(t)
	r.Registry, r.Prefix, r.RankedBy = s.S("registry"), s.S("prefix"), s.S("rankedby")
	for i := range r.Images {
		img := &r.Images[i]
		img.Repository, img.Tags = s.S(fmt.Sprintf("repo%d", i)), []string{s.S(fmt.Sprintf("tag%d", i))}
		img.Digest, img.Platform = s.S(fmt.Sprintf("digest%d", i)), s.S(fmt.Sprintf("platform%d", i))
		for j := range img.Layers {
			img.Layers[j].Digest, img.Layers[j].CreatedBy = s.Part(fmt.Sprintf("ld%d", j)), s.S(fmt.Sprintf("createdby%d.%d", i, j))
		}
		for j := range img.Findings {
			img.Findings[j].Rule, img.Findings[j].Message = s.S(fmt.Sprintf("rule%d.%d", i, j)), s.S(fmt.Sprintf("message%d.%d", i, j))
		}
	}
	for i := range r.Layers {
		r.Layers[i].Digest, r.Layers[i].CreatedBy = s.S(fmt.Sprintf("shared%d", i)), s.S(fmt.Sprintf("sharedby%d", i))
	}
	for i := range r.Failures {
		r.Failures[i].Ref, r.Failures[i].Error = s.S(fmt.Sprintf("failure%d", i)), s.S(fmt.Sprintf("error%d", i))
	}
	return r
}

// The page escapes every string a registry controls, whole, and adds no
// markup of them (see reporttest.RenderHostile).
func TestAuditHTMLEscapesHostileStrings(t *testing.T) {
	plain, hostile := reporttest.RenderHostile(t, 1, func(s *reporttest.Strings, b *bytes.Buffer) error {
		return HTML(b, auditWith(t, s), Options{})
	})
	reporttest.SameMarkup(t, plain, hostile)
}

var auditBar = regexp.MustCompile(`<div class="bar( waste| shared)?" style="width: ([0-9.]+)%" data-rendered-width="([0-9.]+)"></div>`)

// The page renders in Chromium: every image row and shared layer, bars as
// wide as their figures, in their colours; #sort=size orders the images
// by size.
func TestAuditHTMLRendersInChromium(t *testing.T) {
	browser := testenv.Chromium(t)
	r := sampleAudit(t)
	path := filepath.Join(t.TempDir(), "audit.html")
	var b bytes.Buffer
	if err := HTML(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, shot := testenv.RenderPage(t, browser, path)
	if !strings.Contains(dom, `data-rendered="true"`) {
		t.Fatalf("the page's script did not run; DOM:\n%.2000s", dom)
	}
	if n := strings.Count(dom, `<tr class="image">`); n != len(r.Images) {
		t.Errorf("%d image rows, want %d", n, len(r.Images))
	}
	bars := auditBar.FindAllStringSubmatch(dom, -1)
	if want := 2*len(r.Images) + len(r.Layers); len(bars) != want {
		t.Fatalf("%d bars, want %d", len(bars), want)
	}
	// Within a kind, a bar's laid-out width follows its percentage.
	full := map[string]float64{}
	for _, m := range bars {
		pct, _ := strconv.ParseFloat(m[2], 64)
		w, _ := strconv.ParseFloat(m[3], 64)
		if pct == 100 {
			full[m[1]] = w
		}
	}
	for _, m := range bars {
		pct, _ := strconv.ParseFloat(m[2], 64)
		w, _ := strconv.ParseFloat(m[3], 64)
		if f := full[m[1]]; f < 50 || math.Abs(w-f*pct/100) > 1.5 {
			t.Errorf("bar%s at %.1f%% is %.1f px wide; the full one %.1f px", m[1], pct, w, f)
		}
	}
	testenv.CheckScreenshot(t, shot,
		testenv.Colour{Name: "size bars", RGBA: color.RGBA{0x31, 0x82, 0xce, 0xff}, Min: 100},
		testenv.Colour{Name: "waste bars", RGBA: color.RGBA{0xe5, 0x3e, 0x3e, 0xff}, Min: 30},
		testenv.Colour{Name: "shared-layer bars", RGBA: color.RGBA{0x38, 0xa1, 0x69, 0xff}, Min: 100},
	)

	// Ranked by wasted bytes as written; sorted by size through the link.
	order := func(dom string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<tr class="image">\s*<td class="num" data-v="(\d+)">`).FindAllStringSubmatch(dom, -1) {
			out = append(out, m[1])
		}
		return out
	}
	if got := strings.Join(order(dom), " "); got != "1 2 3 4 5" {
		t.Errorf("rows as written: ranks %s", got)
	}
	sorted, _ := testenv.RenderPage(t, browser, path+"#sort=size")
	// By wasted bytes: api:1.4, worker, api:1.3, then the two tools;
	// by size: api:1.4, api:1.3, worker, tools.
	if got := strings.Join(order(sorted), " "); got != "1 3 2 4 5" {
		t.Errorf("#sort=size: ranks %s, want 1 3 2 4 5", got)
	}
}
