package dist

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Entry    string   `yaml:"entry"`
	Language string   `yaml:"language"`
	Types    []string `yaml:"types"`
}

// TestPreCommitHooksFile checks the hooks' declarations.
func TestPreCommitHooksFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]hook{}
	for _, h := range hooks {
		ids[h.ID] = h
		if h.Language != "golang" || len(h.Types) != 1 || h.Types[0] != "dockerfile" || !strings.HasPrefix(h.Entry, "strata-lint ") || h.Name == "" {
			t.Errorf("hook %+v: want language golang, types [dockerfile] and a strata-lint entry", h)
		}
	}
	if len(ids) != 2 || ids["strata-lint"].ID == "" || ids["strata-fix"].ID == "" {
		t.Errorf("hooks %v, want strata-lint and strata-fix", hooks)
	}
}

// badDockerfile has findings at the default failure threshold that the
// safe fixes remove.
const badDockerfile = `FROM alpine:3.22
MAINTAINER someone@example.com
RUN apk add --no-cache curl=8.9.1-r0
USER nobody
CMD curl --version
`

// TestPreCommitHooks runs the hooks with Debian's pre-commit against a
// repository holding a bad Dockerfile: strata-lint fails, strata-fix
// rewrites the file, and strata-lint then passes. pre-commit builds
// strata from this repository (language golang: go install ./...).
func TestPreCommitHooks(t *testing.T) {
	preCommit := tool(t, "pre-commit", "pre-commit")
	tool(t, "git", "git")
	if testing.Short() {
		t.Skip("builds strata with pre-commit")
	}
	repo := t.TempDir()
	df := writeFile(t, repo, "Dockerfile", badDockerfile)
	writeFile(t, repo, "README.md", "not a Dockerfile\n")
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PRE_COMMIT_HOME=" + t.TempDir(),
		// pre-commit gives the hook environment its own GOPATH; the
		// modules come from the machine's cache instead of downloading
		// them again.
		"GOMODCACHE=" + strings.TrimSpace(string(modcache)),
		"GIT_AUTHOR_NAME=strata test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=strata test", "GIT_COMMITTER_EMAIL=test@example.com",
		"NO_COLOR=1",
	}
	git := func(args ...string) {
		t.Helper()
		if r := run(t, time.Minute, repo, env, nil, "git", args...); r.code != 0 {
			t.Fatalf("git %v: %s", args, r.stderr)
		}
	}
	git("init", "-q")
	git("add", "-A")
	try := func(hook string) result {
		t.Helper()
		return run(t, 20*time.Minute, repo, env, nil, preCommit, "try-repo", root(t), hook, "--all-files", "--color", "never")
	}

	r := try("strata-lint")
	if r.code != 1 || !strings.Contains(r.stdout, "DL4000") || !strings.Contains(r.stdout, "DL3025") || !strings.Contains(r.stdout, "Failed") {
		t.Fatalf("strata-lint on the bad Dockerfile: exit %d, want 1 with DL4000 and DL3025\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "README.md") {
		t.Errorf("strata-lint ran on README.md:\n%s", r.stdout)
	}

	r = try("strata-fix")
	if r.code != 1 || !strings.Contains(r.stdout, "files were modified by this hook") {
		t.Fatalf("strata-fix: exit %d, want 1 with the file modified\n%s%s", r.code, r.stdout, r.stderr)
	}
	got, err := os.ReadFile(df)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("MAINTAINER someone@example.com", `LABEL org.opencontainers.image.authors="someone@example.com"`,
		"CMD curl --version", `CMD ["curl", "--version"]`).Replace(badDockerfile)
	if string(got) != want {
		t.Errorf("after strata-fix:\n%s\nwant:\n%s", got, want)
	}
	git("add", "-A")

	if r = try("strata-lint"); r.code != 0 || !strings.Contains(r.stdout, "Passed") {
		t.Fatalf("strata-lint after the fix: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = try("strata-fix"); r.code != 0 || !strings.Contains(r.stdout, "Passed") {
		t.Errorf("strata-fix on the fixed file: exit %d, want 0 (nothing to change)\n%s%s", r.code, r.stdout, r.stderr)
	}
}
