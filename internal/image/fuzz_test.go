package image

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// memArchive is a Source over an archive held in memory (random access).
type memArchive struct {
	data      []byte
	transport string
}

func (m memArchive) String() string { return m.transport + ":fuzz.tar" }
func (m memArchive) Meta(ctx context.Context) (*Meta, error) {
	var out *Meta
	err := m.Walk(ctx, metaOnly{meta: &out})
	return out, err
}
func (m memArchive) Walk(ctx context.Context, h Handler) error {
	return walkArchive(ctx, bytes.NewReader(m.data), int64(len(m.data)), m.transport, "fuzz.tar", "", HostPlatform(), h)
}

// fuzzImage is a small image using every feature the reader handles.
func fuzzImage(t testing.TB) v1.Image {
	return buildImage(t, []step{
		{createdBy: "ADD rootfs", entries: []tentry{
			dir("usr/"), dir("usr/bin/"), file("usr/bin/sh", "#!sh"), symlink("bin", "usr/bin"),
			hardlink("usr/bin/ash", "usr/bin/sh"), withMode(file("usr/bin/su", "su"), 0o4755),
			dir("etc/"), file("etc/.env", "TOKEN=abc"), dir("var/lib/apt/lists/"), file("var/lib/apt/lists/x", "pkgs"),
		}},
		{createdBy: `/bin/sh -c #(nop)  CMD ["sh"]`},
		{createdBy: "RUN x", entries: []tentry{whiteout("etc/.env"), opaque("var/lib/apt/lists"), file("bin/tool", "t"), dir("app/"), file("app/a", "aaaa")}},
		{createdBy: "RUN chmod", entries: []tentry{withMode(file("app/a", "aaaa"), 0o777), file("app/a2", "aaaa")}},
	}, nil)
}

func analyzeFuzz(src Source) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := Analyze(ctx, src, Options{Jobs: 2})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			panic("analysis did not finish in 20 s")
		}
		return
	}
	// Whatever the input, the accounting must balance.
	if r.Totals.VisibleBytes+r.Waste.Overwritten+r.Waste.Deleted+r.Waste.Ignored != r.Totals.StoredBytes {
		panic("accounting does not balance")
	}
	Gate{FailOn: SeverityInfo, MaxSize: Int64(1)}.Evaluate(r)
}

// FuzzArchive feeds arbitrary bytes to the archive readers, as a file
// (random access, parallel layers) and as a stream.
func FuzzArchive(f *testing.F) {
	img := fuzzImage(f)
	f.Add(dockerSaveOld(f, img, "fuzz:1"))
	f.Add(dockerSaveNew(f, img, "fuzz:1"))
	f.Add(tarDir(f, ociLayout(f, img, nil)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		analyzeFuzz(memArchive{data: data, transport: TransportArchive})
		analyzeFuzz(memArchive{data: data, transport: TransportOCIArchive})
		analyzeFuzz(newStreamSource(TransportArchive, "-", bytes.NewReader(data), HostPlatform()))
	})
}

// FuzzLayer feeds arbitrary bytes as a layer blob, folded onto a lower
// layer with files, links and directories.
func FuzzLayer(f *testing.F) {
	lower := tarBytes(f, dir("a/"), file("a/x", "xx"), symlink("l", "a"), symlink("loop1", "loop2"), symlink("loop2", "loop1"), file("f", "ff"))
	f.Add(tarBytes(f, whiteout("a"), file("l/y", "y")))
	f.Add(tarBytes(f, opaque("a"), file("a/z", "z"), hardlink("h", "a/z")))
	f.Add(tarBytes(f, file("f/sub", "s"), dir("a/"), file("a/x", "xx")))
	f.Add(tarBytes(f, file("loop1/x", "x")))
	gz := layerOf(f, []tentry{file("g", "gzip")})
	rc, _ := gz.Compressed()
	var b bytes.Buffer
	b.ReadFrom(rc)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		opt := decodeOptions{hash: true, capture: captureFunc(DefaultRules())}
		base, err := decodeLayer(ctx, bytes.NewReader(lower), opt)
		if err != nil {
			t.Fatal(err)
		}
		l := newLedger(2, nil)
		tr := newTree(l)
		if err := tr.apply(0, base.entries); err != nil {
			t.Fatal(err)
		}
		d, err := decodeLayer(ctx, bytes.NewReader(data), opt)
		if err != nil {
			return
		}
		var stored int64
		for _, e := range base.entries {
			stored += e.size
		}
		for _, e := range d.entries {
			if e.kind == KindFile {
				stored += e.size
			}
			if e.size < 0 {
				t.Fatalf("negative size %d", e.size)
			}
		}
		if err := tr.apply(1, d.entries); err != nil {
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
