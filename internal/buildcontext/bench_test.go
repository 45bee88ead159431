package buildcontext

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/buildplan"
)

// benchTree returns a context of n files (in folders of 50, ten levels of
// names deep at most), made once under the temporary folder and kept for
// later runs.
func benchTree(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("strata-bench-context-%d", n))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("src%02d", i%40), fmt.Sprintf("pkg%02d", (i/40)%50), fmt.Sprintf("file%06d.py", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprintf("# file %d\nprint(%d)\n", i, i)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM busybox\nCOPY . /app\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkWalk100k times, in the same run and on the same tree of
// 100,000 files, strata's walk of a build context (what passes the ignore
// file, with each entry's exact transfer size) and the full analysis
// against filepath.WalkDir: bare, and reading each entry's size (the
// least a walk must do to tell what a context weighs). It reports the
// ratios: walk/walkdir-stat is the target (at most 1.5).
func BenchmarkWalk100k(b *testing.B) {
	dir := benchTree(b, 100_000)
	df := filepath.Join(dir, "Dockerfile")
	plan, err := buildplan.Convert(context.Background(), df, nil, buildplan.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var bare, stat, walk, full time.Duration
	var files int
	timeIt := func(d *time.Duration, fn func()) {
		start := time.Now()
		fn()
		*d += time.Since(start)
	}
	b.ResetTimer()
	for range b.N {
		timeIt(&bare, func() {
			_ = filepath.WalkDir(dir, func(string, fs.DirEntry, error) error { return nil })
		})
		timeIt(&stat, func() {
			var total int64
			_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
				if err == nil {
					if fi, err := d.Info(); err == nil {
						total += fi.Size()
					}
				}
				return nil
			})
		})
		timeIt(&walk, func() {
			files = 0
			if _, err := transfer(ctx, newDiskFS(dir), nil, nil, func(e *sent) error { files++; return nil }); err != nil {
				b.Fatal(err)
			}
		})
		timeIt(&full, func() {
			if _, err := Analyze(ctx, Request{Dir: dir, Dockerfile: df, Plan: plan}); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.StopTimer()
	if files < 100_000 {
		b.Fatalf("walked %d entries", files)
	}
	b.ReportMetric(float64(walk)/float64(stat), "walk/walkdir-stat")
	b.ReportMetric(float64(full)/float64(stat), "analyze/walkdir-stat")
	b.ReportMetric(float64(walk)/float64(bare), "walk/walkdir")
	b.ReportMetric(float64(bare)/float64(b.N)/1e6, "walkdir-ms")
	b.ReportMetric(float64(walk)/float64(b.N)/1e6, "walk-ms")
}

// BenchmarkAnalyze100k profiles the analysis alone.
func BenchmarkAnalyze100k(b *testing.B) {
	dir := benchTree(b, 100_000)
	df := filepath.Join(dir, "Dockerfile")
	plan, err := buildplan.Convert(context.Background(), df, nil, buildplan.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		if _, err := Analyze(context.Background(), Request{Dir: dir, Dockerfile: df, Plan: plan}); err != nil {
			b.Fatal(err)
		}
	}
}
