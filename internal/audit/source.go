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

// memoryStore keeps layer readings in memory for one run, when no layer
// cache is given: each distinct layer is still read once.
type memoryStore struct {
	mu       sync.Mutex
	readings map[string][]byte
	inflight map[string]chan struct{}
}

func newMemoryStore() *memoryStore {
	return &memoryStore{readings: map[string][]byte{}, inflight: map[string]chan struct{}{}}
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
			var once sync.Once
			return nil, func(r []byte) {
				once.Do(func() {
					m.mu.Lock()
					if r != nil {
						m.readings[digest] = r
					}
					delete(m.inflight, digest)
					m.mu.Unlock()
					close(done)
				})
			}, nil
		}
		m.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, nil, context.Cause(ctx)
		}
	}
}
