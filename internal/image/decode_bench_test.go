package image_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
)

// BenchmarkDecodeLayer measures reducing an uncompressed layer of 2,000
// files of 32 KiB, with content hashing, against reading it plainly.
func BenchmarkDecodeLayer(b *testing.B) {
	var entries []imagetest.Entry
	for i := 0; i < 2000; i++ {
		entries = append(entries, imagetest.Blob(fmt.Sprintf("opt/app/d%03d/f%05d", i/100, i), 32<<10, byte(i)))
	}
	raw := imagetest.TarBytes(b, entries...)
	b.Run("strata", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		capture := check.All().Capture
		for b.Loop() {
			if err := image.DecodeLayer(context.Background(), bytes.NewReader(raw), true, capture); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAnalyzeArchive analyzes the archive named by
// STRATA_BENCH_ARCHIVE (scripts/bench-image.sh -k leaves one), for
// profiling with -cpuprofile.
func BenchmarkAnalyzeArchive(b *testing.B) {
	p := os.Getenv("STRATA_BENCH_ARCHIVE")
	if p == "" {
		b.Skip("set STRATA_BENCH_ARCHIVE to a docker save archive")
	}
	for b.Loop() {
		src, err := source.Open(p, source.Options{})
		if err != nil {
			b.Fatal(err)
		}
		r, err := image.Analyze(context.Background(), src, image.Options{Checks: check.All()})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.Timing.WalkMS, "walk-ms")
		b.ReportMetric(r.Timing.TotalMS-r.Timing.WalkMS, "after-walk-ms")
	}
}
