package image

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
)

// streamSource reads a docker save (or OCI) archive from a stream, in one
// pass and without a temporary file. Members that look like layers are
// decoded as they arrive; metadata is kept in memory; the manifest, which
// docker save writes last, then says which blob is which layer.
type streamSource struct {
	transport string
	name      string
	r         io.Reader
	platform  *v1.Platform
}

func newStreamSource(transport, name string, r io.Reader, platform *v1.Platform) *streamSource {
	return &streamSource{transport: transport, name: name, r: r, platform: platform}
}

func (s *streamSource) String() string { return s.transport + ":" + s.name }

func (s *streamSource) Meta(ctx context.Context) (*Meta, error) {
	var m *Meta
	err := s.Walk(ctx, &metaOnly{meta: &m})
	return m, err
}

func (s *streamSource) Walk(ctx context.Context, h Handler) error {
	return walkStream(ctx, s.r, s.transport, s.name, s.platform, h)
}

// metaOnly is a Handler that keeps the metadata and discards layers.
type metaOnly struct{ meta **Meta }

func (metaOnly) Jobs() int            { return 1 }
func (m metaOnly) Meta(x *Meta) error { *m.meta = x; return nil }
func (metaOnly) Layer(_ context.Context, _ string, r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// streamStore holds what a streamed archive left for resolution.
type streamStore struct {
	meta  map[string][]byte
	sizes map[string]int64 // layer candidates handed to the handler
	links map[string]string
}

func (s *streamStore) resolve(name string) (string, error) {
	name = cleanMemberName(name)
	for hops := 0; hops <= maxSymlinkHops; hops++ {
		if t, ok := s.links[name]; ok {
			name = t
			continue
		}
		return name, nil
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links (link loop)", name)
}

func (s *streamStore) has(name string) bool {
	n, err := s.resolve(name)
	if err != nil {
		return false
	}
	_, a := s.meta[n]
	_, b := s.sizes[n]
	return a || b
}

func (s *streamStore) readMeta(name string) ([]byte, error) {
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

func (s *streamStore) blob(name string) (string, int64, error) {
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

// walkStream reads an archive stream member by member.
func walkStream(ctx context.Context, r io.Reader, transport, name string, platform *v1.Platform, h Handler) error {
	st := &streamStore{meta: map[string][]byte{}, sizes: map[string]int64{}, links: map[string]string{}}
	tr := tar.NewReader(r)
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
				return fmt.Errorf("%s: truncated archive after %d members (%w)", name, members, err)
			}
			return fmt.Errorf("%s: not a valid tar archive: %w", name, err)
		}
		members++
		if members > maxArchiveMembers {
			return fmt.Errorf("%s: more than %d members, not an image archive", name, maxArchiveMembers)
		}
		mname := cleanMemberName(hdr.Name)
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			target := hdr.Linkname
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(mname), target)
			}
			st.links[mname] = cleanMemberName(target)
			continue
		case tar.TypeLink:
			st.links[mname] = cleanMemberName(hdr.Linkname)
			continue
		case tar.TypeReg, '\x00':
		default:
			continue
		}
		br.Reset(tr)
		isMeta := metadataName(mname)
		if !isMeta && hdr.Size <= maxMetaSize {
			if b, err := br.Peek(1); err == nil && b[0] == '{' {
				isMeta = true
			}
		}
		if isMeta && hdr.Size <= maxMetaSize {
			b, err := readAllLimited(br, maxMetaSize, mname)
			if err != nil {
				return fmt.Errorf("%s: reading %s: %w", name, mname, streamError("", err))
			}
			st.meta[mname] = b
			continue
		}
		st.sizes[mname] = hdr.Size
		if err := h.Layer(ctx, mname, sizedReader{Reader: br, size: hdr.Size}); err != nil {
			return err
		}
		// The handler may stop early on a blob that is not a layer.
		if _, err := io.Copy(io.Discard, br); err != nil {
			return fmt.Errorf("%s: reading %s: %w", name, mname, streamError("", err))
		}
	}
	if members == 0 {
		return fmt.Errorf("%s: empty archive, not an image archive", name)
	}
	m, err := resolveArchive(st, transport, name, "", transport == TransportOCIArchive, platform)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
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
