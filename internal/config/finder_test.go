package config

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestFinderAgreesWithFind looks up every folder of a tree, in an order
// where later lookups reuse what earlier ones remembered, and compares
// each answer with the uncached walk.
func TestFinderAgreesWithFind(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "repo", ".strata.yml"), "ignored: [DL3008]\n")
	write(t, filepath.Join(root, "repo", "svc", "deep", ".hadolint.yaml"), "ignored: [DL3009]\n")
	write(t, filepath.Join(root, "other", "x", ".hadolint.yml"), "ignored: [DL3009]\n")
	dirs := []string{
		filepath.Join(root, "repo", "svc", "deep", "er"), // fills repo/svc/deep/er .. up
		filepath.Join(root, "repo", "svc"),
		filepath.Join(root, "repo", "svc", "deep"),
		filepath.Join(root, "other", "x", "y"),
		filepath.Join(root, "other", "x"),
		filepath.Join(root, "other"),
		filepath.Join(root, "third", "z"),
		root,
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		dirs[0]: filepath.Join(root, "repo", ".strata.yml"), // strata's, although hadolint's is nearer
		dirs[1]: filepath.Join(root, "repo", ".strata.yml"),
		dirs[2]: filepath.Join(root, "repo", ".strata.yml"),
		dirs[3]: filepath.Join(root, "other", "x", ".hadolint.yml"),
		dirs[4]: filepath.Join(root, "other", "x", ".hadolint.yml"),
	}
	f := NewFinder()
	for round := range 2 { // the second round answers from memory
		for _, d := range dirs {
			got, err := f.Find(d)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := Find(d)
			if err != nil {
				t.Fatal(err)
			}
			// Folders above the temporary folder may hold a file of the
			// machine's; both walks must agree on them all the same.
			if got != plain {
				t.Errorf("round %d: Finder.Find(%s) = %q, Find = %q", round, d, got, plain)
			}
			if w, ok := want[d]; ok && got != w {
				t.Errorf("round %d: Finder.Find(%s) = %q, want %q", round, d, got, w)
			}
		}
	}
}

// TestFinderLoadsForTheRun gives every caller, from several goroutines,
// the configuration read for the run, or the same error.
func TestFinderLoadsForTheRun(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, ".strata.yaml")
	write(t, good, "ignored: [DL3008]\n")
	f := NewFinder()
	var wg sync.WaitGroup
	cfgs := make([]*Config, 8)
	for i := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := f.Load(good)
			if err != nil {
				t.Error(err)
			}
			cfgs[i] = c
		}()
	}
	wg.Wait()
	if cfgs[0] == nil || len(cfgs[0].Ignored) != 1 || cfgs[0].Ignored[0] != "DL3008" {
		t.Fatalf("loaded %+v", cfgs[0])
	}
	// The file changes; the run's Finder keeps what it read.
	write(t, good, "ignored: [DL3009]\n")
	if c, _ := f.Load(good); len(c.Ignored) != 1 || c.Ignored[0] != "DL3008" {
		t.Errorf("Load read the file again: %v", c.Ignored)
	}
	missing := filepath.Join(dir, "none.yaml")
	if _, err := f.Load(missing); err == nil {
		t.Fatal("no error for a missing file")
	}
	if _, err := f.Load(missing); err == nil {
		t.Fatal("no error for a missing file the second time")
	}
	var nilFinder *Finder
	if c, err := nilFinder.Load(""); err != nil || c == nil {
		t.Fatalf("nil Finder, empty path: %v, %v", c, err)
	}
}
