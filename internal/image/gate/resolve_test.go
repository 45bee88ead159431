package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Each place overrides the ones before it, field by field: .dive-ci, then
// the configuration file, then the flags.
func TestResolvePrecedence(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}

	// Nothing anywhere: an empty gate, and no .dive-ci is no error.
	res, err := Resolve(Inputs{Dir: sub})
	if err != nil || !res.Gate.Empty() || len(res.Warnings) != 0 || len(res.Ignore) != 0 {
		t.Fatalf("nothing set: %+v %v", res, err)
	}

	// .dive-ci is read from Dir when no file is named.
	write(t, sub, ".dive-ci", "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.2\n  other: 1\n")
	res, err = Resolve(Inputs{Dir: sub})
	g := res.Gate
	if err != nil || *g.MinEfficiency != 0.95 || *g.MaxWastedBytes != 20_000_000 || *g.MaxUserWastedPercent != 20 {
		t.Fatalf(".dive-ci: %+v %v", g, err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "other") {
		t.Fatalf("warnings = %v", res.Warnings)
	}

	// .strata.yaml, found upwards, overrides .dive-ci where it sets a
	// value, and gives the ignore patterns.
	write(t, dir, ".strata.yaml", "image:\n  min-efficiency: 0.5\n  max-size: 1GB\n  fail-on: warning\n  ignore: [/var/cache]\n")
	res, err = Resolve(Inputs{Dir: sub})
	if err != nil {
		t.Fatal(err)
	}
	g = res.Gate
	if *g.MinEfficiency != 0.5 || *g.MaxWastedBytes != 20_000_000 || *g.MaxSize != 1_000_000_000 || *g.FailOn != vocab.Warning {
		t.Fatalf("config over .dive-ci: %+v", g)
	}
	if len(res.Ignore) != 1 || res.Ignore[0] != "/var/cache" {
		t.Fatalf("ignore = %v", res.Ignore)
	}

	// The flags override both; "none" turns fail-on off again.
	pct := 30.0
	res, err = Resolve(Inputs{Dir: sub, Flags: Settings{MaxWastedBytes: "4MB", MaxUserWastedPercent: &pct, FailOn: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	g = res.Gate
	if *g.MaxWastedBytes != 4_000_000 || *g.MaxUserWastedPercent != 30 || *g.MinEfficiency != 0.5 || *g.FailOn != vocab.Ignore {
		t.Fatalf("flags over both: %+v", g)
	}

	// Named files are read instead of the ones found.
	other := t.TempDir()
	res, err = Resolve(Inputs{
		Dir:    sub,
		DiveCI: write(t, other, "dive.yaml", "rules:\n  lowestEfficiency: 0.75\n"),
		Config: write(t, other, "strata.yaml", "image:\n  max-wasted-percent: 5\n"),
	})
	g = res.Gate
	if err != nil || *g.MinEfficiency != 0.75 || g.MaxWastedBytes != nil || *g.MaxWastedPercent != 5 || g.MaxSize != nil {
		t.Fatalf("named files: %+v %v", g, err)
	}

	// hadolint's file has no image section: found instead of
	// .strata.yaml, it is not read.
	hd := t.TempDir()
	write(t, hd, ".hadolint.yaml", "image: [not, a, section]\n")
	if res, err := Resolve(Inputs{Dir: hd}); err != nil || !res.Gate.Empty() {
		t.Fatalf(".hadolint.yaml: %+v %v", res, err)
	}
}

// Every mistake is bad input naming where it is.
func TestResolveErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope")
	for name, tc := range map[string]struct {
		in   Inputs
		want string
	}{
		"named dive CI missing": {Inputs{Dir: dir, DiveCI: missing}, missing},
		"named config missing":  {Inputs{Dir: dir, Config: missing}, missing},
		"bad config size":       {Inputs{Dir: dir, Config: write(t, t.TempDir(), "a.yaml", "image:\n  max-size: lots\n")}, "a.yaml: image: max-size"},
		"bad config fail-on":    {Inputs{Dir: dir, Config: write(t, t.TempDir(), "b.yaml", "image:\n  fail-on: fatal\n")}, "b.yaml: image: fail-on"},
		"bad config yaml":       {Inputs{Dir: dir, Config: write(t, t.TempDir(), "c.yaml", "image: [\n")}, "c.yaml"},
		"bad flag":              {Inputs{Dir: dir, Flags: Settings{MaxWastedBytes: "5XB"}}, "max-wasted-bytes"},
		"out of range":          {Inputs{Dir: dir, Flags: Settings{MaxWastedPercent: Float64(150)}}, "max-wasted-percent"},
		"bad dive CI":           {Inputs{Dir: dir, DiveCI: write(t, t.TempDir(), ".dive-ci", "rules:\n  lowestEfficiency: 95\n")}, "lowestEfficiency"},
	} {
		_, err := Resolve(tc.in)
		if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v (want bad input naming %q)", name, err, tc.want)
		}
	}
	// A broken .dive-ci in Dir is an error too, though it was not named.
	write(t, dir, ".dive-ci", "rules: [")
	if _, err := Resolve(Inputs{Dir: dir}); err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), ".dive-ci") {
		t.Errorf("broken .dive-ci: %v", err)
	}
}

// TestResolveConfigWarnings reads an image section with a misspelt key:
// a warning naming the file and line, an error with StrictConfig.
func TestResolveConfigWarnings(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".strata.yaml")
	if err := os.WriteFile(cfg, []byte("image:\n  max-sise: 10MB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Resolve(Inputs{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], cfg+`:2: unknown key "image.max-sise" (did you mean "image.max-size"?)`) {
		t.Fatalf("warnings %q", res.Warnings)
	}
	if _, err := Resolve(Inputs{Dir: dir, StrictConfig: true}); err == nil || !strings.Contains(err.Error(), cfg+":2") {
		t.Fatalf("StrictConfig: %v", err)
	}
}
