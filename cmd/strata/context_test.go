package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func contextDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", "FROM busybox\nCOPY requirements.txt /app/\nRUN cat /app/requirements.txt\nCOPY . /app/\n")
	writeFile(t, dir, "requirements.txt", "flask\n")
	writeFile(t, dir, "app.py", "print(1)\n")
	writeFile(t, dir, ".git/HEAD", strings.Repeat("x", 2000))
	writeFile(t, dir, ".env", "PASSWORD=hunter2\n")
	return dir
}

func TestContextCommand(t *testing.T) {
	dir := contextDir(t)
	r := runStrata(t, "", nil, false, "context", dir)
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"BuildKit sends", "Top folders", ".git", "version control", ".env", "Suggested ignore file", "+.git"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "hunter2") {
		t.Error("the secret's content is printed")
	}
	r = runStrata(t, "", nil, false, "context", "--format", "json", "--max-context-size", "1kB", dir)
	if r.code != 1 {
		t.Fatalf("gate: code %d, want 1 (stderr %s)", r.code, r.stderr)
	}
	var rep struct {
		Sent struct {
			Bytes    int64 `json:"bytes"`
			Transfer int64 `json:"transfer_bytes"`
		} `json:"sent"`
		Gate struct{ Exceeded bool } `json:"gate"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	if !rep.Gate.Exceeded || rep.Sent.Bytes < 2000 || rep.Sent.Transfer <= rep.Sent.Bytes {
		t.Errorf("JSON report %+v", rep)
	}
	if r := runStrata(t, "", nil, false, "context", "--max-context-size", "1GB", dir); r.code != 0 || !strings.Contains(r.stdout, "gate passed") {
		t.Errorf("gate within the limit: code %d\n%s", r.code, r.stdout)
	}
}

func TestContextAndCacheBadInput(t *testing.T) {
	dir := contextDir(t)
	outside := writeFile(t, t.TempDir(), "Dockerfile", "FROM busybox\n")
	bad := t.TempDir()
	writeFile(t, bad, "Dockerfile", "FROM busybox\nCOPY . /\n")
	writeFile(t, bad, ".dockerignore", "ok\n[z-a\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"context", filepath.Join(dir, "app.py")}, "is not a directory"},
		{[]string{"context", filepath.Join(dir, "missing")}, "no such file"},
		{[]string{"context", "-f", outside, dir}, "outside the build context"},
		{[]string{"context", bad}, "line 2"},
		{[]string{"context", "--max-context-size", "lots", dir}, "--max-context-size"},
		{[]string{"cache", "-f", outside, dir}, "outside the build context"},
		{[]string{"cache", "--since", "HEAD~1", dir}, "not in a git repository"},
		{[]string{"cache", "--changed", "/etc/passwd", dir}, "not inside the build context"},
		{[]string{"cache", "--changed", "Dockerfile", dir}, "cannot tell what they were before"},
		{[]string{"cache", "--no-cache-filter", "nope", dir}, "no stage of that name"},
		{[]string{"cache", "--target", "nope", dir}, `no build stage named "nope"`},
	} {
		r := runStrata(t, "", nil, false, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: code %d, stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

func TestCacheCommand(t *testing.T) {
	dir := contextDir(t)
	r := runStrata(t, "", nil, false, "cache", "--changed", "app.py", dir)
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"line 4 `COPY . /app/` takes app.py, which changed → this step rebuilds", "1 of 3 steps rebuild, 2 from the cache"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runStrata(t, "", nil, false, "cache", "--format", "json", "--changed", filepath.Join(dir, "requirements.txt"), dir)
	var rep struct {
		Total, Rebuilt int
		Steps          []struct{ Status string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Total != 3 || rep.Rebuilt != 3 {
		t.Errorf("JSON: %v %+v\n%s", err, rep, r.stdout)
	}
}

// --since reads the changes, and the Dockerfile as it was, from git.
func TestCacheSince(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", "FROM busybox\nCOPY requirements.txt /app/\nRUN cat /app/requirements.txt\nCOPY . /app/\n")
	writeFile(t, dir, "requirements.txt", "flask\n")
	writeFile(t, dir, "app.py", "print(1)\n")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %q: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", "Dockerfile", "requirements.txt", "app.py")
	git("commit", "-qm", "one")
	writeFile(t, dir, "Dockerfile", "# a comment\nFROM busybox\nCOPY requirements.txt /app/\nRUN cat /app/requirements.txt\nCOPY . /app/\n")
	r := runStrata(t, "", nil, false, "cache", "--since", "HEAD", dir)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	// The comment changes no step, but COPY . sends the Dockerfile.
	if !strings.Contains(r.stdout, "takes Dockerfile, which changed") || !strings.Contains(r.stdout, "1 of 3 steps rebuild") {
		t.Errorf("output:\n%s", r.stdout)
	}
	if r := runStrata(t, "", nil, false, "cache", "--since", "nope", dir); r.code != 2 || !strings.Contains(r.stderr, "no such revision") {
		t.Errorf("unknown revision: code %d, %s", r.code, r.stderr)
	}
}
