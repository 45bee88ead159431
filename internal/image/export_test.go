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
