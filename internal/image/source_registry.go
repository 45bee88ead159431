package image

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// registrySource reads an image from a registry: the manifest (for the
// platform, from an index), the configuration, then layer blobs streamed in
// parallel. Credentials come from the Docker config and its credential
// helpers.
type registrySource struct {
	raw      string
	ref      name.Reference
	platform *v1.Platform
	insecure bool
}

func newRegistrySource(ref string, opts OpenOptions) (*registrySource, error) {
	var nopts []name.Option
	if opts.Insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return nil, fmt.Errorf("invalid registry reference %q: %w", ref, err)
	}
	return &registrySource{raw: ref, ref: r, platform: opts.Platform, insecure: opts.Insecure}, nil
}

func (s *registrySource) String() string { return "docker://" + s.raw }

func (s *registrySource) options(ctx context.Context) []remote.Option {
	opts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithPlatform(*s.platform),
		remote.WithUserAgent("strata"),
	}
	if s.insecure {
		tr := remote.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asked for it
		opts = append(opts, remote.WithTransport(tr))
	}
	return opts
}

// registryStore serves configuration blobs from the registry.
type registryStore struct {
	repo name.Repository
	opts []remote.Option
}

func (r registryStore) has(string) bool { return true }

func (r registryStore) readMeta(p string) ([]byte, error) {
	d, err := digestFromBlobPath(p)
	if err != nil {
		return nil, err
	}
	l, err := remote.Layer(r.repo.Digest(d), r.opts...)
	if err != nil {
		return nil, err
	}
	rc, err := l.Compressed()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readAllLimited(rc, maxMetaSize, p)
}

// blob names the layer by its blob path; the size comes from the manifest.
func (r registryStore) blob(p string) (string, int64, error) { return p, -1, nil }

func digestFromBlobPath(p string) (string, error) {
	parts := strings.Split(p, "/")
	if len(parts) != 3 || parts[0] != "blobs" {
		return "", fmt.Errorf("invalid blob path %q", p)
	}
	return parts[1] + ":" + parts[2], nil
}

func (s *registrySource) Meta(ctx context.Context) (*Meta, error) {
	opts := s.options(ctx)
	m := &Meta{Transport: TransportRegistry, Ref: s.raw}
	desc, err := remote.Get(s.ref, opts...)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", s.ref, err)
	}
	raw := desc.Manifest
	digest := desc.Digest
	for depth := 0; desc.MediaType.IsIndex(); depth++ {
		if depth > maxIndexDepth {
			return nil, fmt.Errorf("%s: indexes nested more than %d deep", s.ref, maxIndexDepth)
		}
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("parsing index %s: %w", digest, err)
		}
		chosen, err := chooseDescriptor(idx.Manifests, s.ref.String(), "", false, s.platform, m)
		if err != nil {
			return nil, err
		}
		desc, err = remote.Get(s.ref.Context().Digest(chosen.Digest.String()), opts...)
		if err != nil {
			return nil, fmt.Errorf("fetching %s@%s: %w", s.ref.Context(), chosen.Digest, err)
		}
		raw, digest = desc.Manifest, desc.Digest
	}
	if !desc.MediaType.IsImage() {
		return nil, fmt.Errorf("%s is a %s, not an image", s.ref, desc.MediaType)
	}
	man, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", digest, err)
	}
	m.Digest = digest.String()
	m.MediaType = string(desc.MediaType)
	if t, ok := s.ref.(name.Tag); ok {
		m.Tags = []string{t.String()}
	}
	return fillFromManifest(registryStore{repo: s.ref.Context(), opts: opts}, man, m)
}

func (s *registrySource) Walk(ctx context.Context, h Handler) error {
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	opts := s.options(ctx)
	repo := s.ref.Context()
	return walkBlobs(ctx, h, m, func(key string) (io.ReadCloser, error) {
		d, err := digestFromBlobPath(key)
		if err != nil {
			return nil, err
		}
		l, err := remote.Layer(repo.Digest(d), opts...)
		if err != nil {
			return nil, err
		}
		return l.Compressed()
	})
}
