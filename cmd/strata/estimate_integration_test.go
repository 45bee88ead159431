package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/testenv"
)

// strata estimate reads the base image from the Engine DOCKER_HOST names:
// its exact size, and (offline) no other source.
func TestEstimateEngineBase(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	engine := testenv.Engine(t)
	if engine == nil {
		return
	}
	testenv.RequireImage(t, testenv.BusyboxImage)
	insp, err := engine.ImageInspect(t.Context(), testenv.BusyboxImage)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", "FROM busybox:latest\nCOPY page.html /var/www/\n")
	writeFile(t, dir, "page.html", strings.Repeat("<p>strata</p>\n", 100))
	r := runStrata(t, "", nil, false, "estimate", "--offline", "--format", "json", filepath.Join(dir, "Dockerfile"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var e struct {
		Image      struct{ Expected int64 }
		Confidence string
		Stages     []struct {
			Steps []struct {
				Parts []struct{ Confidence, Source string }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &e); err != nil {
		t.Fatal(err)
	}
	want := insp.Size + int64(len(strings.Repeat("<p>strata</p>\n", 100)))
	if e.Image.Expected != want || e.Confidence != "exact" || !strings.Contains(e.Stages[0].Steps[0].Parts[0].Source, "Docker Engine") {
		t.Errorf("estimate %+v, want exactly %d from the Engine", e, want)
	}
}
