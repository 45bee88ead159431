package image

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkWhiteouts measures applying a layer of whiteouts to a tree. The
// time per whiteout must stay flat as the number of whiteouts grows and as
// the tree grows: each whiteout is one subtree removal, never a pass over
// the tree or a re-stacking of lower layers. Directory whiteouts each
// remove a directory of 50 files.
func BenchmarkWhiteouts(b *testing.B) {
	type tc struct{ tree, files, dirs int }
	for _, c := range []tc{
		{tree: 400_000, files: 1_000}, {tree: 400_000, files: 10_000}, {tree: 400_000, files: 100_000},
		{tree: 40_000, files: 10_000}, {tree: 4_000_000, files: 10_000},
		{tree: 400_000, dirs: 100}, {tree: 400_000, dirs: 1_000}, {tree: 400_000, dirs: 8_000},
	} {
		name := fmt.Sprintf("tree=%d/files=%d", c.tree, c.files)
		if c.dirs > 0 {
			name = fmt.Sprintf("tree=%d/dirs=%d", c.tree, c.dirs)
		}
		b.Run(name, func(b *testing.B) {
			lower := make([]entry, 0, c.tree)
			for i := 0; i < c.tree; i++ {
				lower = append(lower, entry{path: fmt.Sprintf("usr/lib/d%06d/f%07d", i/50, i), kind: KindFile, size: 4096, mode: 0o644})
			}
			var wh []entry
			step := max(1, c.tree/max(1, c.files))
			for i := 0; i < c.files; i++ {
				wh = append(wh, entry{path: lower[(i*step)%c.tree].path, kind: KindWhiteout})
			}
			dstep := max(1, c.tree/50/max(1, c.dirs))
			for i := 0; i < c.dirs; i++ {
				wh = append(wh, entry{path: fmt.Sprintf("usr/lib/d%06d", i*dstep), kind: KindWhiteout})
			}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				t := newTree(newLedger(2, nil))
				if err := t.apply(0, listOf(lower), false); err != nil {
					b.Fatal(err)
				}
				runtime.GC() // keep the set-up's garbage out of the measure
				b.StartTimer()
				if err := t.apply(1, listOf(wh), false); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(wh)), "ns/whiteout")
		})
	}
}

// listOf puts entries in an entryList.
func listOf(es []entry) *entryList {
	var l entryList
	for _, e := range es {
		l.add(e)
	}
	return &l
}
