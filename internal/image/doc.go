// Package image reads a built container image from any source (the local
// Docker Engine, a docker save archive, an OCI layout or archive, a
// registry) in one streaming pass and accounts for every byte: per-layer
// figures, the waste hidden by later layers, duplicate contents, findings
// about caches, toolchains and security, and the CI gate.
//
// The pass works like this. A Source hands layer blobs to a Handler, several
// at once where the source allows random access. Each blob is decompressed
// (gzip, zstd or none, told apart by magic bytes) and its tar stream is
// reduced to a compact list of entries. The lists are folded, in layer
// order, into one merged tree of the final filesystem; a whiteout removes
// one subtree of that tree and charges the bytes it held to the layer that
// created them. Rules then read the final tree, the configuration and the
// waste ledger.
package image
