package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/testenv"
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
	if got := versionText(nil, false); got != Version {
		t.Errorf("versionText without build information = %q, want %q", got, Version)
	}
}

// TestVersionFromBuildInfo builds strata and strata-lint with version
// control stamping and checks that --version names the commit the Go
// toolchain recorded: HEAD in a clone. The toolchain stamps nothing in a
// git worktree (whose .git is a file), and they then say so.
func TestVersionFromBuildInfo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds strata and strata-lint")
	}
	root := testenv.ModuleRoot(t)
	top, err := exec.Command("git", "-C", root, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("git: %v (the test runs in strata's repository)", err)
	}
	fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git"))
	if err != nil {
		t.Fatal(err)
	}
	head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"strata", "strata-lint"} {
		bin := filepath.Join(t.TempDir(), name)
		build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/"+name)
		build.Dir = root
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
		if !strings.HasPrefix(got, name+" version (devel) (") && !strings.HasPrefix(got, name+" version v0.0.0-") || !strings.Contains(got, "go1.") {
			t.Errorf("%s --version = %q", name, got)
		}
		if !fi.IsDir() {
			if !strings.Contains(got, "commit unknown") {
				t.Errorf("in a worktree: %s --version = %q, want commit unknown", name, got)
			}
			continue
		}
		if want := "commit " + strings.TrimSpace(string(head)); !strings.Contains(got, want) {
			t.Errorf("%s --version = %q, want %q", name, got, want)
		}
	}
}
