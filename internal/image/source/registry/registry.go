// Package registry reads an image from a registry with go-containerregistry:
// the manifest (for the platform, from an index), the configuration, then
// the layer blobs, streamed in parallel. Credentials come from the Docker
// configuration and its credential helpers; they never appear in
// messages.
package registry

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/internal/manifest"
	"github.com/stratatools/strata/internal/vocab"
)

// Options tune how a registry is reached.
type Options struct {
	// Platform picks an image from a multi-platform index; nil means the
	// host's platform.
	Platform *v1.Platform
	// Insecure allows plain HTTP, and TLS without verification.
	Insecure bool
	// Remote are added to every request's options: a shared
	// remote.Puller (remote.Reuse) lets many images of one registry share
	// its connections, pings and token exchanges (strata audit).
	Remote []remote.Option
}

type source struct {
	raw  string
	ref  name.Reference
	opts Options
}

// New returns the source for ref, a registry reference such as
// "ghcr.io/org/app:1" or "reg.local:5000/app@sha256:...". A reference
// that does not parse is bad input.
func New(ref string, opts Options) (image.Source, error) {
	var nopts []name.Option
	if opts.Insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return nil, vocab.Inputf("invalid registry reference %q: %w", ref, err)
	}
	if opts.Platform == nil {
		opts.Platform = manifest.HostPlatform()
	}
	return &source{raw: ref, ref: r, opts: opts}, nil
}

func (s *source) String() string { return "docker://" + s.raw }

func (s *source) options(ctx context.Context) []remote.Option {
	opts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithPlatform(*s.opts.Platform),
		remote.WithUserAgent("strata"),
	}
	if s.opts.Insecure {
		tr := remote.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asked for it
		opts = append(opts, remote.WithTransport(tr))
	}
	return append(opts, s.opts.Remote...)
}

// classify marks what the registry refused (no such image, no access) as
// bad input; a failing connection stays an ordinary error.
func classify(err error) error {
	var te *transport.Error
	if errors.As(err, &te) && te.StatusCode >= 400 && te.StatusCode < 500 {
		return &vocab.InputError{Err: err}
	}
	return err
}

// store serves configuration blobs from the registry.
type store struct {
	repo name.Repository
	opts []remote.Option
}

func (r store) Has(string) bool { return true }

func (r store) ReadMeta(p string) ([]byte, error) {
	d, err := digestFromBlobPath(p)
	if err != nil {
		return nil, err
	}
	l, err := remote.Layer(r.repo.Digest(d), r.opts...)
	if err != nil {
		return nil, classify(err)
	}
	rc, err := l.Compressed()
	if err != nil {
		return nil, classify(err)
	}
	defer rc.Close()
	return manifest.ReadLimited(rc, manifest.MaxMetaSize, p)
}

// Blob names the layer by its blob path; the size comes from the manifest.
func (r store) Blob(p string) (string, int64, error) { return p, -1, nil }

func digestFromBlobPath(p string) (string, error) {
	parts := strings.Split(p, "/")
	if len(parts) != 3 || parts[0] != "blobs" {
		return "", fmt.Errorf("invalid blob path %q", p)
	}
	return parts[1] + ":" + parts[2], nil
}

func (s *source) Meta(ctx context.Context) (*image.Meta, error) {
	opts := s.options(ctx)
	m := &image.Meta{Transport: image.TransportRegistry, Ref: s.raw}
	desc, err := remote.Get(s.ref, opts...)
	if err != nil {
		return nil, classify(fmt.Errorf("fetching %s: %w", s.ref, err))
	}
	raw := desc.Manifest
	digest := desc.Digest
	for depth := 0; desc.MediaType.IsIndex(); depth++ {
		if depth > manifest.MaxIndexDepth {
			return nil, vocab.Inputf("%s: indexes nested more than %d deep", s.ref, manifest.MaxIndexDepth)
		}
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, vocab.Inputf("%s: parsing index %s: %w", s.ref, digest, err)
		}
		chosen, err := manifest.Choose(idx.Manifests, s.ref.String(), "", false, s.opts.Platform, m)
		if err != nil {
			return nil, vocab.Inputf("%w", err)
		}
		desc, err = remote.Get(s.ref.Context().Digest(chosen.Digest.String()), opts...)
		if err != nil {
			return nil, classify(fmt.Errorf("fetching %s@%s: %w", s.ref.Context(), chosen.Digest, err))
		}
		raw, digest = desc.Manifest, desc.Digest
	}
	if !desc.MediaType.IsImage() {
		return nil, vocab.Inputf("%s is a %s, not an image", s.ref, desc.MediaType)
	}
	man, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, vocab.Inputf("%s: parsing manifest %s: %w", s.ref, digest, err)
	}
	m.Digest = digest.String()
	m.MediaType = string(desc.MediaType)
	if t, ok := s.ref.(name.Tag); ok {
		m.Tags = []string{t.String()}
	}
	m, err = manifest.FromManifest(store{repo: s.ref.Context(), opts: opts}, man, m)
	if err != nil {
		var te *transport.Error
		if !errors.As(err, &te) {
			// What the registry served makes no sense.
			err = &vocab.InputError{Err: err}
		}
		return nil, fmt.Errorf("%s: %w", s.ref, err)
	}
	return m, nil
}

func (s *source) Walk(ctx context.Context, h image.Handler) error {
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	opts := s.options(ctx)
	repo := s.ref.Context()
	return manifest.WalkBlobs(ctx, s.String(), h, m, func(key string) (io.ReadCloser, error) {
		d, err := digestFromBlobPath(key)
		if err != nil {
			return nil, err
		}
		l, err := remote.Layer(repo.Digest(d), opts...)
		if err != nil {
			return nil, classify(err)
		}
		rc, err := l.Compressed()
		if err != nil {
			return nil, classify(err)
		}
		return rc, nil
	})
}
