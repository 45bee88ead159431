// Package archive reads an image from a docker save archive (the layouts
// before and after Docker 25, and go-containerregistry's tarball) or an
// OCI archive (an OCI layout in a tar), held in a file or any other
// reader with random access. The archive's members are indexed once
// (headers only), the image is resolved from its metadata, then the layer
// blobs are read in parallel straight from their offsets.
package archive

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/source/internal/manifest"
	"github.com/stratatools/strata/internal/vocab"
)

// Options tune how an archive is read.
type Options struct {
	// OCI reads the archive as an OCI archive (index.json first); it is
	// read as a docker save archive (manifest.json first) otherwise.
	// Either falls back to the other file when its own is missing.
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

// file reads an archive file.
type file struct {
	path string
	tag  string
	opts Options
}

// New returns the source for the archive at ref: a path, optionally
// followed by ":tag" to pick an image of an archive holding several.
func New(ref string, opts Options) image.Source {
	p, tag := manifest.SplitPathTag(ref)
	return &file{path: p, tag: tag, opts: opts}
}

func (s *file) String() string { return s.opts.transport() + ":" + s.path }

// open opens the archive file and checks it is one.
func (s *file) open() (*os.File, int64, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, 0, vocab.Inputf("%w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("%s: %w", s.path, err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, vocab.Inputf("%s is a directory; use oci:%s for an OCI layout", s.path, s.path)
	}
	return f, fi.Size(), nil
}

func (s *file) Meta(ctx context.Context) (*image.Meta, error) {
	f, size, err := s.open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readerAt{ra: f, size: size, name: s.path, tag: s.tag, opts: s.opts}.Meta(ctx)
}

func (s *file) Walk(ctx context.Context, h image.Handler) error {
	f, size, err := s.open()
	if err != nil {
		return err
	}
	defer f.Close()
	return readerAt{ra: f, size: size, name: s.path, tag: s.tag, opts: s.opts}.Walk(ctx, h)
}

// readerAt reads an archive held by a reader with random access.
type readerAt struct {
	ra   io.ReaderAt
	size int64
	name string
	tag  string
	opts Options
}

// FromReaderAt returns the source for an archive of size bytes read
// through ra (in memory, a file, a ranged download); name stands for it in
// messages.
func FromReaderAt(ra io.ReaderAt, size int64, name string, opts Options) image.Source {
	return readerAt{ra: ra, size: size, name: name, opts: opts}
}

func (s readerAt) String() string { return s.opts.transport() + ":" + s.name }

// resolve indexes the archive and reads its metadata.
func (s readerAt) resolve() (*tarIndex, *image.Meta, error) {
	if s.size == 0 {
		return nil, nil, vocab.Inputf("%s: empty file, not an image archive", s.name)
	}
	idx, err := indexTar(io.NewSectionReader(s.ra, 0, s.size), s.size)
	if err != nil {
		return nil, nil, vocab.Inputf("%s: %w", s.name, err)
	}
	m, err := manifest.Resolve(idx, s.opts.transport(), s.name, s.tag, s.opts.OCI, s.opts.Platform)
	if err != nil {
		return nil, nil, vocab.Inputf("%w", idx.explain(s.name, err))
	}
	return idx, m, nil
}

func (s readerAt) Meta(ctx context.Context) (*image.Meta, error) {
	_, m, err := s.resolve()
	return m, err
}

// Walk resolves the image, then reads the layer blobs in parallel from
// their offsets.
func (s readerAt) Walk(ctx context.Context, h image.Handler) error {
	idx, m, err := s.resolve()
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	return manifest.WalkBlobs(ctx, s.String(), h, m, func(key string) (io.ReadCloser, error) {
		mem, ok := idx.members[key]
		if !ok {
			return nil, vocab.Inputf("blob %s missing from the archive", key)
		}
		return io.NopCloser(io.NewSectionReader(s.ra, mem.offset, mem.size)), nil
	})
}

// tarMember is one regular file of an archive, or a link to one.
type tarMember struct {
	offset int64
	size   int64
	link   string // target member name for links, "" for files
	// bad says why the member cannot be read (a link leading out of
	// the archive).
	bad error
}

// tarIndex maps an archive's member names to their data.
type tarIndex struct {
	r       io.ReaderAt
	members map[string]tarMember
	// truncated is set when the archive is cut short; cut names the
	// member it ends in, when it ends inside one.
	truncated bool
	cut       string
}

func (t *tarIndex) truncation() string {
	if t.cut != "" {
		return "truncated archive (it ends inside " + t.cut + ")"
	}
	return "truncated archive"
}

// positionReader tracks the offset of a reader the tar reader uses; tar
// reads headers straight from it, so after Next the position is the start
// of the member's data.
type positionReader struct {
	r   io.ReadSeeker
	pos int64
}

func (p *positionReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.pos += int64(n)
	return n, err
}

func (p *positionReader) Seek(off int64, whence int) (int64, error) {
	n, err := p.r.Seek(off, whence)
	if err == nil {
		p.pos = n
	}
	return n, err
}

// indexTar reads the headers of an archive, skipping member data.
func indexTar(r *io.SectionReader, size int64) (*tarIndex, error) {
	pr := &positionReader{r: r}
	tr := tar.NewReader(pr)
	idx := &tarIndex{r: r, members: map[string]tarMember{}}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) && len(idx.members) > 0 {
				idx.truncated = true
				return idx, nil
			}
			return nil, fmt.Errorf("not a valid tar archive: %w", err)
		}
		if len(idx.members) >= manifest.MaxArchiveMembers {
			return nil, fmt.Errorf("archive has more than %d members, not an image archive", manifest.MaxArchiveMembers)
		}
		name := manifest.CleanName(hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeReg, '\x00':
			if pr.pos+hdr.Size > size {
				// Keep what is there: the member that needs the rest
				// reports the truncation, naming its layer.
				idx.members[name] = tarMember{offset: pr.pos, size: size - pr.pos}
				idx.truncated, idx.cut = true, name
				return idx, nil
			}
			idx.members[name] = tarMember{offset: pr.pos, size: hdr.Size}
		case tar.TypeSymlink, tar.TypeLink:
			target, err := manifest.LinkTarget(name, hdr.Linkname, hdr.Typeflag == tar.TypeSymlink)
			idx.members[name] = tarMember{link: target, bad: err}
		}
	}
	if len(idx.members) == 0 {
		return nil, errors.New("empty archive, not an image archive")
	}
	return idx, nil
}

