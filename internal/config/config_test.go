package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindPrefersStrataOverHadolint(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	write(t, filepath.Join(root, ".strata.yaml"), "ignored: [DL3008]\n")
	write(t, filepath.Join(sub, ".hadolint.yaml"), "ignored: [DL3009]\n")
	got, err := Find(sub)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, ".strata.yaml"); got != want {
		t.Fatalf("Find = %q, want %q", got, want)
	}
}

func TestFindFallsBackToHadolint(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "x")
	write(t, filepath.Join(root, ".hadolint.yml"), "ignored: [DL3009]\n")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := Find(sub)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, ".hadolint.yml"); got != want {
		t.Fatalf("Find = %q, want %q", got, want)
	}
}

func TestLoadHadolintFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".hadolint.yaml")
	write(t, p, `failure-threshold: error
ignored:
  - DL3008
  - DL3005
override:
  error: [DL3015]
  info: [DL3059]
trustedRegistries:
  - docker.io
  - my.registry:5000
label-schema:
  author: text
strict-labels: true
`)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailureThreshold != "error" || len(c.Ignored) != 2 || c.Override.Error[0] != "DL3015" ||
		c.Override.Info[0] != "DL3059" || len(c.Trusted()) != 2 || c.LabelSchema["author"] != "text" || !c.StrictLabels {
		t.Fatalf("unexpected config: %+v", c)
	}
}

func TestLoadStrataFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".strata.yaml")
	write(t, p, `severity:
  DL3008: error
  JSONArgsRecommended: info
enable: [DL3026]
image:
  max-size: 200MB
  min-efficiency: 0.9
  max-wasted-percent: 10
  fail-on: error
  ignore: ["/var/log/**"]
`)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Severity["DL3008"] != "error" || c.Enable[0] != "DL3026" || c.Image.MaxSize != "200MB" ||
		c.Image.MinEfficiency == nil || *c.Image.MinEfficiency != 0.9 || *c.Image.MaxWastedPercent != 10 || c.Image.Ignore[0] != "/var/log/**" {
		t.Fatalf("unexpected config: %+v", c)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("missing file: want error")
	}
	bad := filepath.Join(dir, ".strata.yaml")
	write(t, bad, "ignored: [unclosed\n")
	_, err := Load(bad)
	if err == nil {
		t.Fatal("bad yaml: want error")
	}
	if got := err.Error(); !contains(got, bad) {
		t.Fatalf("error %q does not name the file", got)
	}
	empty := filepath.Join(dir, "empty.yaml")
	write(t, empty, "\n")
	if _, err := Load(empty); err != nil {
		t.Fatalf("empty file: %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
