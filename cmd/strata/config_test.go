package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigWarnings lints with a .hadolint.yaml that has a typo in a key
// and an unknown rule: both are warnings on standard error naming the
// file, line and key (once, however many files are linted), and errors
// with --strict-config. Known codes (aliases, ShellCheck's) are not
// warnings.
func TestConfigWarnings(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, ".hadolint.yaml", "ignoredd:\n  - DL3008\nignored: [DL9999, SC2086, JSONArgsRecommended]\n")
	df := writeFile(t, dir, "Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nCMD [\"app\"]\n")
	df2 := writeFile(t, dir, "Dockerfile.2", "FROM debian:bookworm-slim\nUSER nobody\nCMD [\"app\"]\n")
	r := runStrata(t, "", nil, false, "lint", df, df2)
	want := "strata: warning: " + cfg + ":1: unknown key \"ignoredd\" (did you mean \"ignored\"?)\n" +
		"strata: warning: " + cfg + ":3: ignored: unknown rule \"DL9999\"\n"
	if r.code != 0 || r.stderr != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant:\n%s", r.code, r.stderr, want)
	}
	r = runStrata(t, "", nil, false, "lint", "--strict-config", df)
	if r.code != 2 || !strings.Contains(r.stderr, cfg+":1: unknown key") || !strings.Contains(r.stderr, "--strict-config") {
		t.Fatalf("--strict-config: exit %d, stderr %q", r.code, r.stderr)
	}
	if r = runStrata(t, "", nil, false, "fix", "--strict-config", df); r.code != 2 {
		t.Fatalf("fix --strict-config: exit %d", r.code)
	}
}

// TestThresholdErrorsNameTheirSource gives an unknown severity as the
// failure threshold in the configuration file and on the command line:
// the message says which.
func TestThresholdErrorsNameTheirSource(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, ".strata.yaml", "# thresholds\nfailure-threshold: fatal\nseverity:\n  DL3008: loud\n")
	df := writeFile(t, dir, "Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nCMD [\"app\"]\n")
	r := runStrata(t, "", nil, false, "lint", "--severity", "DL3008=error", df)
	if r.code != 2 || !strings.Contains(r.stderr, cfg+":4: severity: rule DL3008: unknown severity \"loud\"") {
		t.Fatalf("severity in the file: exit %d, %q", r.code, r.stderr)
	}
	writeFile(t, dir, ".strata.yaml", "# thresholds\nfailure-threshold: fatal\n")
	r = runStrata(t, "", nil, false, "lint", df)
	if r.code != 2 || !strings.Contains(r.stderr, cfg+":2: failure-threshold: unknown severity \"fatal\"") {
		t.Fatalf("threshold in the file: exit %d, %q", r.code, r.stderr)
	}
	r = runStrata(t, "", nil, false, "lint", "--config", filepath.Join(dir, "none.yaml"), "--failure-threshold", "loud", df)
	if r.code != 2 {
		t.Fatalf("missing config: exit %d", r.code)
	}
	writeFile(t, dir, ".strata.yaml", "\n")
	r = runStrata(t, "", nil, false, "lint", "-t", "loud", df)
	if r.code != 2 || !strings.Contains(r.stderr, "--failure-threshold: unknown severity \"loud\"") {
		t.Fatalf("threshold flag: exit %d, %q", r.code, r.stderr)
	}
}