// resolve follows links to a regular member.
func (t *tarIndex) resolve(name string) (string, tarMember, error) {
	name = manifest.CleanName(name)
	for hops := 0; hops <= manifest.MaxLinkHops; hops++ {
		m, ok := t.members[name]
		if !ok {
			if t.truncated {
				return "", tarMember{}, fmt.Errorf("%s: not in the archive: %s", name, t.truncation())
			}
			return "", tarMember{}, fmt.Errorf("%s: no such file in the archive", name)
		}
		if m.bad != nil {
			return "", tarMember{}, m.bad
		}
		if m.link == "" {
			return name, m, nil
		}
		name = m.link
	}
	return "", tarMember{}, fmt.Errorf("%s: too many levels of symbolic links (link loop)", name)
}

// explain adds the archive's name, and its truncation when that is the
// likely cause, to a resolution error.
func (t *tarIndex) explain(name string, err error) error {
	var le *image.LayerError
	if t.truncated && !errors.As(err, &le) && !strings.Contains(err.Error(), "truncated") {
		return fmt.Errorf("%s: %s: %w", name, t.truncation(), err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Has reports whether a member exists (following links).
func (t *tarIndex) Has(name string) bool {
	_, _, err := t.resolve(name)
	return err == nil
}

// ReadMeta returns a small member's content.
func (t *tarIndex) ReadMeta(name string) ([]byte, error) {
	key, m, err := t.resolve(name)
	if err != nil {
		return nil, err
	}
	if key == t.cut {
		return nil, fmt.Errorf("%s: truncated: the archive ends %d bytes into it", name, m.size)
	}
	if m.size > manifest.MaxMetaSize {
		return nil, fmt.Errorf("%s is %d bytes, too large for image metadata", name, m.size)
	}
	return manifest.ReadLimited(io.NewSectionReader(t.r, m.offset, m.size), manifest.MaxMetaSize, name)
}

// Blob returns the member a layer blob is read from, and its size.
func (t *tarIndex) Blob(name string) (string, int64, error) {
	key, m, err := t.resolve(name)
	if err != nil {
		return "", 0, err
	}
	if key == t.cut {
		return "", 0, fmt.Errorf("%s: truncated: the archive ends %d bytes into it", key, m.size)
	}
	return key, m.size, nil
}
