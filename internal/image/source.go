package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Source is one place an image can be read from. Implementations exist for
// the Docker Engine, docker save archives (file or stream), OCI layouts and
// archives, and registries.
type Source interface {
	// String names the source the way the user can write it again, e.g.
	// "docker-archive:app.tar".
	String() string
	// Walk resolves the image and hands it to h: its metadata once, and
	// every distinct layer blob once. Sources with random access call
	// h.Meta first and then h.Layer concurrently, up to h.Jobs() at once;
	// a streamed source calls h.Layer in the order blobs arrive and
	// h.Meta at the end. An error from h stops the walk and is returned.
	Walk(ctx context.Context, h Handler) error
	// Meta resolves the image's metadata only (used for --base).
	Meta(ctx context.Context) (*Meta, error)
}

// Handler receives an image from a Source.
type Handler interface {
	// Jobs is how many layer blobs may be handed over at once.
	Jobs() int
	// Meta receives the image's manifest and configuration.
	Meta(m *Meta) error
	// Layer reads one layer blob, identified by key (as Meta's layers
	// name it). It must consume r before returning.
	Layer(ctx context.Context, key string, r io.Reader) error
}

// Meta is what a source knows about an image besides its layer contents.
type Meta struct {
	// Transport is the kind of source: docker-daemon, docker-archive,
	// oci, oci-archive or registry.
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
	Digest    string
	MediaType string
	// Size is the blob's size in bytes, or -1 when unknown.
	Size int64
}

// Transport names.
const (
	TransportDaemon     = "docker-daemon"
	TransportArchive    = "docker-archive"
	TransportOCI        = "oci"
	TransportOCIArchive = "oci-archive"
	TransportRegistry   = "registry"
)

// Transports lists the names accepted by --source.
func Transports() []string {
	return []string{TransportDaemon, TransportArchive, TransportOCI, TransportOCIArchive, TransportRegistry}
}

// OpenOptions tune how a reference is resolved to a Source.
type OpenOptions struct {
	// Transport forces a kind of source (one of Transports()); empty
	// resolves the reference as a user expects.
	Transport string
	// Platform picks an image from a multi-platform index; nil means the
	// host's platform.
	Platform *v1.Platform
	// Insecure allows plain HTTP to a registry.
	Insecure bool
	// Stdin is read for the reference "-" (a docker save stream).
	Stdin io.Reader
	// Engine connects to the Docker Engine; nil uses the environment
	// (DOCKER_HOST and friends).
	Engine EngineConnector
}

// HostPlatform is the platform of the machine strata runs on (images are
// Linux images wherever strata runs). No variant is set, so any variant of
// the architecture matches.
func HostPlatform() *v1.Platform {
	return &v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
}

// Open resolves a reference to a Source. Prefixed references name their
// transport (docker-daemon:, docker-archive:, oci:, oci-archive:,
// docker://, registry:). A plain reference that names an existing path is
// an archive (file) or OCI layout (directory); "-" is a docker save stream
// on standard input; anything else is an image in the local Docker Engine.
func Open(ref string, opts OpenOptions) (Source, error) {
	if opts.Platform == nil {
		opts.Platform = HostPlatform()
	}
	transport, rest := splitTransport(ref)
	if opts.Transport != "" {
		if !validTransport(opts.Transport) {
			return nil, fmt.Errorf("unknown source %q (known: %s)", opts.Transport, strings.Join(Transports(), ", "))
		}
		if transport != "" && transport != opts.Transport {
			return nil, fmt.Errorf("reference %q names source %s but --source is %s", ref, transport, opts.Transport)
		}
		transport = opts.Transport
	}
	if rest == "" {
		return nil, errors.New("empty image reference")
	}
	if transport == "" {
		transport = guessTransport(rest)
	}
	switch transport {
	case TransportDaemon:
		return newDaemonSource(rest, opts), nil
	case TransportArchive, TransportOCIArchive:
		if rest == "-" {
			if opts.Stdin == nil {
				return nil, errors.New("no standard input to read the archive from")
			}
			return newStreamSource(transport, "-", opts.Stdin, opts.Platform), nil
		}
		return newArchiveSource(transport, rest, opts.Platform), nil
	case TransportOCI:
		return newLayoutSource(rest, opts.Platform), nil
	case TransportRegistry:
		return newRegistrySource(rest, opts)
	}
	return nil, fmt.Errorf("unknown source %q", transport)
}

func validTransport(t string) bool {
	for _, k := range Transports() {
		if k == t {
			return true
		}
	}
	return false
}

// splitTransport separates a transport prefix from a reference.
func splitTransport(ref string) (transport, rest string) {
	switch {
	case strings.HasPrefix(ref, "docker://"):
		return TransportRegistry, strings.TrimPrefix(ref, "docker://")
	case strings.HasPrefix(ref, "registry:"):
		return TransportRegistry, strings.TrimPrefix(strings.TrimPrefix(ref, "registry:"), "//")
	case strings.HasPrefix(ref, "docker-daemon:"):
		return TransportDaemon, strings.TrimPrefix(ref, "docker-daemon:")
	case strings.HasPrefix(ref, "docker-archive:"):
		return TransportArchive, strings.TrimPrefix(ref, "docker-archive:")
	case strings.HasPrefix(ref, "oci-archive:"):
		return TransportOCIArchive, strings.TrimPrefix(ref, "oci-archive:")
	case strings.HasPrefix(ref, "oci:"):
		return TransportOCI, strings.TrimPrefix(ref, "oci:")
	}
	return "", ref
}

// guessTransport resolves a plain reference: an existing directory is an
// OCI layout, an existing file or a name ending in .tar an archive, "-"
// standard input, and anything else a Docker Engine image.
func guessTransport(ref string) string {
	if ref == "-" {
		return TransportArchive
	}
	if fi, err := os.Stat(ref); err == nil {
		if fi.IsDir() {
			return TransportOCI
		}
		return TransportArchive
	}
	if strings.HasSuffix(strings.ToLower(ref), ".tar") || strings.ContainsRune(ref, filepath.Separator) && looksLikePath(ref) {
		return TransportArchive
	}
	return TransportDaemon
}

// looksLikePath reports whether a reference that does not exist was meant
// as a path (./x, ../x, /x), so the user gets "no such file" rather than a
// Docker Engine error.
func looksLikePath(ref string) bool {
	return strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "../") || strings.HasPrefix(ref, "/")
}
