package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/cmd/internal/cli"
)

// result is what one strata invocation produced.
type result struct {
	code           int
	stdout, stderr string
}

// runStrata runs the command line in-process with the given standard
// input, environment and terminal answer.
func runStrata(t *testing.T, stdin string, env map[string]string, tty bool, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &cli.App{
		Stdin:      strings.NewReader(stdin),
		Stdout:     &out,
		Stderr:     &errb,
		IsTerminal: func(io.Writer) bool { return tty },
		Getenv:     func(k string) string { return env[k] },
	}
	code := run(context.Background(), a, args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const shellCmd = "FROM debian:bookworm-slim\nUSER nobody\nCMD python3 app.py\n"

func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "Dockerfile", shellCmd)
	good := writeFile(t, dir, "good/Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nCMD [\"python3\", \"app.py\"]\n")

	if r := runStrata(t, "", nil, false, "lint", bad); r.code != 1 || !strings.Contains(r.stdout, "DL3025") {
		t.Fatalf("finding: code %d, stdout %q", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "lint", "--failure-threshold", "error", bad); r.code != 0 {
		t.Fatalf("threshold error: code %d", r.code)
	}
	if r := runStrata(t, "", nil, false, "lint", "--no-fail", bad); r.code != 0 {
		t.Fatalf("--no-fail: code %d", r.code)
	}
	if r := runStrata(t, "", nil, false, "lint", "--ignore", "JSONArgsRecommended", bad); r.code != 0 || strings.Contains(r.stdout, "DL3025") {
		t.Fatalf("--ignore by alias: code %d, stdout %q", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "lint", "--severity", "DL3025=info", bad); r.code != 0 || !strings.Contains(r.stdout, "info DL3025") {
		t.Fatalf("--severity: code %d, stdout %q", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "lint", "--error", "DL3025", "--failure-threshold", "error", bad); r.code != 1 {
		t.Fatalf("--error: code %d", r.code)
	}
	if r := runStrata(t, "", nil, false, "lint", good); r.code != 0 {
		t.Fatalf("good file: code %d, stdout %q", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "lint", good, bad); r.code != 1 || !strings.Contains(r.stdout, bad) {
		t.Fatalf("two files: code %d", r.code)
	}
}

func TestLintBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"lint", filepath.Join(dir, "nope")}, "nope"},
		{"directory", []string{"lint", dir}, "directory"},
		{"empty", []string{"lint", writeFile(t, dir, "empty", "")}, "empty"},
		{"binary", []string{"lint", writeFile(t, dir, "bin", "FROM a\n\x00\x00")}, "binary"},
		{"unterminated heredoc", []string{"lint", writeFile(t, dir, "hd", "FROM a\nRUN <<EOF\nx\n")}, "hd:2"},
		{"unknown format", []string{"lint", "--format", "yaml", writeFile(t, dir, "ok", shellCmd)}, "unknown format"},
		{"unknown flag", []string{"lint", "--frobnicate"}, "frobnicate"},
		{"bad severity", []string{"lint", "--severity", "DL3025=loud", writeFile(t, dir, "ok2", shellCmd)}, "loud"},
		{"bad config", []string{"lint", "--config", writeFile(t, dir, "c.yaml", "ignored: [x\n"), writeFile(t, dir, "ok3", shellCmd)}, "c.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runStrata(t, "", nil, false, c.args...)
			if r.code != 2 {
				t.Fatalf("code %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Fatalf("stderr %q should mention %q", r.stderr, c.want)
			}
		})
	}
}

