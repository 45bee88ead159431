package image

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
)

// layoutSource reads an OCI image layout directory: index.json, then the
// manifest for the platform, then blobs/<alg>/<hex> in parallel.
type layoutSource struct {
	dir      string
	tag      string
	platform *v1.Platform
}

func newLayoutSource(ref string, platform *v1.Platform) *layoutSource {
	dir, tag := splitPathTag(ref)
	return &layoutSource{dir: dir, tag: tag, platform: platform}
}

func (s *layoutSource) String() string { return TransportOCI + ":" + s.dir }

func (s *layoutSource) check() error {
	fi, err := os.Stat(s.dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory; use oci-archive:%s for an OCI archive", s.dir, s.dir)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "index.json")); err != nil {
		return fmt.Errorf("%s: no index.json, not an OCI image layout", s.dir)
	}
	return nil
}

func (s *layoutSource) Meta(ctx context.Context) (*Meta, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	m, err := resolveOCI(dirStore{s.dir}, TransportOCI, s.dir, s.tag, s.platform)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.dir, err)
	}
	return m, nil
}

func (s *layoutSource) Walk(ctx context.Context, h Handler) error {
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	st := dirStore{s.dir}
	return walkBlobs(ctx, h, m, func(key string) (io.ReadCloser, error) {
		p, err := st.path(key)
		if err != nil {
			return nil, err
		}
		return os.Open(p)
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

func (d dirStore) has(name string) bool {
	p, err := d.path(name)
	if err != nil {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (d dirStore) readMeta(name string) ([]byte, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, missingBlob(name, err)
	}
	defer f.Close()
	return readAllLimited(f, maxMetaSize, name)
}

func (d dirStore) blob(name string) (string, int64, error) {
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
