package image

import (
	"context"
	"io"
)

// DecodeLayer reduces one layer blob as Analyze does, for the external
// benchmarks (which run the real checks' capture, from a package that
// imports this one).
func DecodeLayer(ctx context.Context, blob io.Reader, hash bool, capture func(string) bool) error {
	_, err := decodeLayer(ctx, blob, decodeOptions{hash: hash, capture: capture})
	return err
}

// AfterArrive makes s call f, with the number of analyses arrived so far,
// each time an analysis makes its first move (after it is counted), so
// that a test can hold that analysis there and let the others run.
func AfterArrive(s *Shared, f func(n int)) { s.afterArrive = f }
