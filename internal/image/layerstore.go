package image

import (
	"context"
	"strings"
	"sync"
	"time"
)

// LayerStore keeps what reading a layer blob found (a reading), by the
// blob's digest, so that a later analysis — of the same image or of
// another that shares the layer, in this run or a later one — folds the
// layer without fetching its blob (Options.Layers). internal/layercache
// keeps readings on disk.
//
// Readings are opaque bytes in the format LayerRecordVersion names. A
// store must hand a reading back only to analyses whose checks capture
// the same paths (namespace it by the checks it serves), and never a
// reading of another format version.
type LayerStore interface {
	// Claim returns the reading stored for digest. When there is none,
	// the caller reads the blob and calls fill exactly once, with the
	// reading, or with nil when it could not; other claims of the same
	// digest wait for that (or for ctx).
	Claim(ctx context.Context, digest string) (reading []byte, fill func(reading []byte), err error)
}

// LayerSkipper is implemented by a Handler that may already know a layer
// (from Options.Layers). A Source with random access calls Skip before it
// fetches a blob, from the goroutine that would fetch it, and does not
// fetch those it returns true for. An error stops the walk.
type LayerSkipper interface {
	Skip(ctx context.Context, key string) (bool, error)
}

// LayerRecordVersion is the format of the readings Options.Layers keeps.
const LayerRecordVersion = 2

// storable reports whether a layer's digest names its content, so that a
// reading can be kept under it.
func storable(digest string) bool {
	return strings.HasPrefix(digest, "sha256:") && len(digest) == len("sha256:")+64
}

// Skip implements LayerSkipper: a layer whose reading Options.Layers has
// is folded from it; for one it has not, the walker fills it once read.
func (w *walker) Skip(ctx context.Context, key string) (bool, error) {
	if w.opts.Layers == nil || w.opts.NoHash {
		return false, nil
	}
	w.mu.Lock()
	digest := ""
	if w.meta != nil {
		for _, l := range w.meta.Layers {
			if l.Key == key {
				digest = l.Digest
				break
			}
		}
	}
	_, claimed := w.fills[key]
	w.mu.Unlock()
	if !storable(digest) || claimed {
		return false, nil
	}
	start := time.Now()
	memo, _ := w.opts.Layers.(*MemoStore)
	if data := memo.decoded(digest); data != nil {
		return true, w.deliver(key, data, nil, time.Since(start))
	}
	rec, fill, err := w.opts.Layers.Claim(ctx, digest)
	if err != nil {
		return false, err
	}
	if rec == nil {
		if fill != nil {
			w.mu.Lock()
			if w.fills == nil {
				w.fills = map[string]func(*layerData){}
			}
			w.fills[key] = func(data *layerData) {
				if data == nil || data.blobDigest != digest {
					// Unread, or not the blob the manifest names
					// (the fold reports the mismatch): nothing is
					// kept under its digest.
					fill(nil)
					return
				}
				memo.keep(digest, data)
				fill(encodeReading(data))
			}
			w.mu.Unlock()
		}
		return false, nil
	}
	// Another analysis may have decoded it while this one waited.
	data := memo.decoded(digest)
	if data == nil {
		if data, err = decodeReading(rec); err != nil {
			// A reading that does not decode is read again from the blob.
			return false, nil
		}
		memo.keep(digest, data)
	}
	return true, w.deliver(key, data, nil, time.Since(start))
}

// filled hands the reading of key's blob to the store that asked for it.
func (w *walker) filled(key string, data *layerData, err error) {
	w.mu.Lock()
	fill, ok := w.fills[key]
	delete(w.fills, key)
	w.mu.Unlock()
	if !ok {
		return
	}
	if err != nil {
		data = nil
	}
	fill(data)
}

// abandonFills gives up the readings still owed (the walk ended without
// reading their blobs), so that no other analysis waits for them.
func (w *walker) abandonFills() {
	w.mu.Lock()
	fills := w.fills
	w.fills = nil
	w.mu.Unlock()
	for _, fill := range fills {
		fill(nil)
	}
}

// MemoStore stands in front of a LayerStore for the analyses of one
// process (strata audit's images): the readings it hands out are decoded
// once and kept decoded, as many as fit in a budget, so that a base layer
// a thousand images share is decoded once rather than a thousand times.
// Decoded readings are never changed by an analysis (as with Shared). A
// MemoStore is safe for concurrent use.
type MemoStore struct {
	LayerStore
	max int64

	mu   sync.Mutex
	data map[string]*layerData
	cost int64
}

// NewMemoStore returns a MemoStore in front of store that keeps up to
// maxBytes (an estimate of the memory the decoded readings take).
func NewMemoStore(store LayerStore, maxBytes int64) *MemoStore {
	return &MemoStore{LayerStore: store, max: maxBytes, data: map[string]*layerData{}}
}

// Len is the number of decoded readings kept.
func (m *MemoStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.data)
}

// decoded returns the decoded reading of digest, nil when it has none
// (or m is nil).
func (m *MemoStore) decoded(digest string) *layerData {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data[digest]
}

// keep remembers a decoded reading while the budget allows.
func (m *MemoStore) keep(digest string, d *layerData) {
	if m == nil {
		return
	}
	cost := memoCost(d)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.data[digest]; ok || m.cost+cost > m.max {
		return
	}
	// The reading is handed to every analysis that asks for it: a fold
	// must leave its entries whole (see layerData.shared).
	d.shared = true
	m.data[digest] = d
	m.cost += cost
}

// memoCost estimates the memory a decoded reading takes: its entries,
// their strings, and the captured heads.
func memoCost(d *layerData) int64 {
	const perEntry = 96
	n := int64(d.entries.len()) * perEntry
	for i := range d.entries.len() {
		e := d.entries.at(i)
		n += int64(len(e.path) + len(e.link))
	}
	for _, h := range d.heads {
		n += int64(len(h)) + 32
	}
	return n
}
