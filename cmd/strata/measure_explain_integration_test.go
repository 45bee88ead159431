package main

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

// measure --explain says why the warm rebuild ran each step, agreeing
// with BuildKit (the Engine's, and the standalone buildkitd's); the
// measurement judges layers.cache_dependencies; the step times it records
// give strata cache its expected rebuild time.
func TestIntegrationMeasureExplain(t *testing.T) {
	measureEngine(t)
	builders := []builderRun{
		{"engine", []string{"--builder", build.BuilderBuildKit}},
		{"buildkitd", []string{"--builder", testenv.BuildKitHost(t)}},
	}
	for _, b := range builders {
		t.Run(b.name, func(t *testing.T) { measureExplain(t, b.args) })
	}
}

func measureExplain(t *testing.T, builder []string) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, c := range []struct {
		name, dockerfile string
		status           vocab.Status
	}{
		{"source first", "FROM busybox:latest\nCOPY . /app\nRUN pip install -r /app/requirements.txt 2>/dev/null || true\nRUN wc -c /app/app.py > /size\n", vocab.Fail},
		{"manifests first", "FROM busybox:latest\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt 2>/dev/null || true\nCOPY . /app\nRUN wc -c /app/app.py > /size\n", vocab.Pass},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "Dockerfile", c.dockerfile)
			writeFile(t, dir, "requirements.txt", "flask\n")
			writeFile(t, dir, "app.py", "print('hi')\n")
			r := mustRun(t, 0, append(append([]string{"measure", "--format", "json", "--explain", "--no-startup"}, builder...), "--touch", "app.py", dir)...)
			m := decodeMeasurement(t, r)
			if len(m.Claims) != 1 || m.Claims[0].Item != vocab.LayersCacheDeps || m.Claims[0].Status != c.status {
				t.Fatalf("claims %+v, want %s %s", m.Claims, vocab.LayersCacheDeps, c.status)
			}
			t.Logf("claim: %s", m.Claims[0].Text)
			if !strings.HasPrefix(m.Claims[0].Text, "a change to app.py rebuilds ") {
				t.Errorf("claim text %q", m.Claims[0].Text)
			}
			if len(m.Explain) != m.Warm.Steps {
				t.Fatalf("%d explanations for %d steps", len(m.Explain), m.Warm.Steps)
			}
			rebuilt := 0
			for _, e := range m.Explain {
				if !e.Agrees {
					t.Errorf("%s: strata predicted %s, BuildKit cached=%v", e.Step, e.Predicted, e.Cached)
				}
				if !e.Cached {
					rebuilt++
					if e.Why == "" {
						t.Errorf("%s rebuilt without a cause", e.Step)
					}
				}
			}
			if rebuilt != m.Warm.Steps-m.Warm.CachedSteps {
				t.Errorf("%d explained as rebuilt, BuildKit rebuilt %d", rebuilt, m.Warm.Steps-m.Warm.CachedSteps)
			}
			text := mustRun(t, 0, append(append([]string{"measure", "--explain", "--no-startup"}, builder...), "--touch", "app.py", dir)...)
			for _, want := range []string{"Why the warm rebuild ran each step", "takes app.py, which changed", "Checklist, as measured"} {
				if !strings.Contains(text.stdout, want) {
					t.Errorf("text output lacks %q:\n%s", want, text.stdout)
				}
			}
			cache := mustRun(t, 0, "cache", "--changed", "app.py", dir)
			if !strings.Contains(cache.stdout, "expected rebuild time: ") || strings.Contains(cache.stdout, "unknown") {
				t.Errorf("strata cache after strata measure:\n%s", cache.stdout)
			}
		})
	}
}
