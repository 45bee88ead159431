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
	"syscall"

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
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return s.meta(st)
}

// store opens the layout for reading, after the checks of check.
func (s *source) store() (*dirStore, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return nil, vocab.Inputf("%w", err)
	}
	return &dirStore{root: root}, nil
}

func (s *source) meta(st *dirStore) (*image.Meta, error) {
	m, err := manifest.ResolveOCI(st, image.TransportOCI, s.dir, s.tag, s.opts.Platform)
	if err != nil {
		return nil, vocab.Inputf("%s: %w", s.dir, err)
	}
	return m, nil
}

func (s *source) Walk(ctx context.Context, h image.Handler) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := s.meta(st)
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	return manifest.WalkBlobs(ctx, s.String(), h, m, func(key string) (io.ReadCloser, error) {
		f, err := st.open(key)
		if err != nil {
			return nil, vocab.Inputf("%w", err)
		}
		return f, nil
	})
}

// dirStore serves a layout's files, never from outside its directory: it
// opens them through an os.Root, which refuses a path or a symbolic link
// that leads out of it, and it reads regular files only (a FIFO would
// block, a device never end).
type dirStore struct{ root *os.Root }

func (d *dirStore) Close() error { return d.root.Close() }

// rel checks a name the metadata gave and returns it relative to the root.
func rel(name string) (string, error) {
	clean := path.Clean("/" + name)
	if clean == "/" || strings.Contains(name, "\\") {
		return "", fmt.Errorf("invalid blob path %q", name)
	}
	return filepath.FromSlash(strings.TrimPrefix(clean, "/")), nil
}

// open opens a regular file of the layout. Opening does not block on a
// FIFO (O_NONBLOCK); what is not a regular file is refused before any
// read.
func (d *dirStore) open(name string) (*os.File, error) {
	p, err := rel(name)
	if err != nil {
		return nil, err
	}
	f, err := d.root.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, explain(name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is %s, not a regular file; refusing to read it", name, kind(fi.Mode()))
	}
	return f, nil
}

func (d *dirStore) Has(name string) bool {
	p, err := rel(name)
	if err != nil {
		return false
	}
	fi, err := d.root.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (d *dirStore) ReadMeta(name string) ([]byte, error) {
	f, err := d.open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return manifest.ReadLimited(f, manifest.MaxMetaSize, name)
}

func (d *dirStore) Blob(name string) (string, int64, error) {
	f, err := d.open(name)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", name, err)
	}
	return name, fi.Size(), nil
}

// explain words an error opening a layout's file.
func explain(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: blob missing from the layout", name)
	case strings.Contains(err.Error(), "escapes from parent"):
		return fmt.Errorf("%s is a symbolic link that leads out of the layout; refusing to read it", name)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// kind names a file type for messages.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "of mode " + m.String()
}
