package image_test

import (
	"context"
	"io"
	"reflect"
	"sync"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/layout"
)

// mapStore is a LayerStore in memory; it counts what it was asked.
type mapStore struct {
	mu       sync.Mutex
	readings map[string][]byte
	hits     int
	fills    int
}

func (s *mapStore) Claim(_ context.Context, digest string) ([]byte, func([]byte), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.readings[digest]; ok {
		s.hits++
		return r, nil, nil
	}
	return nil, func(r []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if r != nil {
			s.readings[digest] = r
			s.fills++
		}
	}, nil
}

// countingSource counts the blobs its source hands over, and passes the
// handler's LayerSkipper on.
type countingSource struct {
	image.Source
	mu    sync.Mutex
	blobs int
}

func (s *countingSource) Walk(ctx context.Context, h image.Handler) error {
	return s.Source.Walk(ctx, &countingHandler{Handler: h, s: s})
}

type countingHandler struct {
	image.Handler
	s *countingSource
}

func (h *countingHandler) Skip(ctx context.Context, key string) (bool, error) {
	return h.Handler.(image.LayerSkipper).Skip(ctx, key)
}

func (h *countingHandler) Layer(ctx context.Context, key string, r io.Reader) error {
	h.s.mu.Lock()
	h.s.blobs++
	h.s.mu.Unlock()
	return h.Handler.Layer(ctx, key, r)
}

// An analysis with a layer store reads each blob once; the next one reads
// none and finds the same, and both find what an analysis without the
// store finds.
func TestLayerStore(t *testing.T) {
	ctx := context.Background()
	img := imagetest.Everything(t)
	dir := imagetest.OCILayout(t, img, nil)
	store := &mapStore{readings: map[string][]byte{}}
	analyze := func(store image.LayerStore) (*image.Result, int) {
		t.Helper()
		src := &countingSource{Source: layout.New(dir, layout.Options{})}
		r, err := image.Analyze(ctx, src, image.Options{Checks: check.All(), Layers: store})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.CheckBalance(); err != nil {
			t.Fatal(err)
		}
		return r, src.blobs
	}
	plain, _ := analyze(nil)
	first, read1 := analyze(store)
	second, read2 := analyze(store)
	layers := len(first.Layers)
	if read1 != 3 || store.fills != 3 || read2 != 0 || store.hits != 3 {
		t.Errorf("%d layers (3 with content): blobs read %d then %d; store filled %d, hit %d", layers, read1, read2, store.fills, store.hits)
	}
	for _, r := range []*image.Result{first, second} {
		if !reflect.DeepEqual(r.Totals, plain.Totals) {
			t.Errorf("totals %+v, without the store %+v", r.Totals, plain.Totals)
		}
		if r.Waste.Total != plain.Waste.Total || r.Waste.Duplicate != plain.Waste.Duplicate || r.Waste.CopyUp != plain.Waste.CopyUp {
			t.Errorf("waste %+v, without the store %+v", r.Waste, plain.Waste)
		}
		if !reflect.DeepEqual(r.Findings, plain.Findings) {
			t.Errorf("findings %+v\nwithout the store %+v", r.Findings, plain.Findings)
		}
		if len(r.Captured) != len(plain.Captured) {
			t.Errorf("%d captured files, without the store %d", len(r.Captured), len(plain.Captured))
		}
		for i := range r.Layers {
			a, b := r.Layers[i], plain.Layers[i]
			if a.Size != b.Size || a.CompressedSize != b.CompressedSize || a.AddedBytes != b.AddedBytes || a.LinkBytes != b.LinkBytes || a.Files != b.Files || a.WastedBytes != b.WastedBytes {
				t.Errorf("layer %d: %+v, without the store %+v", i+1, a, b)
			}
		}
	}
	if !reflect.DeepEqual(first.Files, second.Files) {
		t.Error("the final filesystems differ between the run that read the blobs and the one that did not")
	}
	if first.Totals.Files == 0 || first.Waste.Total == 0 || len(first.Findings) == 0 {
		t.Fatalf("the image should have files, waste and findings: %+v %+v %d", first.Totals, first.Waste, len(first.Findings))
	}
}

// A MemoStore decodes a reading once: the first analysis reads the blobs
// and keeps their readings decoded, the others take them from memory
// without asking the store behind, and all find the same. With no budget,
// it keeps nothing and every analysis asks the store.
func TestMemoStore(t *testing.T) {
	ctx := context.Background()
	dir := imagetest.OCILayout(t, imagetest.Everything(t), nil)
	analyze := func(store image.LayerStore) (*image.Result, int) {
		t.Helper()
		src := &countingSource{Source: layout.New(dir, layout.Options{})}
		r, err := image.Analyze(ctx, src, image.Options{Checks: check.All(), Layers: store})
		if err != nil {
			t.Fatal(err)
		}
		return r, src.blobs
	}
	behind := &mapStore{readings: map[string][]byte{}}
	memo := image.NewMemoStore(behind, 1<<30)
	first, read := analyze(memo)
	if read != 3 || behind.fills != 3 || memo.Len() != 3 {
		t.Fatalf("first analysis: read %d blobs, filled %d, kept %d decoded", read, behind.fills, memo.Len())
	}
	for range 3 {
		r, read := analyze(memo)
		if read != 0 || behind.hits != 0 {
			t.Fatalf("from memory: read %d blobs, the store behind hit %d times", read, behind.hits)
		}
		if !reflect.DeepEqual(r.Files, first.Files) || !reflect.DeepEqual(r.Findings, first.Findings) || !reflect.DeepEqual(r.Waste, first.Waste) {
			t.Fatal("an analysis from decoded readings differs from the one that read the blobs")
		}
	}
	none := image.NewMemoStore(behind, 0)
	if _, read := analyze(none); read != 0 || none.Len() != 0 || behind.hits != 3 {
		t.Errorf("without a budget: read %d, kept %d, the store behind hit %d times", read, none.Len(), behind.hits)
	}
}

// A reading that does not decode is read again from the blob.
func TestLayerStoreDamagedReading(t *testing.T) {
	ctx := context.Background()
	dir := imagetest.OCILayout(t, imagetest.Sample(t), nil)
	store := &mapStore{readings: map[string][]byte{}}
	src := &countingSource{Source: layout.New(dir, layout.Options{})}
	want, err := image.Analyze(ctx, src, image.Options{Layers: store})
	if err != nil {
		t.Fatal(err)
	}
	for d, r := range store.readings {
		store.readings[d] = r[:len(r)/2]
	}
	src = &countingSource{Source: layout.New(dir, layout.Options{})}
	got, err := image.Analyze(ctx, src, image.Options{Layers: store})
	if err != nil {
		t.Fatal(err)
	}
	if src.blobs != len(store.readings) || got.Totals != want.Totals {
		t.Errorf("read %d blobs for %d damaged readings; totals %+v, want %+v", src.blobs, len(store.readings), got.Totals, want.Totals)
	}
}

// UnpackedSize counts regular files and link targets, as the Engine does.
func TestUnpackedSize(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD", Entries: []imagetest.Entry{imagetest.Dir("a/"), imagetest.File("a/x", "12345"), imagetest.Symlink("l", "a/x"), imagetest.Hardlink("h", "a/x")}},
		{CreatedBy: "RUN", Entries: []imagetest.Entry{imagetest.File("a/x", "1234567"), imagetest.Whiteout("l")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if got, want := r.UnpackedSize(), int64(5+3+7); got != want {
		t.Errorf("unpacked size %d, want %d", got, want)
	}
}
