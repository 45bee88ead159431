// Package image is the accounting of a built container image: it reads
// the image from a Source in one streaming pass and accounts for every
// byte: per-layer figures, the bytes later layers hide (overwritten,
// deleted, copied up by chmod or chown), duplicate contents, which layers
// belong to the base image, and, with a Dockerfile, which instruction
// made each layer.
//
// The pass works like this. A Source (one per kind of place, under
// internal/image/source) hands layer blobs to a Handler, several at once
// where the source allows random access. Each blob is decompressed (gzip,
// zstd or none, told apart by magic bytes) and its tar stream is reduced
// to a compact list of entries. The lists are folded, in layer order, into
// one merged tree of the final filesystem; a whiteout removes one subtree
// of that tree and charges the bytes it held to the layer that created
// them. A Checker (internal/image/check) then reads the result and reports
// findings; the Dockerfile mapping places them on lines.
//
// The CI gate lives in internal/image/gate, the text, JSON and lint
// renderings in internal/report (image_*.go).
package image
