package source_test

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/source"
)

const mb = 1 << 20

// analyzeRef opens ref and analyzes it with every image rule.
func analyzeRef(t testing.TB, ref string, opts image.Options) (*image.Result, error) {
	t.Helper()
	src, err := source.Open(ref, source.Options{})
	if err != nil {
		return nil, err
	}
	return analyze(src, opts)
}

// analyze reads src with every image rule.
func analyze(src image.Source, opts image.Options) (*image.Result, error) {
	opts.Checks = check.All()
	return image.Analyze(context.Background(), src, opts)
}

// checkInvariant asserts the accounting identity every result must keep.
func checkInvariant(t testing.TB, r *image.Result) {
	t.Helper()
	if err := r.CheckBalance(); err != nil {
		t.Fatal(err)
	}
}

// checkSample checks the figures every source must give for
// imagetest.Sample.
func checkSample(t *testing.T, r *image.Result) {
	t.Helper()
	checkInvariant(t, r)
	if len(r.Layers) != 4 {
		t.Fatalf("layers = %d", len(r.Layers))
	}
	if r.Totals.StoredBytes != 5*mb || r.Totals.VisibleBytes != 2*mb {
		t.Fatalf("stored %d visible %d", r.Totals.StoredBytes, r.Totals.VisibleBytes)
	}
	if p := pair(r, 2, 3); p.Deleted != 2*mb {
		t.Fatalf("deleted by layer 3: %+v", p)
	}
	if p := pair(r, 2, 4); p.Overwritten != mb {
		t.Fatalf("overwritten by layer 4: %+v", p)
	}
	if r.Base.Layers != 1 {
		t.Fatalf("base = %+v", r.Base)
	}
	if r.Image.User != "app" || r.Image.Platform != "linux/amd64" {
		t.Fatalf("image = %+v", r.Image)
	}
	for _, l := range r.Layers {
		if l.Size <= 0 || l.CompressedSize <= 0 || l.DiffID == "" {
			t.Fatalf("layer figures missing: %+v", l)
		}
	}
}

// findFile returns the final filesystem's entry at p.
func findFile(r *image.Result, p string) (image.File, bool) {
	for _, f := range r.Files {
		if f.Path == p {
			return f, true
		}
	}
	return image.File{}, false
}

// findingsOf returns the findings of one rule.
func findingsOf(r *image.Result, rule string) []image.Finding {
	var out []image.Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// pair returns the waste pair for two 1-based layers.
func pair(r *image.Result, created, hidden int) image.WastePair {
	for _, p := range r.Waste.Pairs {
		if p.CreatedBy == created && p.HiddenBy == hidden {
			return p
		}
	}
	return image.WastePair{CreatedBy: created, HiddenBy: hidden}
}

func mustPlatform(t testing.TB, s string) *v1.Platform {
	t.Helper()
	p, err := v1.ParsePlatform(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
