package image

import (
	"bytes"
	"context"
	"testing"

	"github.com/stratatools/strata/internal/image/imagetest"
)

// FuzzLayer feeds arbitrary bytes as a layer blob, folded onto a lower
// layer with files, links and directories.
func FuzzLayer(f *testing.F) {
	it := imagetest.TarBytes
	lower := it(f, imagetest.Dir("a/"), imagetest.File("a/x", "xx"), imagetest.Symlink("l", "a"),
		imagetest.Symlink("loop1", "loop2"), imagetest.Symlink("loop2", "loop1"), imagetest.File("f", "ff"))
	f.Add(it(f, imagetest.Whiteout("a"), imagetest.File("l/y", "y")))
	f.Add(it(f, imagetest.Opaque("a"), imagetest.File("a/z", "z"), imagetest.Hardlink("h", "a/z")))
	f.Add(it(f, imagetest.File("f/sub", "s"), imagetest.Dir("a/"), imagetest.File("a/x", "xx")))
	f.Add(it(f, imagetest.File("loop1/x", "x")))
	f.Add(imagetest.Compressed(f, imagetest.Layer(f, []imagetest.Entry{imagetest.File("g", "gzip")})))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		// Capture every file: the head of each is read and kept.
		opt := decodeOptions{hash: true, capture: func(string) bool { return true }}
		base, err := decodeLayer(ctx, bytes.NewReader(lower), opt)
		if err != nil {
			t.Fatal(err)
		}
		l := newLedger(2, nil)
		tr := newTree(l)
		var stored int64
		for i := range base.entries.len() {
			stored += base.entries.at(i).size
		}
		if err := tr.apply(0, &base.entries, true); err != nil {
			t.Fatal(err)
		}
		d, err := decodeLayer(ctx, bytes.NewReader(data), opt)
		if err != nil {
			return
		}
		for i := range d.entries.len() {
			e := d.entries.at(i)
			if e.kind == KindFile {
				stored += e.size
			}
			if e.size < 0 {
				t.Fatalf("negative size %d", e.size)
			}
		}
		if err := tr.apply(1, &d.entries, true); err != nil {
			return
		}
		var visible, hidden int64
		for _, f := range flatten(tr.root, 0) {
			if f.Kind == KindFile {
				visible += f.Size
			}
		}
		for _, p := range l.pairs {
			hidden += p.Overwritten + p.Deleted
		}
		if visible+hidden != stored {
			t.Fatalf("visible %d + hidden %d != stored %d", visible, hidden, stored)
		}
	})
}
