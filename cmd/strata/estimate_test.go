package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// An image FROM scratch needs no network, engine or cache: its estimate
// is the context's files, exactly.
func TestEstimateCommand(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	df := writeFile(t, dir, "Dockerfile", "FROM scratch\nCOPY . /app/\nCOPY app.bin /bin/app\n")
	writeFile(t, dir, "app.bin", strings.Repeat("x", 4000))
	writeFile(t, dir, ".dockerignore", "junk/\n")
	writeFile(t, dir, "junk/big", strings.Repeat("y", 100000))
	// COPY . takes the Dockerfile, .dockerignore and app.bin; the second
	// COPY app.bin again.
	want := int64(len("FROM scratch\nCOPY . /app/\nCOPY app.bin /bin/app\n") + len("junk/\n") + 4000 + 4000)

	for _, args := range [][]string{{dir}, {df}, {"-f", df, dir}} {
		r := runStrata(t, "", nil, false, append([]string{"estimate", "--offline", "--format", "json"}, args...)...)
		if r.code != 0 {
			t.Fatalf("estimate %v: exit %d\n%s", args, r.code, r.stderr)
		}
		var e struct {
			Image      struct{ Low, Expected, High int64 }
			Confidence string
			Stages     []struct{ Steps []struct{ Line int } }
		}
		if err := json.Unmarshal([]byte(r.stdout), &e); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, r.stdout)
		}
		if e.Image.Expected != want || e.Image.Low != want || e.Image.High != want || e.Confidence != "exact" || len(e.Stages) != 1 || len(e.Stages[0].Steps) != 3 {
			t.Errorf("estimate %v: %+v, want exactly %d", args, e, want)
		}
	}
	r := runStrata(t, "", nil, false, "estimate", "--offline", dir)
	if r.code != 0 || !strings.Contains(r.stdout, "expected image size") || !strings.Contains(r.stdout, "(exact)") {
		t.Errorf("text report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestEstimateBadInput(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	df := writeFile(t, dir, "Dockerfile", "FROM scratch\nCOPY a /a\n")
	bad := writeFile(t, dir, "bad.Dockerfile", "FROM scratch\nRUN <<EOF\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(dir, "missing")}, "missing"},
		{[]string{"--base-size", "lots", dir}, "--base-size"},
		{[]string{"--format", "xml", dir}, "--format"},
		{[]string{"--platform", "windows/amd64", dir}, "--platform"},
		{[]string{"--timeout", "0s", dir}, "--timeout"},
		{[]string{bad}, "bad.Dockerfile"},
		{[]string{"-f", df, df}, "--file"},
		{[]string{"--context", filepath.Join(dir, "nope"), df}, "nope"},
	} {
		r := runStrata(t, "", nil, false, append([]string{"estimate", "--offline"}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("estimate %v: exit %d, stderr %q; want 2 naming %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// fix --estimate and fix --explain print the expected size before and
// after.
func TestFixEstimate(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	p := writeFile(t, dir, "Dockerfile", "FROM scratch\nADD app.bin /app\nCMD [\"/app\"]\n")
	writeFile(t, dir, "app.bin", strings.Repeat("x", 4000))
	for _, flag := range []string{"--estimate", "--explain"} {
		r := runStrata(t, "", nil, false, "fix", flag, p)
		if !strings.Contains(r.stderr, "image size: expected 4.00 kB → 4.00 kB (±0%)") {
			t.Errorf("fix %s: exit %d, stderr:\n%s", flag, r.code, r.stderr)
		}
	}
}
