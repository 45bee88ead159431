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
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := image.Analyze(ctx, src, image.Options{Jobs: 2, Checks: check.All()})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatal("analysis did not finish in 20 s")
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

// FuzzArchive feeds arbitrary bytes to the archive readers, as a file
// (random access, parallel layers; docker save and OCI) and as a stream.
// The seeds are whole archives: give -fuzzminimizetime a few seconds, or
// minimizing the first new input takes the default minute of the run.
func FuzzArchive(f *testing.F) {
	img := imagetest.Everything(f)
	f.Add(imagetest.DockerSaveOld(f, img, "fuzz:1"))
	f.Add(imagetest.DockerSaveNew(f, img, "fuzz:1"))
	f.Add(imagetest.TarDir(f, imagetest.OCILayout(f, img, nil)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, oci := range []bool{false, true} {
			analyzeFuzz(t, archive.FromReaderAt(bytes.NewReader(data), int64(len(data)), "fuzz.tar", archive.Options{OCI: oci}))
		}
		analyzeFuzz(t, stream.New(bytes.NewReader(data), "-", stream.Options{}))
	})
}
