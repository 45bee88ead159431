package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/measure/engine"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

// session opens a session on the test Engine and checks, when the test
// ends, that closing it leaves nothing behind.
func session(t *testing.T) *engine.Session {
	t.Helper()
	testenv.Engine(t)
	testenv.RequireImage(t, testenv.BusyboxImage)
	s, err := engine.Open(t.Context(), build.BuilderAuto, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		made := s.Tracker.Images()
		if err := s.Close(); err != nil {
			t.Errorf("closing the session: %v", err)
		}
		for _, ref := range made {
			if _, err := s.Client.ImageInspect(context.Background(), ref); err == nil {
				t.Errorf("image %s was left behind", ref)
			}
		}
	})
	return s
}

func writeContext(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A missing image is refused before anything is built.
func TestIntegrationCompareMissingImage(t *testing.T) {
	s := session(t)
	dir := writeContext(t, map[string]string{"Dockerfile": "FROM busybox:latest\nRUN echo built\n"})
	p, err := engine.PlanCompare([]string{filepath.Join(dir, "Dockerfile"), "strata-test/no-such-image:nope"}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if p.B.Image == "" {
		t.Fatalf("B is not an image side: %+v", p.B)
	}
	c, err := p.Run(t.Context(), s.Client, s.Options(engine.Options{NoStartup: true}), nil)
	if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), `B: "strata-test/no-such-image:nope" is neither a file nor an image`) {
		t.Fatalf("Run = %+v, %v; want an input error naming B", c, err)
	}
	if made := s.Tracker.Images(); len(made) != 0 {
		t.Errorf("images built before the check: %v", made)
	}
}

// A Dockerfile against an image: both measured, labelled, and the
// progress events carry the side.
func TestIntegrationCompareDockerfileWithImage(t *testing.T) {
	s := session(t)
	dir := writeContext(t, map[string]string{
		"Dockerfile": "FROM busybox:latest\nCOPY app.txt /app.txt\nUSER nobody\nCMD [\"cat\", \"/app.txt\"]\n",
		"app.txt":    "hello\n",
	})
	p, err := engine.PlanCompare([]string{dir, testenv.BusyboxImage}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var phases []string
	opts := s.Options(engine.Options{Runs: 1, StartupTimeout: build.DefaultStartupTimeout, Progress: func(e engine.Event) {
		mu.Lock()
		defer mu.Unlock()
		if len(phases) == 0 || phases[len(phases)-1] != e.Phase {
			phases = append(phases, e.Phase)
		}
	}})
	c, err := p.Run(t.Context(), s.Client, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.A.Label != "A" || c.A.Kind != measure.SubjectDockerfile || c.A.Warm == nil || c.A.Warm.Touched != "app.txt" || c.A.Root {
		t.Errorf("A %+v", c.A)
	}
	if c.B.Label != "B" || c.B.Kind != measure.SubjectImage || c.B.Subject != testenv.BusyboxImage || c.B.ColdBuild != nil || !c.B.Root {
		t.Errorf("B %+v", c.B)
	}
	// A adds a few bytes to busybox; the score's root term favours A.
	if d := c.A.Size - c.B.Size; d < 6 || d > 100_000 {
		t.Errorf("A is %d bytes larger than B, want the size of app.txt and the metadata", d)
	}
	if c.Score.Terms[1].Value >= 0 {
		t.Errorf("security points %+v: B runs as root, A does not", c.Score.Terms[1])
	}
	for _, want := range []string{"A: linting", "A: cold build 1/1", "A: start-up 1/1", "A: warm rebuild 1/1", "A: analysing the image", "B: start-up 1/1", "B: analysing the image"} {
		if !slices.Contains(phases, want) {
			t.Errorf("no progress phase %q in %q", want, phases)
		}
	}
	for _, ph := range phases {
		if !strings.HasPrefix(ph, "A: ") && !strings.HasPrefix(ph, "B: ") {
			t.Errorf("phase %q carries no side", ph)
		}
	}
}
