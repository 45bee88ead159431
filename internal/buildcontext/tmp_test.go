package buildcontext

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"
)

func TestTmpBench(t *testing.T) {
	dir := "/tmp/walk100k"
	for r := 0; r < 3; r++ {
		t0 := time.Now()
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { return nil })
		bare := time.Since(t0)
		t0 = time.Now()
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { d.Info(); return nil })
		info := time.Since(t0)
		t0 = time.Now()
		n, _ := transfer(context.Background(), newDiskFS(dir), []string{"nothing"}, nil, func(*sent) error { return nil })
		ours := time.Since(t0)
		t.Logf("bare=%v info=%v ours=%v (%d) ratio bare %.2f info %.2f", bare, info, ours, n, float64(ours)/float64(bare), float64(ours)/float64(info))
	}
}
