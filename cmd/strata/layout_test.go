package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommandFilesStaySmall keeps cmd/ (strata, strata-lint and the
// commands they share in cmd/internal/cli) to flags, wiring and exit
// codes: a file that grows past 250 lines holds work that belongs in a
// library package under internal/.
func TestCommandFilesStaySmall(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../*/*.go", "../internal/*/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 30 {
		t.Fatalf("listing cmd/: %d files, want the commands of strata and strata-lint", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(data, []byte("\n")); n > 250 {
			t.Errorf("%s has %d lines; files under cmd/ stay under 250 (move the logic into internal/)", f, n)
		}
	}
}
