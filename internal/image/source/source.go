// Package source resolves a reference to the place an image is read from,
// the way a user of docker, skopeo or dive writes it: a transport prefix
// (docker-daemon:, docker-archive:, oci:, oci-archive:, docker://,
// registry:) or a plain reference guessed from what exists (a file, a
// directory, "-" for standard input, else an image in the Docker Engine).
// Each kind of place has its own package below this one (daemon, archive,
// stream, layout, registry), each returning an image.Source.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/archive"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/image/source/internal/manifest"
	"github.com/stratatools/strata/internal/image/source/layout"
	"github.com/stratatools/strata/internal/image/source/registry"
	"github.com/stratatools/strata/internal/image/source/stream"
	"github.com/stratatools/strata/internal/vocab"
)

// Transports lists the names accepted by --source.
func Transports() []string {
	return []string{image.TransportDaemon, image.TransportArchive, image.TransportOCI, image.TransportOCIArchive, image.TransportRegistry}
}

// Options tune how a reference is resolved to a Source.
type Options struct {
	// Transport forces a kind of source (one of Transports()); empty
	// resolves the reference as a user expects.
	Transport string
	// Platform picks an image from a multi-platform index; nil means the
	// host's platform.
	Platform *v1.Platform
	// Insecure allows plain HTTP to a registry (and credentials over it).
	Insecure bool
	// Timeout bounds connecting to a registry and every wait for its
	// answer; 0 means registry.DefaultTimeout.
	Timeout time.Duration
	// Stdin is read for the reference "-" (a docker save stream).
	Stdin io.Reader
	// Engine connects to the Docker Engine; nil uses the environment
	// (DOCKER_HOST and friends).
	Engine daemon.Connector
}

// HostPlatform is the platform of the machine strata runs on (images are
// Linux images wherever strata runs), the default of Options.Platform.
func HostPlatform() *v1.Platform { return manifest.HostPlatform() }

// Open resolves a reference to a Source. Prefixed references name their
// transport (docker-daemon:, docker-archive:, oci:, oci-archive:,
// docker://, registry:). A plain reference that names an existing path is
// an archive (file) or OCI layout (directory); "-" is a docker save stream
// on standard input; anything else is an image in the local Docker Engine.
// A reference that cannot be resolved is bad input (vocab.InputError).
func Open(ref string, opts Options) (image.Source, error) {
	if opts.Platform == nil {
		opts.Platform = HostPlatform()
	}
	transport, rest := splitTransport(ref)
	if opts.Transport != "" {
		if !validTransport(opts.Transport) {
			return nil, vocab.Inputf("unknown source %q (known: %s)", opts.Transport, strings.Join(Transports(), ", "))
		}
		if transport != "" && transport != opts.Transport {
			return nil, vocab.Inputf("reference %q names source %s but --source is %s", ref, transport, opts.Transport)
		}
		transport = opts.Transport
	}
	if rest == "" {
		return nil, &vocab.InputError{Err: errors.New("empty image reference")}
	}
	if transport == "" {
		transport = guessTransport(rest)
	}
	switch transport {
	case image.TransportDaemon:
		return daemon.New(rest, daemon.Options{Engine: opts.Engine, Platform: opts.Platform}), nil
	case image.TransportArchive, image.TransportOCIArchive:
		oci := transport == image.TransportOCIArchive
		if rest == "-" {
			if opts.Stdin == nil {
				return nil, &vocab.InputError{Err: errors.New("no standard input to read the archive from")}
			}
			return stream.New(opts.Stdin, "-", stream.Options{OCI: oci, Platform: opts.Platform}), nil
		}
		return archive.New(rest, archive.Options{OCI: oci, Platform: opts.Platform}), nil
	case image.TransportOCI:
		return layout.New(rest, layout.Options{Platform: opts.Platform}), nil
	case image.TransportRegistry:
		return registry.New(rest, registry.Options{Platform: opts.Platform, Insecure: opts.Insecure, Timeout: opts.Timeout})
	}
	return nil, vocab.Inputf("unknown source %q", transport)
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
		return image.TransportRegistry, strings.TrimPrefix(ref, "docker://")
	case strings.HasPrefix(ref, "registry:"):
		return image.TransportRegistry, strings.TrimPrefix(strings.TrimPrefix(ref, "registry:"), "//")
	case strings.HasPrefix(ref, "docker-daemon:"):
		return image.TransportDaemon, strings.TrimPrefix(ref, "docker-daemon:")
	case strings.HasPrefix(ref, "docker-archive:"):
		return image.TransportArchive, strings.TrimPrefix(ref, "docker-archive:")
	case strings.HasPrefix(ref, "oci-archive:"):
		return image.TransportOCIArchive, strings.TrimPrefix(ref, "oci-archive:")
	case strings.HasPrefix(ref, "oci:"):
		return image.TransportOCI, strings.TrimPrefix(ref, "oci:")
	}
	return "", ref
}

// guessTransport resolves a plain reference: an existing directory is an
// OCI layout, an existing file or a name ending in .tar an archive, "-"
// standard input, and anything else a Docker Engine image.
func guessTransport(ref string) string {
	if ref == "-" {
		return image.TransportArchive
	}
	if fi, err := os.Stat(ref); err == nil {
		if fi.IsDir() {
			return image.TransportOCI
		}
		return image.TransportArchive
	}
	if strings.HasSuffix(strings.ToLower(ref), ".tar") || strings.ContainsRune(ref, filepath.Separator) && looksLikePath(ref) {
		return image.TransportArchive
	}
	return image.TransportDaemon
}

// looksLikePath reports whether a reference that does not exist was meant
// as a path (./x, ../x, /x), so the user gets "no such file" rather than a
// Docker Engine error.
func looksLikePath(ref string) bool {
	return strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "../") || strings.HasPrefix(ref, "/")
}

// Base describes the image ref names as the base of another (--base), from
// its metadata only. ref is resolved like any reference; opts.Transport,
// which names the analyzed image's source, does not apply to it.
func Base(ctx context.Context, ref string, opts Options) (*image.BaseSpec, error) {
	opts.Transport = ""
	src, err := Open(ref, opts)
	if err != nil {
		return nil, err
	}
	m, err := src.Meta(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return image.BaseSpecFromMeta(ref, m), nil
}
