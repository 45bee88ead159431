package image_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/vocab"
)

// TestSharedLayerVerified analyses two images together whose bottom
// layers have the same diff ID, one of them forged: its layer.tar lists
// another file (same size) while its configuration keeps the diff ID.
// Whichever analysis decodes the layer first, the forged side fails with
// a mismatch naming its layer 1, and the honest side gets the result it
// gets alone: a layer passed over is verified like one decoded, and
// entries from a blob that is not the layer named are never shared.
func TestSharedLayerVerified(t *testing.T) {
	a, b := sharedPair(t)
	honest := imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, a, "a:1"))
	layers, _ := imagetest.UncompressedLayers(t, b)
	rawB := imagetest.DockerSaveOld(t, b, "b:1")
	// The same layer with a file renamed: as long, another listing.
	changed := imagetest.TarBytes(t, imagetest.Dir("usr/"), imagetest.Blob("usr/libX", 300<<10, 1), imagetest.Blob("usr/lib2", 200<<10, 2))
	if len(changed) != len(layers[0]) || bytes.Equal(changed, layers[0]) {
		t.Fatal("the forged layer must differ from layer 1 and have its size")
	}
	forgedArchive := bytes.Replace(rawB, layers[0], changed, 1)
	if bytes.Equal(forgedArchive, rawB) {
		t.Fatal("layer 1 not found in the archive")
	}
	forged := imagetest.WriteTemp(t, "b.tar", forgedArchive)
	alone, err := image.Analyze(context.Background(), archive.New(honest, archive.Options{}), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Each side in turn decodes the shared layers first: the other's
	// blobs wait until its walk is over.
	for _, forgedFirst := range []bool{false, true} {
		sh := image.NewShared(2)
		first := make(chan struct{})
		srcs := [2]image.Source{archive.New(honest, archive.Options{}), archive.New(forged, archive.Options{})}
		if forgedFirst {
			srcs[0] = gated{srcs[0], first}
			srcs[1] = closing{srcs[1], first}
		} else {
			srcs[0] = closing{srcs[0], first}
			srcs[1] = gated{srcs[1], first}
		}
		var res [2]*image.Result
		var errs [2]error
		var g errgroup.Group
		for i, src := range srcs {
			g.Go(func() error {
				res[i], errs[i] = image.Analyze(context.Background(), src, image.Options{Shared: sh})
				return nil
			})
		}
		_ = g.Wait()
		if errs[0] != nil {
			t.Fatalf("forged first %v: honest side: %v", forgedFirst, errs[0])
		}
		if !reflect.DeepEqual(paths(alone), paths(res[0])) || alone.Totals != res[0].Totals {
			t.Fatalf("forged first %v: honest side: the shared analysis differs from the one alone", forgedFirst)
		}
		var le *image.LayerError
		if err := errs[1]; err == nil || !vocab.IsInput(err) || !errors.As(err, &le) || le.Index != 0 || !strings.Contains(err.Error(), "diff_id") {
			t.Fatalf("forged first %v: forged side: err = %v; want bad input naming layer 1's diff_id", forgedFirst, err)
		}
	}
}

// closing is a source that closes done when its walk is over.
type closing struct {
	image.Source
	done chan struct{}
}

func (c closing) Walk(ctx context.Context, h image.Handler) error {
	defer close(c.done)
	return c.Source.Walk(ctx, h)
}

// gated is a source whose layer blobs wait until open is closed.
type gated struct {
	image.Source
	open chan struct{}
}

func (g gated) Walk(ctx context.Context, h image.Handler) error {
	return g.Source.Walk(ctx, gatedHandler{h, g.open})
}

type gatedHandler struct {
	image.Handler
	open chan struct{}
}

func (g gatedHandler) Layer(ctx context.Context, key string, r io.Reader) error {
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Handler.Layer(ctx, key, r)
}
