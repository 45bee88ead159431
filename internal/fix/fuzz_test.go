package fix

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// FuzzFix fixes arbitrary Dockerfiles, safe and unsafe: a source that
// parses must be fixed without error (the fixes converge and every pass
// parses), the result must parse, and fixing it again must change
// nothing.
func FuzzFix(f *testing.F) {
	for _, glob := range []string{"testdata/fix/*.Dockerfile", "../rules/testdata/lint/*.Dockerfile"} {
		paths, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src, false)
			f.Add(src, true)
		}
	}
	bc, err := rules.LoadBuildContext(f.TempDir(), "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, unsafe bool) {
		if len(src) > 1<<16 {
			return
		}
		if _, err := dockerfile.Parse("Dockerfile", src); err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		opts := Options{Unsafe: unsafe, Context: bc}
		res, err := File(ctx, "Dockerfile", src, opts)
		if err != nil {
			t.Fatalf("fixing %q: %v", src, err)
		}
		if _, err := dockerfile.Parse("fixed", res.Fixed); err != nil {
			t.Fatalf("fixed output of %q does not parse: %v\n%s", src, err, res.Fixed)
		}
		again, err := File(ctx, "Dockerfile", res.Fixed, opts)
		if err != nil {
			t.Fatalf("fixing the output again: %v\n%s", err, res.Fixed)
		}
		if again.Changed() {
			t.Fatalf("not idempotent for %q:\n%s\nbecomes\n%s", src, res.Fixed, again.Fixed)
		}
	})
}
