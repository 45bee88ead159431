package estimatetest

import (
	"flag"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the recorded fixtures under internal/estimate/testdata")

// TestFixtures checks that the recorded sources in testdata are what
// Generate makes (run with -update to rewrite them), and that generating
// twice gives the same bytes.
func TestFixtures(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	diff, err := Sync(dir, *update)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff) > 0 && !*update {
		t.Fatalf("the recorded fixtures are stale (go test ./internal/estimate/estimatetest -update): %v", diff)
	}
	a, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	for p := range a {
		if string(a[p]) != string(b[p]) {
			t.Errorf("%s differs between two runs of Generate", p)
		}
	}
}
