package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestFixCommand(t *testing.T) {
	dir := t.TempDir()
	src := "FROM debian:bookworm-slim\nUSER nobody\nexpose 8080/TCP\nCMD [\"app\"]\n"
	p := writeFile(t, dir, "Dockerfile", src)

	r := runStrata(t, "", nil, false, "fix", p)
	if r.code != 0 || !strings.Contains(r.stdout, "-expose 8080/TCP") || !strings.Contains(r.stdout, "+EXPOSE 8080/tcp") {
		t.Fatalf("diff: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if data, _ := os.ReadFile(p); string(data) != src {
		t.Fatal("printing a diff must not change the file")
	}

	out := filepath.Join(dir, "Dockerfile.fixed")
	if r = runStrata(t, "", nil, false, "fix", "--output", out, p); r.code != 0 {
		t.Fatalf("--output: code %d %s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(out); !strings.Contains(string(data), "EXPOSE 8080/tcp") {
		t.Fatalf("--output wrote %q", data)
	}

	if r = runStrata(t, "", nil, false, "fix", "--write", "--explain", p); r.code != 0 || !strings.Contains(r.stderr, "ExposeProtoCasing") {
		t.Fatalf("--write: code %d %s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(p); !strings.Contains(string(data), "EXPOSE 8080/tcp") {
		t.Fatalf("--write left %q", data)
	}
	if r = runStrata(t, "", nil, false, "fix", p); r.code != 0 || r.stdout != "" {
		t.Fatalf("fix of fixed output must print nothing: %q", r.stdout)
	}

	if r = runStrata(t, src, nil, false, "fix", "--output", "-", "-"); r.code != 0 || !strings.Contains(r.stdout, "EXPOSE 8080/tcp") {
		t.Fatalf("stdin to stdout: code %d %q", r.code, r.stdout)
	}
}

func TestFixBadInput(t *testing.T) {
	dir := t.TempDir()
	broken := "FROM a\nRUN <<EOF\nnever ends\n"
	p := writeFile(t, dir, "Dockerfile", broken)
	if r := runStrata(t, "", nil, false, "fix", "--write", p); r.code != 2 || !strings.Contains(r.stderr, p) {
		t.Fatalf("unparseable: code %d %q", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(p); string(data) != broken {
		t.Fatal("unparseable file was changed")
	}
	ro := writeFile(t, dir, "ro/Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nEXPOSE 80/TCP\nCMD [\"x\"]\n")
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	if r := runStrata(t, "", nil, false, "fix", "--write", ro); r.code != 2 || !strings.Contains(r.stderr, "read-only") {
		t.Fatalf("read-only: code %d %q", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(ro); !strings.Contains(string(data), "80/TCP") {
		t.Fatal("read-only file was changed")
	}
	if r := runStrata(t, "", nil, false, "fix", "--write", "--output", "x", p); r.code != 2 {
		t.Fatalf("--write with --output: code %d", r.code)
	}
}

func TestLintFix(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nEXPOSE 80/TCP\nCMD [\"x\"]\n")
	r := runStrata(t, "", nil, false, "lint", "--fix", p)
	if r.code != 0 || strings.Contains(r.stdout, "ExposeProtoCasing") {
		t.Fatalf("lint --fix: code %d\n%s", r.code, r.stdout)
	}
	if data, _ := os.ReadFile(p); !strings.Contains(string(data), "80/tcp") {
		t.Fatalf("lint --fix did not write: %q", data)
	}
}

// TestFixDiffApplies applies the diff `strata fix --unsafe` prints, with
// git apply from the working directory, and wants the result of --write:
// the Dockerfile fixed and the .dockerignore created beside it.
func TestFixDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is needed to apply the diff: %v", err)
	}
	example, err := filepath.Abs(filepath.Join("..", "..", "examples", "go"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	for _, d := range []string{"patched", "written"} {
		if err := os.CopyFS(filepath.Join(work, d), os.DirFS(example)); err != nil {
			t.Fatal(err)
		}
		// A local .env the build must not send: the fix writes a
		// .dockerignore for it.
		if err := os.WriteFile(filepath.Join(work, d, ".env"), []byte("API_TOKEN=local-secret\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// A checkout: the .dockerignore leaves its history out.
		writeFile(t, filepath.Join(work, d, ".git"), "HEAD", "ref: refs/heads/main\n")
	}
	t.Chdir(work)
	r := runStrata(t, "", nil, false, "fix", "--unsafe", "patched/Dockerfile")
	if r.code != 0 && r.code != 1 {
		t.Fatalf("fix: code %d %s", r.code, r.stderr)
	}
	for _, want := range []string{"--- a/patched/Dockerfile\n", "+++ b/patched/.dockerignore\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("diff lacks %q:\n%s", want, r.stdout)
		}
	}
	apply := exec.Command("git", "apply", "-")
	apply.Stdin = strings.NewReader(r.stdout)
	if out, err := apply.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\ndiff:\n%s", err, out, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "fix", "--unsafe", "--write", "written/Dockerfile"); r.code != 0 && r.code != 1 {
		t.Fatalf("fix --write: code %d %s", r.code, r.stderr)
	}
	for _, name := range []string{"Dockerfile", ".dockerignore"} {
		got, err := os.ReadFile(filepath.Join("patched", name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("written", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s from the applied diff:\n%s\nfrom --write:\n%s", name, got, want)
		}
	}
}

// TestFixExplainSaysWhatItDeclined: --explain lists the findings whose fix
// was not offered, with the rule's reason, so a fixed file that still has
// findings says why.
func TestFixExplainSaysWhatItDeclined(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "Dockerfile", "FROM debian:bookworm-slim\nRUN echo start && cd /opt && make\nUSER nobody\nCMD [\"app\"]\n")
	r := runStrata(t, "", nil, false, "fix", "--explain", p)
	if r.code > 1 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"not fixed", "line 2", "DL3003", "the cd is not the RUN's first command"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--explain does not say %q:\n%s", want, r.stderr)
		}
	}
}
