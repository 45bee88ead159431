// Package layout reads an image from an OCI image layout directory:
// index.json, then the image manifest for the platform, then the layer
// blobs (blobs/<algorithm>/<hex>) in parallel.
package layout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/internal/manifest"
	"github.com/stratatools/strata/internal/vocab"
)

// Options tune how a layout is read.
type Options struct {
	// Platform picks an image from a multi-platform index; nil means the
	// host's platform.
	Platform *v1.Platform
}

type source struct {
	dir  string
	tag  string
	opts Options
}

// New returns the source for the layout at ref: a directory, optionally
// followed by ":tag" to pick an image by its org.opencontainers.image.ref.name.
func New(ref string, opts Options) image.Source {
	dir, tag := manifest.SplitPathTag(ref)
	return &source{dir: dir, tag: tag, opts: opts}
}

func (s *source) String() string { return image.TransportOCI + ":" + s.dir }

func (s *source) check() error {
	fi, err := os.Stat(s.dir)
	if err != nil {
		return vocab.Inputf("%w", err)
	}
	if !fi.IsDir() {
		return vocab.Inputf("%s is not a directory; use oci-archive:%s for an OCI archive", s.dir, s.dir)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "index.json")); err != nil {
		return vocab.Inputf("%s: no index.json, not an OCI image layout", s.dir)
	}
	return nil
}

func (s *source) Meta(ctx context.Context) (*image.Meta, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	m, err := manifest.ResolveOCI(dirStore{s.dir}, image.TransportOCI, s.dir, s.tag, s.opts.Platform)
	if err != nil {
		return nil, vocab.Inputf("%s: %w", s.dir, err)
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
	st := dirStore{s.dir}
	return manifest.WalkBlobs(ctx, s.String(), h, m, func(key string) (io.ReadCloser, error) {
		p, err := st.path(key)
		if err != nil {
			return nil, vocab.Inputf("%w", err)
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, vocab.Inputf("%w", missingBlob(key, err))
		}
		return f, nil
	})
}

// dirStore serves a layout's files, never outside its directory.
type dirStore struct{ dir string }

func (d dirStore) path(name string) (string, error) {
	clean := path.Clean("/" + name)
	if clean == "/" || strings.Contains(name, "\\") {
		return "", fmt.Errorf("invalid blob path %q", name)
	}
	return filepath.Join(d.dir, filepath.FromSlash(strings.TrimPrefix(clean, "/"))), nil
}

func (d dirStore) Has(name string) bool {
	p, err := d.path(name)
	if err != nil {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (d dirStore) ReadMeta(name string) ([]byte, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, missingBlob(name, err)
	}
	defer f.Close()
	return manifest.ReadLimited(f, manifest.MaxMetaSize, name)
}

func (d dirStore) Blob(name string) (string, int64, error) {
	p, err := d.path(name)
	if err != nil {
		return "", 0, err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", 0, missingBlob(name, err)
	}
	if !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("%s is not a regular file", name)
	}
	return name, fi.Size(), nil
}

func missingBlob(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: blob missing from the layout", name)
	}
	return err
}
