package audit

import (
	"context"
	"io"
	"sync"

	"github.com/stratatools/strata/internal/image"
)

// meteredSource hands an image's layers to the analysis while counting
// what was fetched, and bounds the blobs read at once across all the
// audit's images to Jobs.
type meteredSource struct {
	image.Source
	a *auditor
}

func (s *meteredSource) Walk(ctx context.Context, h image.Handler) error {
	return s.Source.Walk(ctx, &meteredHandler{Handler: h, a: s.a})
}

type meteredHandler struct {
	image.Handler
	a *auditor
}

// Skip asks the analysis whether it knows the layer already (from the
// layer store), so that the blob is not fetched.
func (h *meteredHandler) Skip(ctx context.Context, key string) (bool, error) {
	sk, ok := h.Handler.(image.LayerSkipper)
	if !ok {
		return false, nil
	}
	skip, err := sk.Skip(ctx, key)
	if skip {
		h.a.count(func(s *Stats) { s.LayersFromCache++ })
	}
	return skip, err
}

func (h *meteredHandler) Layer(ctx context.Context, key string, r io.Reader) error {
	select {
	case h.a.sem <- struct{}{}:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	defer func() { <-h.a.sem }()
	cr := &countingReader{r: r}
	err := h.Handler.Layer(ctx, key, cr)
	h.a.count(func(s *Stats) {
		s.LayersRead++
		s.BytesRead += cr.n
	})
	return err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// memoryStore stands in front of the layer cache (next) for one run:
// concurrent claims of a layer wait for the one that reads it. Without a
// cache it keeps the readings itself, up to memoryBudget bytes, so that
// each distinct layer is read once while they fit.
type memoryStore struct {
	next image.LayerStore

	mu       sync.Mutex
	readings map[string][]byte
	bytes    int64
	inflight map[string]chan struct{}
}

// memoryBudget bounds the readings a run keeps in memory (encoded here
// without a cache; decoded, estimated, in image.MemoStore).
const memoryBudget = 512 << 20

func newMemoryStore(next image.LayerStore) *memoryStore {
	return &memoryStore{next: next, readings: map[string][]byte{}, inflight: map[string]chan struct{}{}}
}

// keep remembers a reading when there is no cache behind, within the
// budget.
func (m *memoryStore) keep(digest string, r []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r == nil || m.next != nil || m.bytes+int64(len(r)) > memoryBudget {
		return
	}
	if _, ok := m.readings[digest]; !ok {
		m.readings[digest] = r
		m.bytes += int64(len(r))
	}
}

func (m *memoryStore) Claim(ctx context.Context, digest string) ([]byte, func([]byte), error) {
	for {
		m.mu.Lock()
		if r, ok := m.readings[digest]; ok {
			m.mu.Unlock()
			return r, nil, nil
		}
		wait, busy := m.inflight[digest]
		if !busy {
			done := make(chan struct{})
			m.inflight[digest] = done
			m.mu.Unlock()
			release := func() {
				m.mu.Lock()
				delete(m.inflight, digest)
				m.mu.Unlock()
				close(done)
			}
			var (
				r        []byte
				nextFill func([]byte)
			)
			if m.next != nil {
				var err error
				if r, nextFill, err = m.next.Claim(ctx, digest); err != nil {
					release()
					return nil, nil, err
				}
				if r != nil {
					m.keep(digest, r)
					release()
					return r, nil, nil
				}
			}
			var once sync.Once
			return nil, func(r []byte) {
				once.Do(func() {
					if nextFill != nil {
						nextFill(r)
					}
					m.keep(digest, r)
					release()
				})
			}, nil
		}
		m.mu.Unlock()
		// Another image reads it: this one gives its place up meanwhile.
		s := slotOf(ctx)
		s.park()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, nil, context.Cause(ctx)
		}
		if err := s.resume(ctx); err != nil {
			return nil, nil, err
		}
	}
}
