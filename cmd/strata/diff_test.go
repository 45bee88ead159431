package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image/imagetest"
)

func TestImageInteractiveNeedsATerminal(t *testing.T) {
	p := imagetest.WriteTemp(t, "s.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "s:1"))
	r := runStrata(t, "", nil, false, "image", "-i", p)
	if r.code != 2 || !strings.Contains(r.stderr, "needs a terminal") {
		t.Fatalf("code %d, stderr %q", r.code, r.stderr)
	}
}

func TestImageHTML(t *testing.T) {
	p := imagetest.WriteTemp(t, "s.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "s:1"))
	out := filepath.Join(t.TempDir(), "page.html")
	r := runStrata(t, "", nil, false, "image", "--html", out, p)
	if r.code != 0 {
		t.Fatalf("code %d, stderr %q", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), `id="treemap-data"`) || !strings.Contains(r.stdout, "Layers") {
		t.Fatalf("page %d bytes (%v); stdout %q", len(b), err, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "image", "--html", filepath.Join(t.TempDir(), "no", "page.html"), p); r.code != 2 || !strings.Contains(r.stderr, "does not exist") {
		t.Fatalf("missing folder: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestDiffCommand(t *testing.T) {
	a := imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "s:1"))
	b := imagetest.WriteTemp(t, "b.tar", imagetest.DockerSaveNew(t, imagetest.Everything(t), "e:1"))
	html := filepath.Join(t.TempDir(), "diff.html")
	r := runStrata(t, "", nil, false, "diff", "--html", html, a, b)
	if r.code != 0 {
		t.Fatalf("code %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"A: docker-archive:" + a, "Summary", "B is ", "removed", "/usr  "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the text lacks %q:\n%s", want, r.stdout)
		}
	}
	if _, err := os.Stat(html); err != nil {
		t.Errorf("no page: %v", err)
	}
	r = runStrata(t, "", nil, false, "diff", "--format", "json", "--exit-code", a, b)
	if r.code != 1 {
		t.Fatalf("--exit-code on different images: code %d, stderr %q", r.code, r.stderr)
	}
	var doc struct {
		A struct {
			Source string `json:"source"`
		} `json:"a"`
		Files []struct {
			Path, Op string
		} `json:"files"`
		Summary struct{ Text string } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.A.Source != "docker-archive:"+a || len(doc.Files) == 0 || doc.Summary.Text == "" {
		t.Fatalf("json: %v, %+v", err, doc)
	}
	if r := runStrata(t, "", nil, false, "diff", "--exit-code", a, a); r.code != 0 || !strings.Contains(r.stdout, "A and B hold the same files") {
		t.Fatalf("same image: code %d, stdout %q", r.code, r.stdout)
	}
}

func TestDiffBadInput(t *testing.T) {
	a := imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "s:1"))
	bad := imagetest.WriteTemp(t, "bad.tar", []byte("this is not an archive"))
	for _, args := range [][]string{
		{"diff", a},
		{"diff", a, bad},
		{"diff", "-", "-"},
		{"diff", "--format", "xml", a, a},
	} {
		r := runStrata(t, "", nil, false, args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("%q: code %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if r := runStrata(t, "", nil, false, "diff", a, bad); !strings.Contains(r.stderr, bad) {
		t.Errorf("the error does not name %s: %q", bad, r.stderr)
	}
}
