package image

import (
	"context"
	"crypto/sha256"
	"errors"
	"hash/maphash"
	"io"
	"sync"

	"github.com/stratatools/strata/internal/vocab"
)

// Shared joins analyses that belong together, such as the two sides of a
// diff or a comparison (Options.Shared):
//
//   - their content hashes are comparable (File.ContentHash, SameHashes);
//   - when they run at the same time, a layer both images use (by diff
//     ID) is decoded once: the first analysis to get the blob reduces it,
//     the other waits for those entries and passes its own copy of the
//     blob over without decompressing, parsing or hashing it.
//
// Analyses that capture files for checks, or do not hash, take part in the
// hashes only. A Shared is safe for concurrent use.
type Shared struct {
	seed maphash.Seed
	// parallel is how many analyses run at the same time with it.
	parallel int

	mu     sync.Mutex
	layers map[string]*sharedBlob // by diff ID
	reused int
	// arrived counts the analyses that made their first move: listed
	// their layers (a source with random access), got a blob before the
	// list (a streamed one, which cannot share), or ended. all closes
	// when every one has.
	arrived int
	all     chan struct{}
	// afterArrive, when set (by tests), is called with the number of
	// analyses arrived so far each time one arrives, outside the lock.
	afterArrive func(n int)
}

// sharedBlob is one layer two analyses may both fold.
type sharedBlob struct {
	diffID string
	// want counts the analyses that listed the layer and have not folded
	// it yet; the entry goes when it reaches 0.
	want    int
	claimed bool
	done    chan struct{}
	data    *layerData
	err     error
}

// NewShared returns a Shared with a fresh hash seed for analyses of which
// parallel run at the same time (layers are shared only when parallel is
// 2 or more; 0 or 1 share the hashes only).
func NewShared(parallel int) *Shared {
	s := &Shared{seed: maphash.MakeSeed(), parallel: parallel, layers: map[string]*sharedBlob{}, all: make(chan struct{})}
	if parallel < 2 {
		close(s.all)
	}
	return s
}

// arrive counts an analysis's first move (see Shared.arrived).
func (s *Shared) arrive() {
	s.mu.Lock()
	s.arrived++
	n := s.arrived
	if n == s.parallel {
		close(s.all)
	}
	s.mu.Unlock()
	if s.afterArrive != nil {
		s.afterArrive(n)
	}
}

// Reused counts the layer blobs passed over because another analysis
// had decoded the same layer.
func (s *Shared) Reused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reused
}

// expect registers an analysis's interest in the layer diffID.
func (s *Shared) expect(diffID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.layers[diffID]
	if b == nil {
		b = &sharedBlob{diffID: diffID, done: make(chan struct{})}
		s.layers[diffID] = b
	}
	b.want++
}

// release says an analysis folded the layer (or gave up on it).
func (s *Shared) release(diffID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.layers[diffID]
	if b == nil {
		return
	}
	b.want--
	if b.want <= 0 {
		delete(s.layers, diffID)
	}
}

// claim returns the layer's entry and whether the caller is the first to
// hold its blob, and so must decode it and publish the result (kept for
// an analysis that comes to the layer later, until every analysis that
// listed it folded it). It returns nil when no other analysis listed the
// layer.
func (s *Shared) claim(diffID string) (*sharedBlob, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.layers[diffID]
	if b == nil || (b.want < 2 && !b.claimed) {
		return nil, false
	}
	if b.claimed {
		return b, false
	}
	b.claimed = true
	return b, true
}

// publish hands the decoded layer (or why it failed) to the waiters.
func (b *sharedBlob) publish(data *layerData, err error) {
	b.data, b.err = data, err
	close(b.done)
}

// wait returns the layer another analysis decoded, or nil when it failed
// there (the caller then decodes its own copy).
func (b *sharedBlob) wait(ctx context.Context) (*layerData, error) {
	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if b.err != nil {
		return nil, nil
	}
	return b.data, nil
}

