package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionText(info, true), "v1.2.3 (commit 0123456789abcdef0123456789abcdef01234567 with local changes, 2026-01-02T03:04:05Z, go1.26.8)"; got != want {
		t.Errorf("versionText = %q, want %q", got, want)
	}
	info.Settings = nil
	info.Main.Version = "(devel)"
	if got, want := versionText(info, true), "(devel) (commit unknown (built without version control information), go1.26.8)"; got != want {
		t.Errorf("versionText = %q, want %q", got, want)
	}
	if got := versionText(nil, false); got != version {
		t.Errorf("versionText without build information = %q, want %q", got, version)
	}
}

// TestVersionFromBuildInfo builds strata with version control stamping
// and checks that --version names the commit the Go toolchain recorded:
// HEAD in a clone. The toolchain stamps nothing in a git worktree (whose
// .git is a file), and strata then says so.
func TestVersionFromBuildInfo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds strata")
	}
	bin := filepath.Join(t.TempDir(), "strata")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(string(out))
	// The module version is "(devel)", or in a clean clone the
	// pseudo-version the toolchain derives from the commit.
	if !strings.HasPrefix(got, "strata version (devel) (") && !strings.HasPrefix(got, "strata version v0.0.0-") || !strings.Contains(got, "go1.") {
		t.Errorf("strata --version = %q", got)
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git: %v (the test runs in strata's repository)", err)
	}
	fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git"))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() {
		if !strings.Contains(got, "commit unknown") {
			t.Errorf("in a worktree: strata --version = %q, want commit unknown", got)
		}
		return
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "commit " + strings.TrimSpace(string(head)); !strings.Contains(got, want) {
		t.Errorf("strata --version = %q, want %q", got, want)
	}
}
