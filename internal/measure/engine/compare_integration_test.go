package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// Two images: both measured, labelled, and the progress events carry the
// side. (Nothing is built or started: the Dockerfile sides are
// cmd/strata's integration tests, which check that strata measure leaves
// no image or container behind, and would see this package's.)
func TestIntegrationCompareImages(t *testing.T) {
	s := session(t)
	tag := "strata-test/engine-compare:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	testenv.BuildImage(t, s.Client, "", "FROM busybox:latest\nRUN head -c 3000000 /dev/zero > /zeros\nUSER nobody\n", tag)
	p, err := engine.PlanCompare([]string{testenv.BusyboxImage, tag}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var phases []string
	opts := s.Options(engine.Options{NoStartup: true, Progress: func(e engine.Event) {
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
	if c.A.Label != "A" || c.A.Kind != measure.SubjectImage || c.A.Subject != testenv.BusyboxImage || !c.A.Root {
		t.Errorf("A %+v", c.A)
	}
	if c.B.Label != "B" || c.B.Kind != measure.SubjectImage || c.B.Subject != tag || c.B.Root || c.B.ColdBuild != nil || c.B.Startup != nil {
		t.Errorf("B %+v", c.B)
	}
	if d := c.B.Size - c.A.Size; d < 3_000_000 || d > 3_030_000 {
		t.Errorf("B is %d bytes larger than A, want the 3 MB file", d)
	}
	// The file diff: B adds /zeros, 3 MB, and nothing else.
	if f := c.Files; f == nil || f.Added != 1 || f.Removed != 0 || f.Changed != 0 || f.Bytes != 3_000_000 || !strings.Contains(f.Summary, "B is 3.00 MB larger") {
		t.Errorf("file diff %+v", c.Files)
	}
	if c.Score.Terms[1].Value <= 0 {
		t.Errorf("security points %+v: A runs as root, B does not", c.Score.Terms[1])
	}
	if !slices.Equal(phases, []string{"A: analysing the image", "B: analysing the image"}) {
		t.Errorf("progress phases %q", phases)
	}
	if made := s.Tracker.Images(); len(made) != 0 {
		t.Errorf("images made to compare two images: %v", made)
	}
}
