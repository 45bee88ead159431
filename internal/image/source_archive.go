package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"
)

// archiveSource reads a docker save archive or an OCI archive from a file.
// The archive's members are indexed once (headers only), then layer blobs
// are read in parallel straight from their offsets in the file.
type archiveSource struct {
	transport string
	path      string
	tag       string
	platform  *v1.Platform
}

func newArchiveSource(transport, ref string, platform *v1.Platform) *archiveSource {
	p, tag := splitPathTag(ref)
	return &archiveSource{transport: transport, path: p, tag: tag, platform: platform}
}

// splitPathTag splits "path:tag" when path exists and "path:tag" does not.
func splitPathTag(ref string) (string, string) {
	if _, err := os.Stat(ref); err == nil {
		return ref, ""
	}
	if i := strings.LastIndexByte(ref, ':'); i > 0 {
		p, tag := ref[:i], ref[i+1:]
		if !strings.Contains(tag, "/") {
			if _, err := os.Stat(p); err == nil {
				return p, tag
			}
		}
	}
	return ref, ""
}

func (s *archiveSource) String() string { return s.transport + ":" + s.path }

// openFile opens the archive file and checks it is one.
func (s *archiveSource) openFile() (*os.File, int64, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is a directory; use oci:%s for an OCI layout", s.path, s.path)
	}
	return f, fi.Size(), nil
}

func (s *archiveSource) Meta(ctx context.Context) (*Meta, error) {
	f, size, err := s.openFile()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx, err := openArchive(f, size, s.path)
	if err != nil {
		return nil, err
	}
	m, err := resolveArchive(idx, s.transport, s.path, s.tag, s.transport == TransportOCIArchive, s.platform)
	if err != nil {
		return nil, idx.explain(s.path, err)
	}
	return m, nil
}

func (s *archiveSource) Walk(ctx context.Context, h Handler) error {
	f, size, err := s.openFile()
	if err != nil {
		return err
	}
	defer f.Close()
	return walkArchive(ctx, f, size, s.transport, s.path, s.tag, s.platform, h)
}

// openArchive indexes an archive held by a reader with random access.
func openArchive(ra io.ReaderAt, size int64, name string) (*tarIndex, error) {
	if size == 0 {
		return nil, fmt.Errorf("%s: empty file, not an image archive", name)
	}
	idx, err := indexTar(io.NewSectionReader(ra, 0, size), size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return idx, nil
}

// walkArchive reads an archive held by a reader with random access: the
// members are indexed (headers only), the image resolved, then layer blobs
// are read in parallel from their offsets.
func walkArchive(ctx context.Context, ra io.ReaderAt, size int64, transport, name, tag string, platform *v1.Platform, h Handler) error {
	idx, err := openArchive(ra, size, name)
	if err != nil {
		return err
	}
	m, err := resolveArchive(idx, transport, name, tag, transport == TransportOCIArchive, platform)
	if err != nil {
		return idx.explain(name, err)
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	return walkBlobs(ctx, h, m, func(key string) (io.ReadCloser, error) {
		mem, ok := idx.members[key]
		if !ok {
			return nil, fmt.Errorf("blob %s missing from the archive", key)
		}
		return io.NopCloser(io.NewSectionReader(ra, mem.offset, mem.size)), nil
	})
}

// walkBlobs hands every distinct layer blob of m to h, up to h.Jobs() at
// once, starting them in layer order.
func walkBlobs(ctx context.Context, h Handler, m *Meta, open func(key string) (io.ReadCloser, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, h.Jobs()))
	seen := map[string]bool{}
	for i, l := range m.Layers {
		if seen[l.Key] {
			continue
		}
		seen[l.Key] = true
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			rc, err := open(l.Key)
			if err != nil {
				return &LayerError{Index: i, Digest: l.Digest, Key: l.Key, Err: err}
			}
			defer rc.Close()
			var r io.Reader = rc
			if l.Size >= 0 {
				r = sizedReader{Reader: rc, size: l.Size}
			}
			return h.Layer(gctx, l.Key, r)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// tarMember is one regular file of an archive, or a link to one.
type tarMember struct {
	offset int64
	size   int64
	link   string // target member name for links, "" for files
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

// maxArchiveMembers bounds the index of an archive (a docker save archive
// has a handful of members per layer).
const maxArchiveMembers = 1 << 20

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
		if len(idx.members) >= maxArchiveMembers {
			return nil, fmt.Errorf("archive has more than %d members, not an image archive", maxArchiveMembers)
		}
		name := cleanMemberName(hdr.Name)
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
		case tar.TypeSymlink:
			target := hdr.Linkname
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(name), target)
			}
			idx.members[name] = tarMember{link: cleanMemberName(target)}
		case tar.TypeLink:
			idx.members[name] = tarMember{link: cleanMemberName(hdr.Linkname)}
		}
	}
	if len(idx.members) == 0 {
		return nil, errors.New("empty archive, not an image archive")
	}
	return idx, nil
}

// cleanMemberName normalizes an archive member name ("./a/../b" is "b").
func cleanMemberName(name string) string {
	p := path.Clean("/" + name)
	return strings.TrimPrefix(p, "/")
}

// resolve follows links to a regular member.
func (t *tarIndex) resolve(name string) (string, tarMember, error) {
	name = cleanMemberName(name)
	for hops := 0; hops <= maxSymlinkHops; hops++ {
		m, ok := t.members[name]
		if !ok {
			if t.truncated {
				return "", tarMember{}, fmt.Errorf("%s: not in the archive: %s", name, t.truncation())
			}
			return "", tarMember{}, fmt.Errorf("%s: no such file in the archive", name)
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
	var le *LayerError
	if t.truncated && !errors.As(err, &le) && !strings.Contains(err.Error(), "truncated") {
		return fmt.Errorf("%s: %s: %w", name, t.truncation(), err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

func (t *tarIndex) has(name string) bool {
	_, _, err := t.resolve(name)
	return err == nil
}

func (t *tarIndex) readMeta(name string) ([]byte, error) {
	key, m, err := t.resolve(name)
	if err != nil {
		return nil, err
	}
	if key == t.cut {
		return nil, fmt.Errorf("%s: truncated: the archive ends %d bytes into it", name, m.size)
	}
	if m.size > maxMetaSize {
		return nil, fmt.Errorf("%s is %d bytes, too large for image metadata", name, m.size)
	}
	return readAllLimited(io.NewSectionReader(t.r, m.offset, m.size), maxMetaSize, name)
}

func (t *tarIndex) blob(name string) (string, int64, error) {
	key, m, err := t.resolve(name)
	if err != nil {
		return "", 0, err
	}
	if key == t.cut {
		return "", 0, fmt.Errorf("%s: truncated: the archive ends %d bytes into it", key, m.size)
	}
	return key, m.size, nil
}
