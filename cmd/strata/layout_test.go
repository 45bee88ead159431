package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommandFilesStaySmall keeps cmd/strata to flags, wiring and exit
// codes: a file that grows past 250 lines holds work that belongs in a
// library package under internal/.
func TestCommandFilesStaySmall(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("listing cmd/strata: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(data, []byte("\n")); n > 250 {
			t.Errorf("%s has %d lines; cmd/strata files stay under 250 (move the logic into internal/)", f, n)
		}
	}
}
