// Package reporttest holds what the tests of strata's renderers
// (internal/report and the packages under it) share: golden files, pages
// filled with hostile strings, and the SARIF 2.1.0 schema.
package reporttest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Golden compares got with testdata/golden/NAME.golden of the package
// under test; with -update it writes got there instead.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("differs from %s (run go test -update to accept):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// Output is one rendering compared with its golden file: Write renders
// into the buffer; a Name ending in "json" must also be valid JSON.
type Output struct {
	Name  string
	Write func(*bytes.Buffer) error
}

// Goldens runs each output as a subtest named after it and compares it
// with its golden file (see Golden).
func Goldens(t *testing.T, outputs []Output) {
	t.Helper()
	for _, o := range outputs {
		t.Run(o.Name, func(t *testing.T) {
			var b bytes.Buffer
			if err := o.Write(&b); err != nil {
				t.Fatal(err)
			}
			got := b.Bytes()
			if strings.HasSuffix(o.Name, "json") && !json.Valid(got) {
				t.Fatalf("not JSON:\n%s", got)
			}
			Golden(t, o.Name, got)
		})
	}
}
