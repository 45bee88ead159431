package measure

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

func finding(rule, category string) vocab.Finding {
	return vocab.Finding{Rule: rule, Category: vocab.Category(category), Severity: vocab.Warning}
}

func stats(v float64) *Stats { return Summarize([]float64{v}) }

// sides returns two measurements whose score is worked out by hand in
// TestScoreByHand.
func sides() (a, b *Measurement) {
	a = &Measurement{
		Subject: "a/Dockerfile", Kind: SubjectDockerfile,
		Size: 200_000_000, CompressedSize: 80_000_000, LayerCount: 5,
		ColdBuild: stats(10), WarmBuild: stats(4), Startup: stats(0.5),
		Warm: &WarmBuild{Touched: "app.py", Steps: 4, CachedSteps: 1},
		Root: true, Waste: Waste{Bytes: 1000, Efficiency: 0.9},
		LintFindings:  []vocab.Finding{finding("DL3002", "security"), finding("DL3009", "size"), finding("DL3008", "correctness")},
		ImageFindings: []vocab.Finding{finding("SI030", "security"), finding("SI001", "size")},
	}
	b = &Measurement{
		Subject: "b/Dockerfile", Kind: SubjectDockerfile,
		Size: 50_000_000, CompressedSize: 20_000_000, LayerCount: 3,
		ColdBuild: stats(8), WarmBuild: stats(1), Startup: stats(0.25),
		Warm: &WarmBuild{Touched: "app.py", Steps: 4, CachedSteps: 3},
		User: "app", Waste: Waste{Bytes: 0, Efficiency: 1},
		LintFindings:  []vocab.Finding{finding("DL3008", "correctness")},
		ImageFindings: []vocab.Finding{finding("SI040", "performance")},
	}
	return a, b
}

func TestScoreByHand(t *testing.T) {
	a, b := sides()
	s := Compare(a, b).Score
	// size:     (200000000 − 50000000) / 200000000 × 100 = 75
	// security: 5 × (2 − 0) + 20 × 1 = 30
	// build:    cold (10 − 8) / 10 × 100 = 20, warm (4 − 1) / 4 × 100 = 75, mean 47.5
	want := []struct {
		name   string
		value  float64
		points float64
	}{{"size reduction %", 75, 75}, {"security points", 30, 30}, {"build-time reduction %", 47.5, 47.5}}
	if len(s.Terms) != len(want) {
		t.Fatalf("terms %+v", s.Terms)
	}
	for i, w := range want {
		got := s.Terms[i]
		if got.Name != w.name || got.Value != w.value || got.Points != w.points || got.Weight != 1 || !got.Measured {
			t.Errorf("term %d = %+v, want %s value %v points %v", i, got, w.name, w.value, w.points)
		}
	}
	if s.Total != 152.5 || s.Winner != "B" {
		t.Errorf("total %v winner %s, want 152.5 B", s.Total, s.Winner)
	}
	for _, frag := range []string{"(200000000 − 50000000) / 200000000 × 100 = 75.0", "5 × (2 − 0) + 20 × 1 (A root, B non-root) = 30", "cold (10.000 − 8.000) / 10.000 × 100 = 20.0", "mean 47.5"} {
		found := false
		for _, term := range s.Terms {
			found = found || strings.Contains(term.Working, frag)
		}
		if !found {
			t.Errorf("no term's working shows %q: %+v", frag, s.Terms)
		}
	}
	if !strings.Contains(s.Formula, "5 × (A security findings − B security findings)") || !strings.Contains(s.Formula, "positive score favours B") {
		t.Errorf("formula: %s", s.Formula)
	}
}

func TestScoreDirectionAndMissingBuildTimes(t *testing.T) {
	a, b := sides()
	// The other way round every term changes sign.
	s := Compare(b, a).Score
	if s.Winner != "A" || s.Total >= 0 {
		t.Errorf("reversed: total %v winner %s", s.Total, s.Winner)
	}
	if got := s.Terms[1].Value; got != -30 {
		t.Errorf("reversed security points = %v, want -30 (non-root → root costs 20)", got)
	}

	// Images have no build times: the term is 0 and says why.
	a.ColdBuild, a.WarmBuild, a.Kind = nil, nil, SubjectImage
	s = Compare(a, b).Score
	if bt := s.Terms[2]; bt.Measured || bt.Points != 0 || !strings.Contains(bt.Working, "not measured") {
		t.Errorf("build term without build times: %+v", bt)
	}
	if s.Total != 105 {
		t.Errorf("total %v, want 75 + 30", s.Total)
	}

	// Only cold build times: the term is the cold reduction alone.
	a, b = sides()
	a.WarmBuild, b.WarmBuild = nil, nil
	if bt := Compare(a, b).Score.Terms[2]; bt.Value != 20 || !bt.Measured {
		t.Errorf("cold only: %+v", bt)
	}

	// Identical sides tie.
	a, _ = sides()
	if s := Compare(a, a).Score; s.Winner != "tie" || s.Total != 0 {
		t.Errorf("same measurement: %+v", s)
	}
}

