package dockerignore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
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

func TestLoadPrefersDockerfileIgnore(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".dockerignore"), "a\n")
	write(t, filepath.Join(dir, "docker", "app.Dockerfile.dockerignore"), "b\n")
	df := filepath.Join(dir, "docker", "app.Dockerfile")
	write(t, df, "FROM scratch\n")
	m, err := Load(dir, df)
	if err != nil {
		t.Fatal(err)
	}
	if m.Path != df+".dockerignore" {
		t.Fatalf("Path = %q, want the Dockerfile's own ignore file", m.Path)
	}
	if ex, _ := m.Excluded("b", false); !ex {
		t.Error("b is not excluded by app.Dockerfile.dockerignore")
	}
	if ex, _ := m.Excluded("a", false); ex {
		t.Error("a is excluded although .dockerignore does not apply")
	}
	m, err = Load(dir, filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if ex, _ := m.Excluded("a", false); !ex || m.Path != filepath.Join(dir, ".dockerignore") {
		t.Errorf("plain Dockerfile: Path %q, a excluded %v", m.Path, ex)
	}
}

func TestExcluded(t *testing.T) {
	m, err := Parse(".dockerignore", []byte("# comment\n*\n!src\nsrc/**/*.log\n.git\nDockerfile\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		rel      string
		dir      bool
		ex, skip bool
	}{
		{"README.md", false, true, false},
		{"src/app.py", false, false, false},
		{"src/x/debug.log", false, true, false},
		{".dockerignore", false, true, false}, // BuildKit applies the patterns as written
		{"Dockerfile", false, true, false},
		{"node_modules", true, true, false}, // "!src" exists: a walk may not skip
	}
	for _, c := range cases {
		ex, skip := m.Excluded(c.rel, c.dir)
		if ex != c.ex || skip != c.skip {
			t.Errorf("Excluded(%q) = %v, %v; want %v, %v", c.rel, ex, skip, c.ex, c.skip)
		}
	}
	m, err = Parse(".dockerignore", []byte("node_modules\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ex, skip := m.Excluded("node_modules", true); !ex || !skip {
		t.Errorf("without exceptions an excluded directory is skipped: got %v, %v", ex, skip)
	}
	var none *Matcher
	if ex, _ := none.Excluded("x", false); ex || none.Active() {
		t.Error("a nil matcher excludes")
	}
}

func TestClassicKeepsBuildFiles(t *testing.T) {
	m, err := Parse(".dockerignore", []byte("*\n!src\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := m.Classic("docker/Dockerfile")
	for _, rel := range []string{".dockerignore", "docker/Dockerfile"} {
		if ex, _ := m.Excluded(rel, false); !ex {
			t.Errorf("BuildKit semantics: %s is sent although * excludes it", rel)
		}
		if ex, _ := c.Excluded(rel, false); ex {
			t.Errorf("classic semantics: %s is left out of the context tar", rel)
		}
	}
	if ex, _ := c.Excluded("README.md", false); !ex {
		t.Error("classic semantics: README.md is sent")
	}
	m, err = Parse(".dockerignore", []byte("node_modules\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Classic("Dockerfile"); len(c.Patterns) != 1 {
		t.Errorf("exceptions added although nothing excluded the build files: %q", c.Patterns)
	}
}

func TestBadPatternNamesLine(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".dockerignore"), "ok\n# fine\n[z-a\n")
	_, err := Load(dir, "")
	if err == nil {
		t.Fatal("an invalid pattern was accepted")
	}
	if !vocab.IsInput(err) {
		t.Errorf("error is not an InputError: %v", err)
	}
	if !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), ".dockerignore") {
		t.Errorf("error does not name the file and line: %v", err)
	}
}

func TestInContext(t *testing.T) {
	dir := t.TempDir()
	if got := InContext(dir, filepath.Join(dir, "a", "Dockerfile")); got != "a/Dockerfile" {
		t.Errorf("inside: %q", got)
	}
	if got := InContext(dir, filepath.Join(filepath.Dir(dir), "Dockerfile")); got != "" {
		t.Errorf("outside: %q", got)
	}
	if got := InContext(dir, "-"); got != "" {
		t.Errorf("stdin: %q", got)
	}
}
