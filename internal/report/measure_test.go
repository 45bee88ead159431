package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

func f64(v float64) *float64 { return &v }

func sampleMeasurement(label, subject string, size int64) *measure.Measurement {
	code := 0
	return &measure.Measurement{
		Subject: subject, Label: label, Kind: measure.SubjectDockerfile, Context: ".", Builder: "buildkit",
		ImageID: "sha256:0123", Runs: 3,
		ColdBuild: &measure.Stats{Median: 2.5, Min: 2, Max: 3, Samples: []float64{2, 2.5, 3}},
		WarmBuild: &measure.Stats{Median: 0.5, Min: 0.4, Max: 0.7, Samples: []float64{0.4, 0.5, 0.7}},
		Warm:      &measure.WarmBuild{Touched: "app.py", Steps: 3, CachedSteps: 2},
		Size:      size, CompressedSize: size / 2, LayerCount: 2,
		Layers: []measure.Layer{
			{Index: 1, Size: size - 1000, CompressedSize: size/2 - 500, CreatedBy: "", Base: true},
			{Index: 2, Size: 1000, CompressedSize: 500, CreatedBy: "COPY app.py /app/"},
		},
		Startup: &measure.Stats{Median: 0.25, Min: 0.2, Max: 0.3, Samples: []float64{0.2, 0.25, 0.3}}, StartupUntil: "exit", StartupExitCode: &code,
		Root:          true,
		Waste:         measure.Waste{Bytes: 4000, Percent: 1.5, Efficiency: 0.985},
		LintFindings:  []Finding{{File: subject, Rule: "DL3002", Severity: vocab.Warning, Category: "security", Line: 4, Message: "last USER should not be root"}},
		ImageFindings: []Finding{{File: subject, Rule: "SI030", Severity: vocab.Warning, Category: "security", Message: "the image runs as root"}},
		Notes:         []string{"a note"},
	}
}

func sampleComparison() *measure.Comparison {
	a := sampleMeasurement("A", "a/Dockerfile", 54_411_165)
	b := sampleMeasurement("B", "b/Dockerfile <x>", 1_982_365)
	b.Root, b.User, b.ImageFindings = false, "app", nil
	return &measure.Comparison{
		A: a, B: b,
		Figures: []measure.FigureDiff{
			{Name: "size", Label: "image size", Unit: measure.UnitBytes, A: f64(54_411_165), B: f64(1_982_365), Diff: f64(1_982_365 - 54_411_165), Reduction: f64(96.36), LowerIsBetter: true},
			{Name: "cold_build", Label: "cold build (median)", Unit: measure.UnitSeconds, A: f64(2.5), B: f64(3), Diff: f64(0.5), Reduction: f64(-20), LowerIsBetter: true},
			{Name: "efficiency", Label: "efficiency", Unit: measure.UnitPercent, A: f64(98.5), B: f64(100), Diff: f64(1.5)},
			{Name: "root", Label: "runs as root", Unit: measure.UnitBool, A: f64(1), B: f64(0), Diff: f64(-1), LowerIsBetter: true},
			{Name: "startup", Label: "start-up (median)", Unit: measure.UnitSeconds, LowerIsBetter: true},
		},
		Findings: []measure.CategoryChange{{Category: "security", A: 2, B: 1, Fixed: []string{"SI030"}, New: []string{}}},
		Score: measure.Score{
			Formula: "score = 1 × size reduction % + 1 × security points; a positive score favours B",
			Terms: []measure.ScoreTerm{
				{Name: "size reduction %", Weight: 1, Value: 96.4, Points: 96.4, Measured: true, Working: "(54411165 − 1982365) / 54411165 × 100 = 96.4"},
				{Name: "security points", Weight: 1, Value: 25, Points: 25, Measured: true, Working: "5 × (2 − 1) + 20 × 1 = 25"},
			},
			Total: 121.4, Winner: "B",
		},
	}
}

func TestMeasureSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1.00 kB", 1_982_365: "1.98 MB", 54_411_165: "54.4 MB",
		117_000_000: "117 MB", 1_410_000_000: "1.41 GB", -2048: "-2.05 kB", 999_600: "1.00 MB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit string
		want string
	}{
		{1.23456, measure.UnitSeconds, "1.235 s"}, {2048, measure.UnitBytes, "2.05 kB"}, {96.44, measure.UnitPercent, "96.4 %"},
		{1, measure.UnitBool, "yes"}, {0, measure.UnitBool, "no"}, {3, measure.UnitCount, "3"}, {2.5, measure.UnitCount, "2.5"},
	} {
		if got := formatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("formatValue(%v, %s) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
	if got := diffValue(measure.FigureDiff{Unit: measure.UnitBytes, Diff: f64(-52_428_800)}); got != "−52.4 MB" {
		t.Errorf("negative diff %q", got)
	}
	if got := diffValue(measure.FigureDiff{Unit: measure.UnitSeconds, Diff: f64(0.5)}); got != "+0.500 s" {
		t.Errorf("positive diff %q", got)
	}
	if got := diffValue(measure.FigureDiff{Unit: measure.UnitBool, A: f64(1), B: f64(0), Diff: f64(-1)}); got != "yes → no" {
		t.Errorf("bool diff %q", got)
	}
}

func TestMeasureText(t *testing.T) {
	var b bytes.Buffer
	if err := MeasureText(&b, sampleMeasurement("", "app/Dockerfile", 54_411_165), Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"strata measure: app/Dockerfile (context ., builder: buildkit, 3 runs)",
		"cold build    2.500 s",
		"median of 3, min 2.000 s, max 3.000 s",
		"app.py changed; 2 of 3 steps from cache",
		"image size    54.4 MB",
		"compressed 27.2 MB",
		"start-up      0.250 s",
		"until exit, status 0",
		"runs as root",
		"1 lint, 1 image",
		"(base)\n",
		"COPY app.py /app/",
		"DL3002  [security]  warning  line 4 last USER should not be root",
		"  - a note",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without Options.Color")
	}
	b.Reset()
	_ = MeasureText(&b, sampleMeasurement("", "x", 1), Options{Color: true})
	if !strings.Contains(b.String(), "\x1b[1mstrata measure:\x1b[0m") {
		t.Error("no colour with Options.Color")
	}

	m := sampleMeasurement("", "busybox:latest", 1000)
	m.Kind, m.ColdBuild, m.WarmBuild, m.Warm, m.Runs = measure.SubjectImage, nil, nil, nil, 1
	m.Startup, m.StartupError = nil, "not done after 30s (waiting for TCP port 8080 to answer)"
	b.Reset()
	_ = MeasureText(&b, m, Options{})
	out = b.String()
	if strings.Contains(out, "cold build") || !strings.Contains(out, "busybox:latest (image, 1 run)") || !strings.Contains(out, "failed           not done after 30s") {
		t.Errorf("image measurement text:\n%s", out)
	}
}

func TestMeasureJSONShape(t *testing.T) {
	m := sampleMeasurement("", "Dockerfile", 1000)
	m.Layers, m.ImageFindings, m.LintFindings, m.Notes = nil, nil, nil, nil
	var b bytes.Buffer
	if err := MeasureJSON(&b, m); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"subject", "kind", "context", "builder", "image_id", "runs", "cold_build", "warm_build", "warm",
		"size", "compressed_size", "layer_count", "layers", "startup", "startup_until", "startup_exit_code", "user", "root",
		"waste", "image_findings", "lint_findings", "notes"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("JSON lacks %q", key)
		}
	}
	for _, key := range []string{"layers", "image_findings", "lint_findings", "notes"} {
		if _, ok := doc[key].([]any); !ok {
			t.Errorf("%q is %v, want an array (never null)", key, doc[key])
		}
	}
	cold := doc["cold_build"].(map[string]any)
	if cold["median"] != 2.5 || cold["min"] != 2.0 || cold["max"] != 3.0 || len(cold["samples"].([]any)) != 3 {
		t.Errorf("cold_build = %v", cold)
	}
	warm := doc["warm"].(map[string]any)
	if warm["touched"] != "app.py" || warm["steps"] != 3.0 || warm["cached_steps"] != 2.0 {
		t.Errorf("warm = %v", warm)
	}
	if w := doc["waste"].(map[string]any); w["bytes"] != 4000.0 || w["efficiency"] != 0.985 {
		t.Errorf("waste = %v", w)
	}
	if _, ok := doc["startup_error"]; ok {
		t.Error("startup_error present without an error")
	}
}

func TestCompareJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := CompareJSON(&b, sampleComparison()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		A, B     map[string]any
		Figures  []map[string]any
		Findings []map[string]any
		Score    map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.A["subject"] != "a/Dockerfile" || doc.B["subject"] != "b/Dockerfile <x>" {
		t.Errorf("sides: %v / %v", doc.A["subject"], doc.B["subject"])
	}
	if _, ok := doc.B["image_findings"].([]any); !ok {
		t.Error("B's image_findings is null")
	}
	size := doc.Figures[0]
	for _, key := range []string{"name", "label", "unit", "a", "b", "diff", "reduction_percent", "lower_is_better"} {
		if _, ok := size[key]; !ok {
			t.Errorf("figure lacks %q", key)
		}
	}
	if size["reduction_percent"] != 96.36 {
		t.Errorf("size figure %v", size)
	}
	if st := doc.Figures[4]; st["a"] != nil || st["diff"] != nil || st["reduction_percent"] != nil {
		t.Errorf("unmeasured figure should be null: %v", st)
	}
	if doc.Findings[0]["category"] != "security" || len(doc.Findings[0]["new"].([]any)) != 0 {
		t.Errorf("findings %v", doc.Findings)
	}
	if doc.Score["winner"] != "B" || doc.Score["total"] != 121.4 || len(doc.Score["terms"].([]any)) != 2 || doc.Score["formula"] == "" {
		t.Errorf("score %v", doc.Score)
	}
	if !bytes.Contains(b.Bytes(), []byte("b/Dockerfile <x>")) {
		t.Error("JSON escapes < and >")
	}
}

func TestCompareText(t *testing.T) {
	var b bytes.Buffer
	if err := CompareText(&b, sampleComparison(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"  A  a/Dockerfile (context ., builder: buildkit, 3 runs)",
		"image size           54.4 MB  1.98 MB  −52.4 MB  96.4 %",
		"cold build (median)  2.500 s  3.000 s  +0.500 s  -20.0 %",
		"runs as root         yes      no       yes → no  –",
		"start-up (median)    –        –        –         –",
		"A warm rebuild: app.py changed; 2 of 3 steps from cache",
		"security  2  1  SI030       –",
		"score = 1 × size reduction % + 1 × security points",
		"a positive score favours B",
		"size reduction %  1 × 96.4  = 96.4   (54411165 − 1982365) / 54411165 × 100 = 96.4",
		"score                       = 121.4  B wins",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("compare text lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	_ = CompareText(&b, sampleComparison(), Options{Color: true})
	if !strings.Contains(b.String(), "\x1b[32m96.4 %\x1b[0m") || !strings.Contains(b.String(), "\x1b[31m-20.0 %\x1b[0m") {
		t.Errorf("reductions are not coloured by direction:\n%s", b.String())
	}
}
