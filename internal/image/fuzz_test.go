package image

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/stratatools/strata/internal/image/imagetest"
)

// maxFuzzLayer bounds FuzzLayer's inputs (the seeds are under 200 bytes).
const maxFuzzLayer = 4 << 10

// FuzzLayer feeds arbitrary layers, folded onto a lower layer with files,
// links and directories. An input is a layer in the compact form of
// imagetest/compact.go (a raw tar stalled the fuzzer: see there), at most
// maxFuzzLayer bytes; unless -fuzzminimizetime is given, minimizing takes
// at most 5 s.
func FuzzLayer(f *testing.F) {
	imagetest.MinimizeQuickly(f, "5s")
	lower := imagetest.TarBytes(f, imagetest.Dir("a/"), imagetest.File("a/x", "xx"), imagetest.Symlink("l", "a"),
		imagetest.Symlink("loop1", "loop2"), imagetest.Symlink("loop2", "loop1"), imagetest.File("f", "ff"))
	c := imagetest.CompactLayer
	f.Add(c(f, false, imagetest.Whiteout("a"), imagetest.File("l/y", "y")))
	f.Add(c(f, false, imagetest.Opaque("a"), imagetest.File("a/z", "z"), imagetest.Hardlink("h", "a/z")))
	f.Add(c(f, false, imagetest.File("f/sub", "s"), imagetest.Dir("a/"), imagetest.File("a/x", "xx")))
	f.Add(c(f, false, imagetest.File("loop1/x", "x")))
	f.Add(c(f, true, imagetest.File("g", "gzip"), imagetest.WithMode(imagetest.File("a/s", "s"), 0o4755)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzLayer {
			return
		}
		data = imagetest.ExpandLayer(data)
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

// FuzzReading feeds arbitrary bytes as a layer store's reading: decoding
// either fails or gives entries that fold, never a panic.
func FuzzReading(f *testing.F) {
	it := imagetest.TarBytes
	for _, blob := range [][]byte{
		it(f, imagetest.Dir("a/"), imagetest.File("a/x", "xx"), imagetest.Symlink("l", "a"), imagetest.Hardlink("h", "a/x")),
		it(f, imagetest.Whiteout("a"), imagetest.Opaque("b"), imagetest.File("etc/passwd", "root:x:0:0")),
	} {
		d, err := decodeLayer(context.Background(), bytes.NewReader(blob), decodeOptions{hash: true, stable: true, capture: func(string) bool { return true }})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(encodeReading(d))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		d, err := decodeReading(rec)
		if err != nil {
			return
		}
		again, err := decodeReading(encodeReading(d))
		if err != nil || !reflect.DeepEqual(again, d) {
			t.Fatalf("a decoded reading does not survive encoding again: %v", err)
		}
		l := newLedger(1, nil)
		tr := newTree(l)
		_ = tr.apply(0, &d.entries, false)
	})
}
