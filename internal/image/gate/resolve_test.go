package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/vocab"
)

func writeDiveCI(t *testing.T, dir, text string) string {
	t.Helper()
	p := filepath.Join(dir, ".dive-ci")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Each place overrides the ones before it, field by field: .dive-ci, then
// the configuration file, then the flags.
func TestResolvePrecedence(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	// Nothing anywhere: an empty gate, and no .dive-ci is no error.
	g, warn, err := Resolve(Inputs{})
	if err != nil || !g.Empty() || len(warn) != 0 {
		t.Fatalf("nothing set: %+v %v %v", g, warn, err)
	}

	// ./.dive-ci is read when no file is named.
	writeDiveCI(t, dir, "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.2\n  other: 1\n")
	g, warn, err = Resolve(Inputs{})
	if err != nil || *g.MinEfficiency != 0.95 || *g.MaxWastedBytes != 20_000_000 || *g.MaxUserWastedPercent != 20 {
		t.Fatalf(".dive-ci: %+v %v", g, err)
	}
	if len(warn) != 1 || !strings.Contains(warn[0], "other") {
		t.Fatalf("warnings = %v", warn)
	}

	// The configuration file overrides .dive-ci where it sets a value.
	eff := 0.5
	cfg := config.Image{MinEfficiency: &eff, MaxSize: "1GB", FailOn: "warning"}
	g, _, err = Resolve(Inputs{ConfigPath: ".strata.yaml", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if *g.MinEfficiency != 0.5 || *g.MaxWastedBytes != 20_000_000 || *g.MaxSize != 1_000_000_000 || *g.FailOn != vocab.Warning {
		t.Fatalf("config over .dive-ci: %+v", g)
	}

	// The flags override both; "none" turns fail-on off again.
	pct := 30.0
	g, _, err = Resolve(Inputs{Config: cfg, Flags: Settings{MaxWastedBytes: "4MB", MaxUserWastedPercent: &pct, FailOn: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if *g.MaxWastedBytes != 4_000_000 || *g.MaxUserWastedPercent != 30 || *g.MinEfficiency != 0.5 || *g.FailOn != vocab.Ignore {
		t.Fatalf("flags over both: %+v", g)
	}

	// A named dive CI file is read instead of ./.dive-ci.
	other := writeDiveCI(t, t.TempDir(), "rules:\n  lowestEfficiency: 0.75\n")
	g, _, err = Resolve(Inputs{DiveCI: other})
	if err != nil || *g.MinEfficiency != 0.75 || g.MaxWastedBytes != nil {
		t.Fatalf("named file: %+v %v", g, err)
	}
}

// Every mistake is bad input naming where it is.
func TestResolveErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	missing := filepath.Join(dir, "nope")
	for name, tc := range map[string]struct {
		in   Inputs
		want string
	}{
		"named file missing": {Inputs{DiveCI: missing}, missing},
		"bad config size":    {Inputs{ConfigPath: "/x/.strata.yaml", Config: config.Image{MaxSize: "lots"}}, "/x/.strata.yaml: image: max-size"},
		"bad config fail-on": {Inputs{ConfigPath: "/x/.strata.yaml", Config: config.Image{FailOn: "fatal"}}, "fail-on"},
		"bad flag":           {Inputs{Flags: Settings{MaxWastedBytes: "5XB"}}, "max-wasted-bytes"},
		"out of range":       {Inputs{Flags: Settings{MaxWastedPercent: Float64(150)}}, "max-wasted-percent"},
		"bad dive CI":        {Inputs{DiveCI: writeDiveCI(t, t.TempDir(), "rules:\n  lowestEfficiency: 95\n")}, "lowestEfficiency"},
	} {
		_, _, err := Resolve(tc.in)
		if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v (want bad input naming %q)", name, err, tc.want)
		}
	}
	// A broken ./.dive-ci is an error too, though it was not named.
	writeDiveCI(t, dir, "rules: [")
	if _, _, err := Resolve(Inputs{}); err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), ".dive-ci") {
		t.Errorf("broken .dive-ci: %v", err)
	}
}
