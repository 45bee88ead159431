package baseimage

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
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/stratatools/strata/internal/image"
)

// maxContent bounds a file whose content is kept (dpkg's status file of
// a large image is a few MB); maxFiles the files of a layer whose sizes
// are kept.
const (
	maxContent = 64 << 20
	maxFiles   = 1 << 20
)

// wanted says whether a layer path (no leading slash) is read: its
// content, or only its size.
func wanted(p string) (content, size bool) {
	switch p {
	case "etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status", "lib/apk/db/installed",
		"etc/apt/sources.list", "etc/apk/repositories", "etc/alpine-release", "etc/debian_version":
		return true, true
	case "var/cache/debconf/config.dat", "var/cache/debconf/templates.dat", "var/lib/dpkg/available":
		return false, true
	}
	dir := path.Dir(p)
	switch dir {
	case "etc/apt/sources.list.d", "etc/apt/apt.conf.d", "etc/dpkg/dpkg.cfg.d", "var/lib/dpkg/status.d":
		return true, true
	}
	return false, false
}

// fileRec is a wanted file in one layer.
type fileRec struct {
	content []byte
	size    int64
}

// layerScan is what one layer holds of the wanted files.
type layerScan struct {
	files map[string]fileRec
	// sizes are every regular file's size, for the image's folder sizes.
	sizes map[string]int64
	// deleted are whiteouts; opaque are directories a layer replaces.
	deleted, opaque []string
	// bytes sums the sizes of the layer's regular files (as the Engine
	// counts an image's size); tarBytes is the uncompressed tar.
	bytes, tarBytes int64
}

// scanner is an image.Handler that reads the wanted files of every
// layer.
type scanner struct {
	mu     sync.Mutex
	meta   *image.Meta
	layers map[string]*layerScan
}

func newScanner() *scanner { return &scanner{layers: map[string]*layerScan{}} }

func (s *scanner) Jobs() int { return 2 }

func (s *scanner) Meta(m *image.Meta) error {
	s.mu.Lock()
	s.meta = m
	s.mu.Unlock()
	return nil
}

func (s *scanner) Layer(ctx context.Context, key string, r io.Reader) error {
	ls, err := scanLayer(ctx, r)
	if err != nil {
		return fmt.Errorf("layer %s: %w", key, err)
	}
	s.mu.Lock()
	s.layers[key] = ls
	s.mu.Unlock()
	return nil
}

var (
	magicGzip = []byte{0x1f, 0x8b}
	magicZstd = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// scanLayer reads one layer blob (tar, gzip or zstd).
func scanLayer(ctx context.Context, blob io.Reader) (*layerScan, error) {
	br := bufio.NewReaderSize(blob, 1<<16)
	head, _ := br.Peek(4)
	var stream io.Reader = br
	switch {
	case bytes.HasPrefix(head, magicGzip):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("corrupt gzip stream: %w", err)
		}
		defer zr.Close()
		stream = zr
	case bytes.HasPrefix(head, magicZstd):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(64<<20))
		if err != nil {
			return nil, fmt.Errorf("corrupt zstd stream: %w", err)
		}
		defer zr.Close()
		stream = zr
	}
	cr := &counter{r: stream}
	tr := tar.NewReader(cr)
	ls := &layerScan{files: map[string]fileRec{}, sizes: map[string]int64{}}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the layer's tar: %w", err)
		}
		name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		dir, base := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		if base == ".wh..wh..opq" {
			ls.opaque = append(ls.opaque, dir)
			continue
		}
		if strings.HasPrefix(base, ".wh.") {
			ls.deleted = append(ls.deleted, path.Join(dir, strings.TrimPrefix(base, ".wh.")))
			continue
		}
		if h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeRegA {
			ls.bytes += h.Size
			if len(ls.sizes) < maxFiles {
				ls.sizes[name] = h.Size
			}
		}
		content, size := wanted(name)
		if !size || (h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA) {
			continue
		}
		rec := fileRec{size: h.Size}
		if content && h.Size <= maxContent {
			b, err := io.ReadAll(io.LimitReader(tr, maxContent))
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", name, err)
			}
			rec.content = b
		}
		ls.files[name] = rec
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, err
	}
	ls.tarBytes = cr.n
	return ls, nil
}

type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// merged applies the layers in order and returns the wanted files the
// image holds, the sizes of all its files, and the sum of the layers'
// file bytes.
func (s *scanner) merged() (map[string]fileRec, map[string]int64, int64, error) {
	if s.meta == nil {
		return nil, nil, 0, errors.New("the source gave no image metadata")
	}
	files := map[string]fileRec{}
	sizes := map[string]int64{}
	var total int64
	for _, l := range s.meta.Layers {
		ls := s.layers[l.Key]
		if ls == nil {
			return nil, nil, 0, fmt.Errorf("layer %s was not read", l.Key)
		}
		total += ls.bytes
		for _, d := range append(ls.opaque, ls.deleted...) {
			for p := range files {
				if p == d || strings.HasPrefix(p, d+"/") {
					delete(files, p)
				}
			}
			for p := range sizes {
				if p == d || strings.HasPrefix(p, d+"/") {
					delete(sizes, p)
				}
			}
		}
		for p, r := range ls.files {
			files[p] = r
		}
		for p, n := range ls.sizes {
			sizes[p] = n
		}
	}
	return files, sizes, total, nil
}
