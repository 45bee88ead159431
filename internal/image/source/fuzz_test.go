package source_test

import (
	"bytes"
	"context"
	"errors"

	"testing"
	"time"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/image/source/stream"
	"github.com/stratatools/strata/internal/vocab"
)

// analyzeFuzz reads src with every check and the gate; whatever the input
// it must finish, and a result must balance.
func analyzeFuzz(t *testing.T, src image.Source) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := image.Analyze(ctx, src, image.Options{Jobs: 2, Checks: check.All()})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatal("analysis of a small archive did not finish in 10 s")
		}
		// An archive held in memory fails only for what it holds.
		if !vocab.IsInput(err) {
			t.Fatalf("%s: an error that is not bad input: %v", src, err)
		}
		return
	}
	// Whatever the input, the accounting must balance.
	if err := r.CheckBalance(); err != nil {
		t.Fatal(err)
	}
	gate.Gate{FailOn: gate.Severity(vocab.Info), MaxSize: gate.Int64(1)}.Evaluate(r)
}

// maxFuzzArchive bounds FuzzArchive's inputs (in the compact form of
// imagetest/compact.go; the seeds are under 4 KB), so that mutating and
// minimizing stay quick.
const maxFuzzArchive = 8 << 10

// FuzzArchive feeds arbitrary archives to the archive readers: as a docker
// save archive file, as an OCI archive file (random access, parallel
// layers) or as a stream, as the input's length picks. An input is an
// archive in the compact form imagetest.ExpandArchive writes out (see
// imagetest/compact.go); the seeds are the archives the tests make, turned
// into it.
// Unless -fuzzminimizetime is given, minimizing takes at most 5 s.
func FuzzArchive(f *testing.F) {
	imagetest.MinimizeQuickly(f, "5s")
	for _, seed := range fuzzSeeds(f) {
		f.Add(imagetest.CompactArchive(f, seed))
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzArchive {
			return
		}
		tarred := imagetest.ExpandArchive(data)
		switch len(data) % 3 {
		case 0, 1:
			analyzeFuzz(t, archive.FromReaderAt(bytes.NewReader(tarred), int64(len(tarred)), "fuzz.tar", archive.Options{OCI: len(data)%3 == 1}))
		default:
			analyzeFuzz(t, stream.New(bytes.NewReader(tarred), "-", stream.Options{}))
		}
	})
}

// fuzzSeeds returns small archives: docker save's two layouts, an OCI
// archive (gzip layers) and one with its metadata first, of small images
// with every kind of entry, and a docker save archive storing a layer
// twice through a symbolic link.
func fuzzSeeds(t testing.TB) [][]byte {
	tiny := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{imagetest.Dir("a/"), imagetest.File("a/x", "x"), imagetest.Symlink("b", "a")}},
		{CreatedBy: "RUN rm", Entries: []imagetest.Entry{imagetest.Whiteout("a/x"), imagetest.File("b/y", "yy")}},
	}, nil)
	same := []imagetest.Entry{imagetest.File("t", "tool")}
	twice := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY t", Entries: same},
		{CreatedBy: "RUN rm t", Entries: []imagetest.Entry{imagetest.Whiteout("t")}},
		{CreatedBy: "COPY t", Entries: same},
	}, nil)
	every := imagetest.Everything(t)
	return [][]byte{
		imagetest.DockerSaveOld(t, tiny, "fuzz:1"),
		imagetest.DockerSaveNew(t, tiny, "fuzz:1"),
		imagetest.TarDir(t, imagetest.OCILayout(t, tiny, nil)),
		imagetest.MetadataFirstArchive(t, tiny),
		imagetest.DockerSaveOld(t, twice, "fuzz:1"),
		imagetest.DockerSaveOld(t, every, "fuzz:1"),
		imagetest.TarDir(t, imagetest.OCILayout(t, every, nil)),
	}
}

// TestCompactArchives turns each seed into the compact form and back: the
// archive written reads without error (the digests were carried over as
// placeholders) and gives the figures the seed gives, but for the size of
// gzipped layers, compressed again; and the compact form is small.
func TestCompactArchives(t *testing.T) {
	read := func(raw []byte) (*image.Result, error) {
		var err error
		for _, oci := range []bool{false, true} {
			src := archive.FromReaderAt(bytes.NewReader(raw), int64(len(raw)), "seed.tar", archive.Options{OCI: oci})
			var r *image.Result
			if r, err = image.Analyze(context.Background(), src, image.Options{Checks: check.All()}); err == nil {
				return r, nil
			}
		}
		return nil, err
	}
	for i, seed := range fuzzSeeds(t) {
		c := imagetest.CompactArchive(t, seed)
		if len(c) > 4<<10 {
			t.Errorf("seed %d: compact form of %d bytes", i, len(c))
		}
		want, err := read(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		got, err := read(imagetest.ExpandArchive(c))
		if err != nil {
			t.Fatalf("seed %d expanded: %v", i, err)
		}
		want.Totals.CompressedSize, got.Totals.CompressedSize = 0, 0
		if want.Totals != got.Totals || len(want.Files) != len(got.Files) || len(want.Findings) != len(got.Findings) {
			t.Errorf("seed %d: totals %+v, expanded %+v", i, want.Totals, got.Totals)
		}
	}
}
