package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanCompareSides(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a/Dockerfile", "FROM busybox\n")
	b := write(t, dir, "b/build.Dockerfile", "FROM busybox\nRUN true\n")
	ctxDir := filepath.Join(dir, "ctx")
	if err := os.Mkdir(ctxDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		contextDir string
		fix        bool
		wantA      Side
		wantB      Side
	}{
		{"two files", []string{a, b}, "", false,
			Side{Label: "A", Dockerfile: a, Context: filepath.Join(dir, "a")},
			Side{Label: "B", Dockerfile: b, Context: filepath.Join(dir, "b")}},
		{"a directory means its Dockerfile", []string{filepath.Join(dir, "a"), b}, "", false,
			Side{Label: "A", Dockerfile: a, Context: filepath.Join(dir, "a")},
			Side{Label: "B", Dockerfile: b, Context: filepath.Join(dir, "b")}},
		{"--context for both", []string{a, b}, ctxDir, false,
			Side{Label: "A", Dockerfile: a, Context: ctxDir},
			Side{Label: "B", Dockerfile: b, Context: ctxDir}},
		{"no such file is an image", []string{"busybox:latest", a}, "", false,
			Side{Label: "A", Image: "busybox:latest"},
			Side{Label: "B", Dockerfile: a, Context: filepath.Join(dir, "a")}},
		{"--fix", []string{filepath.Join(dir, "a")}, "", true,
			Side{Label: "A", Dockerfile: a, Context: filepath.Join(dir, "a")}, Side{}},
		{"--fix with --context", []string{b}, ctxDir, true,
			Side{Label: "A", Dockerfile: b, Context: ctxDir}, Side{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := PlanCompare(tt.args, tt.contextDir, tt.fix)
			if err != nil {
				t.Fatal(err)
			}
			if p.A != tt.wantA || p.B != tt.wantB || p.Fix != tt.fix {
				t.Errorf("plan %+v\nwant A %+v\n     B %+v", p, tt.wantA, tt.wantB)
			}
		})
	}
}

// TestPlanCompareBadInput: everything refused before the Engine is asked
// is a vocab.InputError that names the problem.
func TestPlanCompareBadInput(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "Dockerfile", "FROM busybox\n")
	tests := []struct {
		name       string
		args       []string
		contextDir string
		fix        bool
		want       string
	}{
		{"unknown instruction in B", []string{good, write(t, dir, "bad1", "FROM busybox\nFOO bar\n")}, "", false, "bad1:2: unknown instruction: FOO"},
		{"no FROM in A", []string{write(t, dir, "bad2", "RUN echo hi\n"), good}, "", false, "bad2: no FROM instruction"},
		{"empty file", []string{write(t, dir, "bad3", ""), good}, "", false, "bad3"},
		{"directory without a Dockerfile", []string{t.TempDir(), good}, "", false, "Dockerfile: no such file"},
		{"missing context", []string{good, good}, filepath.Join(dir, "nope"), false, "build context " + filepath.Join(dir, "nope") + ": no such file"},
		{"context is a file", []string{good, good}, good, false, "is not a directory"},
		{"one side", []string{good}, "", false, "two Dockerfiles or images"},
		{"three sides", []string{good, good, good}, "", false, "got 3 argument(s)"},
		{"--fix with two", []string{good, good}, "", true, "one Dockerfile"},
		{"--fix missing file", []string{filepath.Join(dir, "missing")}, "", true, "missing: no such file"},
		{"--fix bad Dockerfile", []string{write(t, dir, "bad4", "FROM busybox\nCOPY\n")}, "", true, "bad4:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := PlanCompare(tt.args, tt.contextDir, tt.fix)
			if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PlanCompare = %+v, %v; want an input error with %q", p, err, tt.want)
			}
		})
	}
}

func TestChecks(t *testing.T) {
	dir := t.TempDir()
	df := write(t, dir, "Dockerfile", "FROM busybox\n")
	if err := CheckDockerfile(df); err != nil {
		t.Errorf("CheckDockerfile(good) = %v", err)
	}
	if err := CheckDockerfile(dir); !vocab.IsInput(err) || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("CheckDockerfile(dir) = %v", err)
	}
	if err := CheckContext(dir); err != nil {
		t.Errorf("CheckContext(dir) = %v", err)
	}
	if got := DockerfileArg(dir); got != df {
		t.Errorf("DockerfileArg(dir) = %q, want %q", got, df)
	}
	if got := DockerfileArg("busybox:latest"); got != "busybox:latest" {
		t.Errorf("DockerfileArg(image) = %q", got)
	}
}

// TestSameTouch: the two sides of a comparison change the same file,
// never .git, even when one side sends .git (no .dockerignore) and the
// other does not (strata fix added one).
func TestSameTouch(t *testing.T) {
	write := func(dir string, files map[string]string) {
		for p, body := range files {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	a, b := t.TempDir(), t.TempDir()
	app := map[string]string{".git/HEAD": "ref: refs/heads/main\n", "server.py": "print(1)\n", "helper.py": "x = 1\n", "README.md": "hi\n"}
	write(a, app)
	write(a, map[string]string{"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD [\"python\", \"server.py\"]\n"})
	write(b, app)
	write(b, map[string]string{".dockerignore": ".git\n", "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app/\nCMD [\"python\", \"server.py\"]\n"})
	sa := Side{Label: "A", Dockerfile: filepath.Join(a, "Dockerfile"), Context: a}
	sb := Side{Label: "B", Dockerfile: filepath.Join(b, "Dockerfile"), Context: b}
	got, err := SameTouch(sa, sb, "")
	if err != nil || got != "server.py" {
		t.Fatalf("SameTouch = %q, %v; want server.py", got, err)
	}
	// B copies only the helper: the file both send.
	write(b, map[string]string{"Dockerfile": "FROM python:3.12-slim\nCOPY helper.py /app/\nCMD [\"python\", \"/app/helper.py\"]\n"})
	if got, err := SameTouch(sa, sb, ""); err != nil || got != "helper.py" {
		t.Fatalf("SameTouch = %q, %v; want helper.py", got, err)
	}
	// Nothing in common.
	write(b, map[string]string{"Dockerfile": "FROM busybox\nRUN true\n"})
	if got, err := SameTouch(sa, sb, ""); err != nil || got != "" {
		t.Fatalf("SameTouch = %q, %v; want none", got, err)
	}
}
