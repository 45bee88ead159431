package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLintKeepsGoing checks that a file strata cannot parse does not stop
// the others, in every output format: its error is on standard error with
// the file and line, the other files are reported in one valid document,
// and the exit status is 2.
func TestLintKeepsGoing(t *testing.T) {
	dir := t.TempDir()
	first := writeFile(t, dir, "a/Dockerfile", shellCmd)
	bad := writeFile(t, dir, "b/Dockerfile", "FROM alpine:3.21\nRUN <<EOF\necho never closed\n")
	last := writeFile(t, dir, "c/Dockerfile", "FROM alpine:3.21\nUSER nobody\nENV A 1\nCMD [\"true\"]\n")
	missing := dir + "/d/Dockerfile"
	for _, format := range []string{"text", "json", "sarif", "checkstyle", "gitlab", "github"} {
		t.Run(format, func(t *testing.T) {
			r := runStrata(t, "", nil, false, "lint", "--format", format, first, bad, last, missing)
			if r.code != 2 {
				t.Fatalf("code %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			for _, want := range []string{bad + ":2: unterminated heredoc", missing + ": "} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr %q should name %q", r.stderr, want)
				}
			}
			if strings.Contains(r.stderr, first) || strings.Contains(r.stderr, last) {
				t.Errorf("stderr names a good file: %q", r.stderr)
			}
			for _, f := range []string{first, last} {
				if !strings.Contains(r.stdout, f) {
					t.Errorf("the report leaves out %s", f)
				}
			}
			if strings.Contains(r.stdout, bad) || strings.Contains(r.stdout, missing) {
				t.Errorf("a file that could not be linted is in the report")
			}
			if !strings.Contains(r.stdout, "DL3025") || !strings.Contains(r.stdout, "LegacyKeyValueFormat") {
				t.Errorf("findings of the good files missing")
			}
			if format == "json" || format == "sarif" || format == "gitlab" {
				var v any
				if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
					t.Errorf("%s output is not one JSON document: %v", format, err)
				}
			}
		})
	}

	// Only good files: the usual status; a bad one alone: 2 and its error.
	if r := runStrata(t, "", nil, false, "lint", first, last); r.code != 1 || r.stderr != "" {
		t.Errorf("good files: code %d, stderr %q", r.code, r.stderr)
	}
	if r := runStrata(t, "", nil, false, "lint", "--format", "json", bad); r.code != 2 || !strings.Contains(r.stderr, bad+":2:") {
		t.Errorf("bad file alone: code %d, stderr %q", r.code, r.stderr)
	}

	// --fix fixes the files it can and reports the one it cannot.
	r := runStrata(t, "", nil, false, "lint", "--fix", first, bad, last)
	if r.code != 2 || !strings.Contains(r.stderr, bad+":2:") || !strings.Contains(r.stdout, last) {
		t.Errorf("--fix: code %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}
}