func TestLintStdinAndJSON(t *testing.T) {
	r := runStrata(t, shellCmd, nil, false, "lint", "--format", "json", "-")
	if r.code != 1 {
		t.Fatalf("code %d stderr %q", r.code, r.stderr)
	}
	var doc struct {
		Findings  []map[string]any `json:"findings"`
		Checklist []struct {
			Item, Status string
		} `json:"checklist"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	if len(doc.Findings) == 0 || doc.Findings[0]["rule"] != "DL3025" || doc.Findings[0]["file"] != "-" {
		t.Fatalf("findings = %v", doc.Findings)
	}
	for _, k := range []string{"file", "rule", "aliases", "name", "severity", "category", "checklist", "line", "end_line", "column", "message", "fixable"} {
		if _, ok := doc.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	found := false
	for _, c := range doc.Checklist {
		if c.Item == "performance.exec_form" && c.Status == "fail" {
			found = true
		}
	}
	if !found {
		t.Fatalf("checklist lacks performance.exec_form: fail: %+v", doc.Checklist)
	}
}

func TestLintPragmasAndConfig(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\n# hadolint ignore=DL3025\nCMD python3 app.py\n")
	if r := runStrata(t, "", nil, false, "lint", p); r.code != 0 {
		t.Fatalf("hadolint pragma: code %d stdout %q", r.code, r.stdout)
	}
	p2 := writeFile(t, dir, "sub/Dockerfile", shellCmd)
	writeFile(t, dir, ".hadolint.yaml", "ignored: [DL3025]\n")
	if r := runStrata(t, "", nil, false, "lint", p2); r.code != 0 {
		t.Fatalf(".hadolint.yaml upwards: code %d stdout %q", r.code, r.stdout)
	}
	writeFile(t, dir, "sub/.strata.yaml", "severity:\n  DL3025: error\n")
	if r := runStrata(t, "", nil, false, "lint", p2); r.code != 1 || !strings.Contains(r.stdout, "error DL3025") {
		t.Fatalf(".strata.yaml wins: code %d stdout %q", r.code, r.stdout)
	}
	if r := runStrata(t, "", nil, false, "lint", "--severity", "DL3025=style", p2); r.code != 0 {
		t.Fatalf("flag over file: code %d", r.code)
	}
}

func TestColour(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "Dockerfile", shellCmd)
	if r := runStrata(t, "", nil, true, "lint", p); !strings.Contains(r.stdout, "\x1b[") {
		t.Fatal("terminal output should be coloured")
	}
	if r := runStrata(t, "", map[string]string{"NO_COLOR": "1"}, true, "lint", p); strings.Contains(r.stdout, "\x1b[") {
		t.Fatal("NO_COLOR must disable colour")
	}
	if r := runStrata(t, "", nil, false, "lint", p); strings.Contains(r.stdout, "\x1b[") {
		t.Fatal("non-terminal output must not be coloured")
	}
}

func TestRulesAndExplain(t *testing.T) {
	r := runStrata(t, "", nil, false, "rules")
	if r.code != 0 || !strings.Contains(r.stdout, "DL3025") || !strings.Contains(r.stdout, "JSONArgsRecommended") {
		t.Fatalf("rules: code %d\n%s", r.code, r.stdout)
	}
	r = runStrata(t, "", nil, false, "explain", "jsonargsrecommended")
	if r.code != 0 || !strings.Contains(r.stdout, "DL3025") || !strings.Contains(r.stdout, "Instead of:") {
		t.Fatalf("explain: code %d\n%s", r.code, r.stdout)
	}
	if strings.Contains(r.stdout, "Deviation from hadolint") {
		t.Errorf("explain DL3025 shows a deviation it does not have:\n%s", r.stdout)
	}
	r = runStrata(t, "", nil, false, "explain", "DL4006")
	if r.code != 0 || !strings.Contains(r.stdout, "Deviation from hadolint:") || !strings.Contains(r.stdout, "ONBUILD") {
		t.Fatalf("explain DL4006 lacks its deviation: code %d\n%s", r.code, r.stdout)
	}
	if r = runStrata(t, "", nil, false, "explain", "DL9999"); r.code != 2 {
		t.Fatalf("explain unknown: code %d", r.code)
	}
}

func TestRulesListsImageRules(t *testing.T) {
	r := runStrata(t, "", nil, false, "rules")
	if !strings.Contains(r.stdout, "SI030 (image)") {
		t.Fatalf("strata rules lacks the image rules:\n%s", r.stdout)
	}
	r = runStrata(t, "", nil, false, "explain", "SI030")
	if r.code != 0 || !strings.Contains(r.stdout, "strata image") || !strings.Contains(r.stdout, "security.non_root") {
		t.Fatalf("explain SI030: code %d\n%s", r.code, r.stdout)
	}
}
