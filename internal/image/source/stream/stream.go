// Package stream reads an image from a docker save (or OCI) archive as a
// stream: standard input, or the Docker Engine's image save stream. It
// reads in one pass and without a temporary file. Members that look like
// layers are handed over as they arrive; metadata is kept in memory; the
// manifest, which docker save writes last, then says which blob is which
// layer.
package stream

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/ctxio"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/internal/manifest"
	"github.com/stratatools/strata/internal/vocab"
)

// Options tune how a stream is read.
type Options struct {
	// OCI reads the archive as an OCI archive (index.json first) rather
	// than a docker save archive (manifest.json first).
	OCI bool
	// Platform picks an image from a multi-platform index; nil means the
	// host's platform.
	Platform *v1.Platform
}

func (o Options) transport() string {
	if o.OCI {
		return image.TransportOCIArchive
	}
	return image.TransportArchive
}

// source reads one archive stream; it can be walked once.
type source struct {
	name string
	r    io.Reader
	opts Options
}

// New returns the source for the archive read from r; name stands for the
// stream in messages ("-" for standard input).
func New(r io.Reader, name string, opts Options) image.Source {
	return &source{name: name, r: r, opts: opts}
}

func (s *source) String() string { return s.opts.transport() + ":" + s.name }

// Meta reads the whole stream, discarding the layers.
func (s *source) Meta(ctx context.Context) (*image.Meta, error) {
	var m *image.Meta
	err := s.Walk(ctx, &metaOnly{meta: &m})
	return m, err
}

func (s *source) Walk(ctx context.Context, h image.Handler) error {
	return walk(ctx, s.r, s.opts.transport(), s.name, s.opts.Platform, h)
}

// metaOnly is a Handler that keeps the metadata and discards layers.
type metaOnly struct{ meta **image.Meta }

func (metaOnly) Jobs() int                  { return 1 }
func (m metaOnly) Meta(x *image.Meta) error { *m.meta = x; return nil }
func (metaOnly) Layer(_ context.Context, _ string, r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// store holds what a streamed archive left for resolution.
type store struct {
	meta  map[string][]byte
	sizes map[string]int64 // layer candidates handed to the handler
	links map[string]string
	// bad holds links leading out of the archive, with why.
	bad map[string]error
}

func (s *store) resolve(name string) (string, error) {
	name = manifest.CleanName(name)
	for hops := 0; hops <= manifest.MaxLinkHops; hops++ {
		if err := s.bad[name]; err != nil {
			return "", err
		}
		if t, ok := s.links[name]; ok {
			name = t
			continue
		}
		return name, nil
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links (link loop)", name)
}

func (s *store) Has(name string) bool {
	n, err := s.resolve(name)
	if err != nil {
		return false
	}
	_, a := s.meta[n]
	_, b := s.sizes[n]
	return a || b
}

func (s *store) ReadMeta(name string) ([]byte, error) {
	n, err := s.resolve(name)
	if err != nil {
		return nil, err
	}
	b, ok := s.meta[n]
	if !ok {
		return nil, fmt.Errorf("%s: no such file in the archive", name)
	}
	return b, nil
}

func (s *store) Blob(name string) (string, int64, error) {
	n, err := s.resolve(name)
	if err != nil {
		return "", 0, err
	}
	if size, ok := s.sizes[n]; ok {
		return n, size, nil
	}
	if b, ok := s.meta[n]; ok {
		return n, int64(len(b)), nil
	}
	return "", 0, fmt.Errorf("%s: no such file in the archive", name)
}

// metadataName reports whether an archive member is metadata by its name.
func metadataName(name string) bool {
	base := path.Base(name)
	switch base {
	case "manifest.json", "index.json", "oci-layout", "repositories", "VERSION", "json":
		return true
	}
	return strings.HasSuffix(base, ".json")
}

// watched records the first error of the stream itself (not of the tar
// format read from it), to tell a failing connection from bad input.
type watched struct {
	r   io.Reader
	err error
}

func (w *watched) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil && w.err == nil && !errors.Is(err, io.EOF) {
		w.err = err
	}
	return n, err
}

// readError words an error met reading the archive: bad input unless
// the stream itself failed.
func (w *watched) readError(name string, err error) error {
	if w.err != nil && !errors.Is(w.err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: reading the archive: %w", name, err)
	}
	return vocab.Inputf("%s: %w", name, err)
}

// walk reads an archive stream member by member; name is the stream as
// the user named it.
func walk(ctx context.Context, r io.Reader, transport, name string, platform *v1.Platform, h image.Handler) error {
	st := &store{meta: map[string][]byte{}, sizes: map[string]int64{}, links: map[string]string{}, bad: map[string]error{}}
	// A stream may be a pipe that says nothing for a while: waiting for
	// it must not keep Ctrl-C from stopping the walk.
	src := &watched{r: ctxio.Reader(ctx, r)}
	tr := tar.NewReader(src)
	br := bufio.NewReaderSize(nil, 64<<10)
	members := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return src.readError(name, fmt.Errorf("truncated archive after %d members (%w)", members, err))
			}
			return src.readError(name, fmt.Errorf("not a valid tar archive: %w", err))
		}
		members++
		if members > manifest.MaxArchiveMembers {
			return vocab.Inputf("%s: more than %d members, not an image archive", name, manifest.MaxArchiveMembers)
		}
		mname := manifest.CleanName(hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeSymlink, tar.TypeLink:
			target, err := manifest.LinkTarget(mname, hdr.Linkname, hdr.Typeflag == tar.TypeSymlink)
			if err != nil {
				st.bad[mname] = err
				continue
			}
			st.links[mname] = target
			continue
		case tar.TypeReg, '\x00':
		default:
			continue
		}
		br.Reset(tr)
		isMeta := metadataName(mname)
		if !isMeta && hdr.Size <= manifest.MaxMetaSize {
			if b, err := br.Peek(1); err == nil && b[0] == '{' {
				isMeta = true
			}
		}
		if isMeta && hdr.Size <= manifest.MaxMetaSize {
			b, err := manifest.ReadLimited(br, manifest.MaxMetaSize, mname)
			if err != nil {
				return src.readError(name, fmt.Errorf("reading %s: %w", mname, truncation(err)))
			}
			st.meta[mname] = b
			continue
		}
		st.sizes[mname] = hdr.Size
		if err := h.Layer(ctx, mname, manifest.Sized(br, hdr.Size)); err != nil {
			return err
		}
		// The handler may stop early on a blob that is not a layer.
		if _, err := io.Copy(io.Discard, br); err != nil {
			return src.readError(name, fmt.Errorf("reading %s: %w", mname, truncation(err)))
		}
	}
	if members == 0 {
		return vocab.Inputf("%s: empty archive, not an image archive", name)
	}
	m, err := manifest.Resolve(st, transport, name, "", transport == image.TransportOCIArchive, platform)
	if err != nil {
		return vocab.Inputf("%s: %w", name, err)
	}
	// A layer blob that happened to start with '{' was kept as metadata:
	// hand it over now.
	for _, l := range m.Layers {
		if b, ok := st.meta[l.Key]; ok {
			if _, dup := st.sizes[l.Key]; !dup {
				st.sizes[l.Key] = int64(len(b))
				if err := h.Layer(ctx, l.Key, bytes.NewReader(b)); err != nil {
					return err
				}
			}
		}
	}
	return h.Meta(m)
}

// truncation words a stream that ends early.
func truncation(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated: the stream ends early (%w)", err)
	}
	return err
}
