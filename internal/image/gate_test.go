package image

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"200MB": 200_000_000, "1.5GiB": 1610612736, "20M": 20_000_000, "1024": 1024, "20 MB": 20_000_000,
		"10kB": 10_000, "10KiB": 10240, "3mib": 3 << 20, "0": 0, "1.5G": 1_500_000_000, "7b": 7, "2Ti": 2 << 40,
	} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MB", "-5MB", "5XB", "1e400", "..MB", "99999999999999999999TB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for in, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1.00 kB", 141_000_000: "141 MB", 14_100_000: "14.1 MB",
		1_410_000_000: "1.41 GB", 999_999: "1.00 MB", 1 << 20: "1.05 MB",
	} {
		if got := FormatSize(in); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", in, got, want)
		}
	}
}

func gateResult() *Result {
	return &Result{
		Totals:   Totals{Size: 300_000_000, Efficiency: 0.8, StoredBytes: 100},
		Waste:    Waste{Total: 30_000_000, Percent: 20, UserPercent: 25},
		Findings: []Finding{{Rule: "SI030", Severity: SeverityWarning}, {Rule: "SI040", Severity: SeverityInfo}},
	}
}

func TestGate(t *testing.T) {
	r := gateResult()
	if res := (Gate{}).Evaluate(r); !res.Pass || len(res.Checks) != 0 {
		t.Fatalf("empty gate = %+v", res)
	}
	pass := Gate{MaxSize: Int64(300_000_000), MinEfficiency: Float64(0.8), MaxWastedBytes: Int64(30_000_000),
		MaxWastedPercent: Float64(20), MaxUserWastedPercent: Float64(25), FailOn: SeverityError}
	if res := pass.Evaluate(r); !res.Pass || len(res.Checks) != 6 {
		t.Fatalf("limits equal to the figures must pass: %+v", res)
	}
	for name, g := range map[string]Gate{
		"max-size":                {MaxSize: Int64(200_000_000)},
		"min-efficiency":          {MinEfficiency: Float64(0.9)},
		"max-wasted-bytes":        {MaxWastedBytes: Int64(0)},
		"max-wasted-percent":      {MaxWastedPercent: Float64(10)},
		"max-user-wasted-percent": {MaxUserWastedPercent: Float64(10)},
		"fail-on":                 {FailOn: SeverityWarning},
	} {
		res := g.Evaluate(r)
		if res.Pass || len(res.Checks) != 1 || res.Checks[0].Name != name || res.Checks[0].Pass || res.Checks[0].Message == "" {
			t.Errorf("%s: %+v", name, res)
		}
	}
	if res := (Gate{FailOn: SeverityInfo}).Evaluate(r); res.Checks[0].Actual != 2 {
		t.Errorf("fail-on info counts %v findings, want 2", res.Checks[0].Actual)
	}
	merged := Gate{MaxSize: Int64(1), FailOn: "error"}.Override(Gate{MaxSize: Int64(2), MinEfficiency: Float64(0.5)})
	if *merged.MaxSize != 2 || *merged.MinEfficiency != 0.5 || merged.FailOn != "error" {
		t.Errorf("override = %+v", merged)
	}
	for _, bad := range []Gate{{MinEfficiency: Float64(1.5)}, {MaxWastedPercent: Float64(101)}, {FailOn: "fatal"}, {MaxSize: Int64(-1)}} {
		if bad.Validate() == nil {
			t.Errorf("Validate accepted %+v", bad)
		}
	}
	if !(Gate{FailOn: "none"}).Empty() || (Gate{FailOn: "none"}).Validate() != nil {
		t.Error("fail-on none")
	}
}

func TestDiveCI(t *testing.T) {
	g, warn, err := ParseDiveCI([]byte(`
rules:
  lowestEfficiency: 0.95
  highestWastedBytes: 20MB
  highestUserWastedPercent: 0.20
  somethingElse: 3
`))
	if err != nil {
		t.Fatal(err)
	}
	if *g.MinEfficiency != 0.95 || *g.MaxWastedBytes != 20_000_000 || *g.MaxUserWastedPercent != 20 || g.MaxSize != nil {
		t.Fatalf("gate = %+v", g)
	}
	if len(warn) != 1 || !strings.Contains(warn[0], "somethingElse") {
		t.Fatalf("warnings = %v", warn)
	}
	g, _, err = ParseDiveCI([]byte("rules:\n  lowestEfficiency: disabled\n  highestWastedBytes: \"disabled\"\n  highestUserWastedPercent: 0.1\n"))
	if err != nil || g.MinEfficiency != nil || g.MaxWastedBytes != nil || *g.MaxUserWastedPercent != 10 {
		t.Fatalf("disabled rules: %+v %v", g, err)
	}
	for _, bad := range []string{"rules:\n  lowestEfficiency: 95\n", "rules:\n  highestWastedBytes: lots\n", "rules: [", "rules:\n  lowestEfficiency: [1]\n"} {
		if _, _, err := ParseDiveCI([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	p := filepath.Join(t.TempDir(), ".dive-ci")
	os.WriteFile(p, []byte("rules:\n  lowestEfficiency: 0.5\n"), 0o644)
	if g, _, err := LoadDiveCI(p); err != nil || *g.MinEfficiency != 0.5 {
		t.Fatalf("LoadDiveCI = %+v %v", g, err)
	}
	if _, _, err := LoadDiveCI(filepath.Join(t.TempDir(), "missing")); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestTopN(t *testing.T) {
	var ps []PathSize
	for i := 0; i < 1000; i++ {
		ps = append(ps, PathSize{Path: fmt.Sprintf("p%04d", (i*7919)%1000), Bytes: int64((i * 7919) % 1000 / 3)})
	}
	got := topN(ps, 5)
	// Sizes are v/3 for v = 0..999: 333 once, then 332 three times
	// (ordered by path), then 331.
	want := []string{"p0999", "p0996", "p0997", "p0998", "p0993"}
	if len(got) != len(want) {
		t.Fatalf("got %d", len(got))
	}
	for i, w := range want {
		if got[i].Path != w {
			t.Fatalf("top = %+v, want %v", got, want)
		}
	}
	if len(topN(ps[:3], 10)) != 3 || len(topN(nil, 3)) != 0 {
		t.Fatal("short inputs")
	}
}