// passOver consumes a blob whose entries came from another analysis: it
// decompresses the blob without parsing or hashing its files, to learn
// its compression, sizes and digests, which the fold verifies against
// this image's manifest and configuration as for a blob it decoded.
func passOver(ctx context.Context, r io.Reader, shared *layerData, progress func(int64)) (*layerData, error) {
	raw := &countingReader{r: r, h: sha256.New(), progress: progress, ctx: ctx}
	data, err := readBlob(raw, func(string, io.Reader) (*layerData, error) {
		d := *shared
		d.told = 0 // this analysis was told none of them
		return &d, nil
	})
	if err == nil {
		return data, nil
	}
	if ctx.Err() != nil || raw.err != nil && !errors.Is(raw.err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return nil, &vocab.InputError{Err: err}
}

// expectShared registers the image's layers with the Shared, then waits
// until every analysis has made its first move, so that a layer two
// images list is known to be shared before either reads it. The wait ends
// when the others list their layers, get their first blob or end, all of
// which they do without waiting for this one.
//
// The arrival is counted only after the layers are registered: the last
// arrival opens the barrier, and an analysis let through before this
// one's layers were known would find its layers wanted by itself alone,
// decode them on its own and release them, and this one would decode
// them again.
func (w *walker) expectShared(m *Meta) {
	defer func() {
		w.arrivedShared()
		w.mu.Unlock()
		<-w.opts.Shared.all
		w.mu.Lock()
	}()
	w.keyDiff = map[string]string{}
	w.pending = map[string]int{}
	for i, l := range m.Layers {
		d := m.Config.RootFS.DiffIDs[i].String()
		w.keyDiff[l.Key] = d
		if w.pending[d] == 0 {
			w.opts.Shared.expect(d)
		}
		w.pending[d]++
	}
}

// foldedShared notes that layer i was folded.
func (w *walker) foldedShared(i int) {
	d := w.meta.Config.RootFS.DiffIDs[i].String()
	w.pending[d]--
	if w.pending[d] == 0 {
		delete(w.pending, d)
		w.opts.Shared.release(d)
	}
}

// arrivedShared counts this analysis's first move, once. The caller
// holds w.mu.
func (w *walker) arrivedShared() {
	if !w.arrived {
		w.arrived = true
		w.opts.Shared.arrive()
	}
}

// releaseShared gives up the layers not folded (the analysis ended).
func (w *walker) releaseShared() {
	if !w.shareBlobs {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.arrivedShared()
	for d := range w.pending {
		w.opts.Shared.release(d)
	}
	clear(w.pending)
}

// decodeBlob reduces one blob, or takes its entries from another analysis
// that reduced the same layer.
func (w *walker) decodeBlob(ctx context.Context, key string, r io.Reader) (*layerData, error) {
	var b *sharedBlob
	var owner bool
	if w.shareBlobs {
		w.mu.Lock()
		// A blob before the layer list: a streamed source, which
		// cannot tell which layer it is until the end.
		w.arrivedShared()
		d, ok := w.keyDiff[key]
		w.mu.Unlock()
		if ok {
			b, owner = w.opts.Shared.claim(d)
		}
	}
	if b != nil && !owner {
		shared, err := b.wait(ctx)
		if err != nil {
			return nil, err
		}
		if shared != nil {
			data, err := passOver(ctx, r, shared, w.decode.progress)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, err
			}
			w.opts.Shared.mu.Lock()
			w.opts.Shared.reused++
			w.opts.Shared.mu.Unlock()
			return data, nil
		}
	}
	data, err := decodeLayer(ctx, r, w.decode)
	if owner {
		perr := err
		if err == nil {
			data.shared = true
			if data.diffID != b.diffID {
				// Not the layer both images name: the others
				// decode their own copies.
				perr = errors.New("not the layer named")
			}
		}
		b.publish(data, perr)
	}
	return data, err
}
