package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/report/reporttest"
	"github.com/stratatools/strata/internal/vocab"
)

// analyzeImage reads img, written as a docker save archive, with every
// image rule and, when dockerfile is not empty, mapped to it.
func analyzeImage(t *testing.T, img v1.Image, dockerfile string) (*image.Result, *image.Dockerfile) {
	t.Helper()
	p := imagetest.WriteTemp(t, "img.tar", imagetest.DockerSaveOld(t, img, "app:1"))
	opts := image.Options{Checks: check.All()}
	if dockerfile != "" {
		dfPath := filepath.Join(t.TempDir(), "Dockerfile")
		if err := os.WriteFile(dfPath, []byte(dockerfile), 0o644); err != nil {
			t.Fatal(err)
		}
		df, err := image.LoadDockerfile(dfPath)
		if err != nil {
			t.Fatal(err)
		}
		opts.Dockerfile = df
	}
	r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r, opts.Dockerfile
}

// An image with no layer at all (FROM scratch and metadata only) reads,
// and its JSON report has arrays, never nulls.
func TestImageEmptyReport(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{{CreatedBy: `CMD ["x"]`}}, nil)
	r, _ := analyzeImage(t, img, "")
	if len(r.Layers) != 0 || r.Totals.Efficiency != 1 || r.Waste.Total != 0 {
		t.Fatalf("result = %+v", r.Totals)
	}
	var b strings.Builder
	if err := ImageJSON(&b, r, &gate.Result{Pass: true, Checks: []gate.Check{}}, check.All()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "null") {
		t.Fatalf("null in JSON:\n%s", b.String())
	}
	b.Reset()
	if err := ImageText(&b, r, nil, ImageTextOptions{}); err != nil || !strings.Contains(b.String(), "Efficiency 100.0%") {
		t.Fatalf("text: %v\n%s", err, b.String())
	}
}

// The findings of an image mapped to its Dockerfile become a lint report
// on the Dockerfile.
func TestImageLint(t *testing.T) {
	r, df := analyzeImage(t, imagetest.Classic(t), imagetest.ClassicDockerfile)
	rep, err := ImageLint(r, df, check.All(), "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Files) != 1 || rep.Files[0].File != df.Path || len(rep.Files[0].Findings) != len(r.Findings) || len(rep.Rules) == 0 {
		t.Fatalf("report = %+v", rep)
	}
	if len(rep.Files[0].Lines) == 0 || !strings.Contains(rep.Files[0].Findings[0].Message, "layer") && rep.Files[0].Findings[0].Rule != "SI030" {
		t.Fatalf("report findings = %+v", rep.Files[0].Findings)
	}
	// Each finding keeps its rule's severity and category, on its line.
	for _, f := range rep.Files[0].Findings {
		rule, ok := check.Find(f.Rule)
		if !ok || f.Severity != rule.Severity || f.Category != rule.Category || f.Line == 0 {
			t.Errorf("finding %+v does not match rule %+v", f, rule)
		}
	}
	if len(rep.Rules) != len(check.All()) || len(rep.Files[0].Checklist) == 0 {
		t.Fatalf("rules %d, checklist %+v", len(rep.Rules), rep.Files[0].Checklist)
	}
	if _, err := ImageLint(r, nil, nil, ""); err == nil {
		t.Fatal("a report without a Dockerfile")
	}
	// Every lint format takes it.
	for _, name := range []string{"sarif", "checkstyle", "gitlab", "github"} {
		out := render(t, name, rep, Options{})
		if !bytes.Contains(out, []byte("SI001")) {
			t.Errorf("%s: no SI001:\n%s", name, out)
		}
	}
}

// The checklist fails the items a warning or an error carries.
func TestImageChecklist(t *testing.T) {
	r := &image.Result{Findings: []image.Finding{
		{Rule: "SI030", Severity: vocab.Warning, Checklist: "security.non_root"},
		{Rule: "SI040", Severity: vocab.Info, Checklist: "performance.healthcheck"},
	}}
	got := map[string]vocab.Status{}
	for _, c := range ImageChecklist(r, check.All()) {
		got[c.Item] = c.Status
	}
	if got["security.non_root"] != "fail" || got["performance.healthcheck"] != "pass" || got["size.clean_caches"] != "pass" {
		t.Fatalf("checklist = %v", got)
	}
}

// TestImageGolden renders the classic image, mapped to its Dockerfile,
// with a failing gate, in text (plain and coloured) and JSON.
func TestImageGolden(t *testing.T) {
	r := classicResult(t)
	g := gate.Gate{MaxWastedBytes: gate.Int64(1_000_000), MinEfficiency: gate.Float64(0.1), FailOn: gate.Severity(vocab.Error)}
	gr := g.Evaluate(r)
	if gr.Pass {
		t.Fatalf("gate passes: %+v", gr)
	}
	reporttest.Goldens(t, []reporttest.Output{
		{Name: "image-text", Write: func(b *bytes.Buffer) error { return ImageText(b, r, &gr, ImageTextOptions{}) }},
		{Name: "image-text-color", Write: func(b *bytes.Buffer) error { return ImageText(b, r, &gr, ImageTextOptions{Color: true}) }},
		{Name: "image-json", Write: func(b *bytes.Buffer) error { return ImageJSON(b, r, &gr, check.All()) }},
	})
}

func TestLookupImage(t *testing.T) {
	r, df := analyzeImage(t, imagetest.Classic(t), imagetest.ClassicDockerfile)
	gr := gate.Result{Pass: true, Checks: []gate.Check{}}
	run := ImageRun{Result: r, Gate: &gr, Rules: check.All(), Dockerfile: df, Version: "test"}
	for format, want := range map[string]string{
		"text": "Layers", "JSON": `"checklist"`, "sarif": `"ruleId": "SI001"`, "checkstyle": "SI001", "gitlab": "SI001", "github": "SI001",
	} {
		w, err := LookupImage(format, true)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var b bytes.Buffer
		if err := w(&b, run, Options{}); err != nil || !strings.Contains(b.String(), want) {
			t.Errorf("%s: %v, output lacks %q:\n%s", format, err, want, b.String())
		}
	}
	if _, err := LookupImage("sarif", false); err == nil || !strings.Contains(err.Error(), "--dockerfile") {
		t.Errorf("sarif without a Dockerfile: %v", err)
	}
	if _, err := LookupImage("yaml", true); err == nil {
		t.Error("unknown format accepted")
	}
	for _, format := range []string{"text", "json"} {
		if _, err := LookupImage(format, false); err != nil {
			t.Errorf("%s needs no Dockerfile: %v", format, err)
		}
	}
}
