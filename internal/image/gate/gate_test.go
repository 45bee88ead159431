package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
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

func gateResult() *image.Result {
	return &image.Result{
		Totals:   image.Totals{Size: 300_000_000, Efficiency: 0.8, StoredBytes: 100},
		Waste:    image.Waste{Total: 30_000_000, Percent: 20, UserPercent: 25},
		Findings: []image.Finding{{Rule: "SI030", Severity: vocab.Warning}, {Rule: "SI040", Severity: vocab.Info}},
	}
}

func TestGate(t *testing.T) {
	r := gateResult()
	if res := (Gate{}).Evaluate(r); !res.Pass || len(res.Checks) != 0 {
		t.Fatalf("empty gate = %+v", res)
	}
	pass := Gate{MaxSize: Int64(300_000_000), MinEfficiency: Float64(0.8), MaxWastedBytes: Int64(30_000_000),
		MaxWastedPercent: Float64(20), MaxUserWastedPercent: Float64(25), FailOn: Severity(vocab.Error)}
	if res := pass.Evaluate(r); !res.Pass || len(res.Checks) != 6 {
		t.Fatalf("limits equal to the figures must pass: %+v", res)
	}
	for name, g := range map[string]Gate{
		"max-size":                {MaxSize: Int64(200_000_000)},
		"min-efficiency":          {MinEfficiency: Float64(0.9)},
		"max-wasted-bytes":        {MaxWastedBytes: Int64(0)},
		"max-wasted-percent":      {MaxWastedPercent: Float64(10)},
		"max-user-wasted-percent": {MaxUserWastedPercent: Float64(10)},
		"fail-on":                 {FailOn: Severity(vocab.Warning)},
	} {
		res := g.Evaluate(r)
		if res.Pass || len(res.Checks) != 1 || res.Checks[0].Name != name || res.Checks[0].Pass || res.Checks[0].Message == "" {
			t.Errorf("%s: %+v", name, res)
		}
	}
	if res := (Gate{FailOn: Severity(vocab.Info)}).Evaluate(r); res.Checks[0].Actual != 2 {
		t.Errorf("fail-on info counts %v findings, want 2", res.Checks[0].Actual)
	}
	merged := Gate{MaxSize: Int64(1), FailOn: Severity(vocab.Error)}.Override(Gate{MaxSize: Int64(2), MinEfficiency: Float64(0.5)})
	if *merged.MaxSize != 2 || *merged.MinEfficiency != 0.5 || *merged.FailOn != vocab.Error {
		t.Errorf("override = %+v", merged)
	}
	for _, bad := range []Gate{{MinEfficiency: Float64(1.5)}, {MaxWastedPercent: Float64(101)}, {FailOn: Severity(9)}, {MaxSize: Int64(-1)}} {
		if bad.Validate() == nil {
			t.Errorf("Validate accepted %+v", bad)
		}
	}
	if _, err := (Settings{FailOn: "fatal"}).Gate(); err == nil {
		t.Error("fail-on fatal accepted")
	}
	none, err := Settings{FailOn: "none"}.Gate()
	if err != nil || !none.Empty() || none.FailOn == nil || *none.FailOn != vocab.Ignore {
		t.Errorf("fail-on none: %+v %v", none, err)
	}
	if res := none.Evaluate(r); !res.Pass || len(res.Checks) != 0 {
		t.Errorf("fail-on none evaluated %+v", res)
	}
	// An explicit none overrides a severity set before.
	if g := (Gate{FailOn: Severity(vocab.Warning)}).Override(none); *g.FailOn != vocab.Ignore || !g.Empty() {
		t.Errorf("none does not override: %+v", g)
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