func TestCompareFigures(t *testing.T) {
	a, b := sides()
	c := Compare(a, b)
	byName := map[string]FigureDiff{}
	for _, f := range c.Figures {
		byName[f.Name] = f
	}
	check := func(name string, wantA, wantB float64, wantRed *float64) {
		t.Helper()
		f, ok := byName[name]
		if !ok {
			t.Fatalf("no figure %s", name)
		}
		if f.A == nil || f.B == nil || *f.A != wantA || *f.B != wantB || *f.Diff != wantB-wantA {
			t.Errorf("%s: A %v B %v diff %v; want %v %v", name, f.A, f.B, f.Diff, wantA, wantB)
		}
		switch {
		case wantRed == nil && f.Reduction != nil:
			t.Errorf("%s: reduction %v, want none", name, *f.Reduction)
		case wantRed != nil && (f.Reduction == nil || *f.Reduction != *wantRed):
			t.Errorf("%s: reduction %v, want %v", name, f.Reduction, *wantRed)
		}
	}
	check("size", 200e6, 50e6, ptr(75))
	check("compressed_size", 80e6, 20e6, ptr(75))
	check("cold_build", 10, 8, ptr(20))
	check("warm_build", 4, 1, ptr(75))
	check("startup", 0.5, 0.25, ptr(50))
	check("layers", 5, 3, ptr(40))
	check("wasted_bytes", 1000, 0, ptr(100))
	check("security_findings", 2, 0, ptr(100))
	check("findings", 5, 2, ptr(60))
	check("efficiency", 90, 100, nil)
	check("warm_cached_steps", 1, 3, nil)
	check("root", 1, 0, nil)

	a.ColdBuild = nil
	for _, f := range Compare(a, b).Figures {
		if f.Name == "cold_build" && (f.A != nil || f.Diff != nil || f.Reduction != nil) {
			t.Errorf("cold build of an unmeasured side: %+v", f)
		}
	}
}

func TestReduction(t *testing.T) {
	if r := reduction(0, 0); r == nil || *r != 0 {
		t.Errorf("0 → 0: %v", r)
	}
	if r := reduction(0, 5); r != nil {
		t.Errorf("0 → 5: %v, want none", *r)
	}
	if r := reduction(4, 5); *r != -25 {
		t.Errorf("4 → 5: %v, want -25", *r)
	}
}

func TestCategoryChanges(t *testing.T) {
	a, b := sides()
	a.ImageFindings = append(a.ImageFindings, finding("SI001", "size"), finding("XX1", "custom"))
	got := Compare(a, b).Findings
	want := []CategoryChange{
		{Category: "security", A: 2, B: 0, Fixed: []string{"DL3002", "SI030"}, New: []string{}},
		{Category: "size", A: 3, B: 0, Fixed: []string{"DL3009", "SI001 ×2"}, New: []string{}},
		{Category: "correctness", A: 1, B: 1, Fixed: []string{}, New: []string{}},
		{Category: "performance", A: 0, B: 1, Fixed: []string{}, New: []string{"SI040"}},
		{Category: "custom", A: 1, B: 0, Fixed: []string{"XX1"}, New: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("category changes:\n got %+v\nwant %+v", got, want)
	}
}

func TestIsRoot(t *testing.T) {
	for user, root := range map[string]bool{
		"": true, "root": true, "0": true, "0:0": true, "root:app": true, " 0 ": true,
		"app": false, "1000": false, "1000:0": false, "nobody:nogroup": false, "rootless": false,
	} {
		if got := IsRoot(user); got != root {
			t.Errorf("IsRoot(%q) = %v, want %v", user, got, root)
		}
	}
}
