package image

import (
	"context"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Source is one place an image can be read from. The packages under
// internal/image/source implement it, one per kind of place (the Docker
// Engine, docker save and OCI archives read as files or streams, OCI
// layouts, registries); internal/image/source resolves a reference to
// one of them.
type Source interface {
	// String names the source the way the user can write it again, e.g.
	// "docker-archive:app.tar".
	String() string
	// Walk resolves the image and hands it to h: its metadata once, and
	// every distinct layer blob once. Sources with random access call
	// h.Meta first and then h.Layer concurrently, up to h.Jobs() at once;
	// a streamed source calls h.Layer in the order blobs arrive and
	// h.Meta at the end. An error from h stops the walk and is returned
	// as it is.
	Walk(ctx context.Context, h Handler) error
	// Meta resolves the image's metadata only (used for --base).
	Meta(ctx context.Context) (*Meta, error)
}

// Handler receives an image from a Source. Analyze's reader is one.
type Handler interface {
	// Jobs is how many layer blobs may be handed over at once.
	Jobs() int
	// Meta receives the image's manifest and configuration.
	Meta(m *Meta) error
	// Layer reads one layer blob, identified by key (as Meta's layers
	// name it). It must consume r before returning. When r has a method
	// Size() int64, the handler may trust it to size its buffers.
	Layer(ctx context.Context, key string, r io.Reader) error
}

// Meta is what a source knows about an image besides its layer contents.
type Meta struct {
	// Transport is the kind of source: one of the Transport constants.
	Transport string
	// Ref is the reference or path as given.
	Ref string
	// Digest is the manifest digest, when the source has a manifest.
	Digest    string
	MediaType string
	// ConfigDigest identifies the configuration (the image ID).
	ConfigDigest string
	Config       *v1.ConfigFile
	Layers       []LayerMeta
	// Tags lists the names the source records for the image.
	Tags []string
	// Notes are remarks about how the image was picked.
	Notes []string
}

// LayerMeta is one layer as the manifest describes it.
type LayerMeta struct {
	// Key names the blob handed to Handler.Layer. Layers stored once and
	// used twice share a key.
	Key string
	// Digest is the blob's digest when known (compressed for registries
	// and OCI layouts, the diff ID for docker save archives).
	Digest string
	// BlobDigest is the digest the blob's bytes must have, when the
	// source names blobs by digest (registries, OCI layouts); the reader
	// checks it as it reads. The diff IDs of the configuration are
	// checked for every source.
	BlobDigest string
	MediaType  string
	// Size is the blob's size in bytes, or -1 when unknown.
	Size int64
}

// Transport names, as Meta.Transport and the JSON report give them and as
// references are prefixed with them.
const (
	TransportDaemon     = "docker-daemon"
	TransportArchive    = "docker-archive"
	TransportOCI        = "oci"
	TransportOCIArchive = "oci-archive"
	TransportRegistry   = "registry"
)

// LayerError is a layer that could not be read. Its message names the
// image (when known), the layer's position and its digest; bad input
// (a corrupt or hostile blob, a missing one) wraps a vocab.InputError.
type LayerError struct {
	// Image names the source, e.g. "oci:/tmp/app"; empty when the error
	// is already reported under the source's name.
	Image string
	Index int // 0-based; -1 when the layer's position is unknown
	// Digest and Key identify the blob (see LayerMeta).
	Digest string
	Key    string
	Err    error
}

func (e *LayerError) Error() string {
	name := e.Digest
	if name == "" {
		name = e.Key
	}
	var s string
	if e.Index < 0 {
		s = fmt.Sprintf("reading layer blob %s: %v", name, e.Err)
	} else {
		s = fmt.Sprintf("reading layer %d (%s): %v", e.Index+1, name, e.Err)
	}
	if e.Image != "" {
		s = e.Image + ": " + s
	}
	return s
}

func (e *LayerError) Unwrap() error { return e.Err }
