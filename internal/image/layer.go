package image

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/maphash"
	"io"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/stratatools/strata/internal/vocab"
)

// Compression names as reported per layer.
const (
	CompressionNone = "none"
	CompressionGzip = "gzip"
	CompressionZstd = "zstd"
)

const (
	readBufferSize = 1 << 20 // large buffered reads of the raw blob
	copyBufferSize = 256 << 10
	// headMax bounds the bytes kept from a file a rule asked to read.
	headMax = 16 << 10
	// zstdMaxWindow bounds the memory a zstd frame header can make the
	// decoder allocate.
	zstdMaxWindow = 64 << 20
	// maxLayerEntries bounds the entries of one layer: memory grows with
	// them, and a small compressed blob can expand into millions of
	// headers. Real layers stay far below.
	maxLayerEntries = 5_000_000
)

// decodeOptions tune the reduction of one layer blob.
type decodeOptions struct {
	seed maphash.Seed
	// hash asks for every non-empty regular file's content to be hashed
	// (duplicate and copy-up detection).
	hash bool
	// capture reports whether the first bytes of a file are wanted.
	capture func(path string) bool
	// progress, if set, receives raw blob bytes as they are read.
	progress func(n int64)
	// entries, if set, is told of the entries read, a chunk at a time
	// (Options.Entries).
	entries func(n int)
	// stable hashes contents with a fixed function (xxhash) rather than
	// one seeded per process, so that hashes outlive the process.
	stable bool
}

// entryChunk is how many entries a chunk of an entryList holds.
const entryChunk = 4096

// entryList holds a layer's entries in chunks of entryChunk: reading a
// layer of a million entries copies only its first chunk to grow it (nor
// holds twice their room while doing so), and a fold can drop each chunk
// once it is in the tree.
type entryList struct {
	chunks [][]entry
	n      int
}

func (l *entryList) add(e entry) {
	switch k := len(l.chunks); {
	case k == 0:
		// Most layers are small: the first chunk grows as it fills.
		l.chunks = append(l.chunks, make([]entry, 0, 16))
	case len(l.chunks[k-1]) == entryChunk:
		l.chunks = append(l.chunks, make([]entry, 0, entryChunk))
	}
	k := len(l.chunks) - 1
	l.chunks[k] = append(l.chunks[k], e)
	l.n++
}

// len returns the number of entries.
func (l *entryList) len() int { return l.n }

// at returns entry i; it must not have been released.
func (l *entryList) at(i int) *entry { return &l.chunks[i/entryChunk][i%entryChunk] }

// release drops the chunk holding entry i when i is its last entry.
func (l *entryList) release(i int) {
	if (i+1)%entryChunk == 0 || i+1 == l.n {
		l.chunks[i/entryChunk] = nil
	}
}

// contentHash is the hash of file contents: maphash with the analysis's
// seed, or xxhash when readings are kept (decodeOptions.stable).
type contentHash interface {
	io.Writer
	Reset()
	Sum64() uint64
}

// layerData is one layer blob reduced to its entries.
type layerData struct {
	entries entryList
	// heads holds the first bytes of captured files, by entry index.
	heads       map[int][]byte
	blobBytes   int64 // raw (possibly compressed) bytes read
	tarBytes    int64 // uncompressed tar stream bytes
	compression string
	// blobDigest and diffID are the SHA-256 digests of the raw blob and
	// of the uncompressed tar stream, computed while reading ("sha256:"
	// and lower-case hex; equal for an uncompressed blob).
	blobDigest string
	diffID     string
	// shared is set when other analyses fold the same entries (see
	// Shared): a fold must leave them whole.
	shared bool
	// told counts the entries told to decodeOptions.entries so far.
	told int
}

// countingReader counts bytes, hashes them when h is set, and reports
// them to an optional callback. It keeps the first error other than
// io.EOF its reader returned.
type countingReader struct {
	r        io.Reader
	n        int64
	h        hash.Hash
	progress func(int64)
	err      error
	// ctx, when set, ends the reading once done (a large file's body
	// is read without returning to the tar loop's checks).
	ctx context.Context
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.ctx != nil {
		if err := c.ctx.Err(); err != nil {
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.h != nil && n > 0 {
		c.h.Write(p[:n])
	}
	if c.progress != nil && n > 0 {
		c.progress(int64(n))
	}
	if err != nil && c.err == nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return n, err
}

// Magic numbers of the compressions a layer blob can use.
var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicXz    = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	magicBzip2 = []byte{'B', 'Z', 'h'}
)

// detectCompression names the compression of a blob from its first bytes.
func detectCompression(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, magicGzip):
		return CompressionGzip, nil
	case bytes.HasPrefix(head, magicZstd):
		return CompressionZstd, nil
	case bytes.HasPrefix(head, magicXz):
		return "", errors.New("xz-compressed layers are not supported (OCI layers are tar, gzip or zstd)")
	case bytes.HasPrefix(head, magicBzip2):
		return "", errors.New("bzip2-compressed layers are not supported (OCI layers are tar, gzip or zstd)")
	}
	return CompressionNone, nil
}

// decodeLayer reads one layer blob (tar, gzip or zstd, told apart by magic
// bytes) and returns its entries. It reads the stream to its end so that
// truncation and checksum errors surface, and never allocates by a size a
// header claims. What is wrong with the blob itself (corrupt, truncated,
// hostile) is bad input, a vocab.InputError; a failure of the source's
// own reading (a connection reset) and cancellation are not.
func decodeLayer(ctx context.Context, blob io.Reader, opt decodeOptions) (*layerData, error) {
	raw := &countingReader{r: blob, h: sha256.New(), progress: opt.progress, ctx: ctx}
	data, err := decode(ctx, raw, opt)
	if err == nil {
		return data, nil
	}
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return nil, err
	}
	if raw.err != nil && !errors.Is(raw.err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return nil, &vocab.InputError{Err: err}
}

// decode reduces the blob read through raw.
func decode(ctx context.Context, raw *countingReader, opt decodeOptions) (*layerData, error) {
	return readBlob(raw, func(comp string, tarStream io.Reader) (*layerData, error) {
		data := &layerData{compression: comp}
		if err := readTar(ctx, tarStream, comp, opt, data); err != nil {
			return nil, err
		}
		return data, nil
	})
}

// readBlob detects the blob's compression, hands the uncompressed tar
// stream to read, then reads both streams to their ends and fills in the
// sizes and digests of what read returned: the blob's (raw must hash)
// and the uncompressed stream's.
func readBlob(raw *countingReader, read func(comp string, tarStream io.Reader) (*layerData, error)) (*layerData, error) {
	blob := raw.r
	bufSize := readBufferSize
	if s, ok := blob.(interface{ Size() int64 }); ok && s.Size() >= 0 && s.Size() < readBufferSize {
		bufSize = max(int(s.Size())+16, 4096)
	}
	br := bufio.NewReaderSize(raw, bufSize)
	head, err := br.Peek(len(magicXz))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading blob: %w", err)
	}
	comp, err := detectCompression(head)
	if err != nil {
		return nil, err
	}
	var stream io.Reader = br
	var diff hash.Hash // the uncompressed stream's, when not the raw one
	switch comp {
	case CompressionGzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("corrupt gzip stream: %w", err)
		}
		defer zr.Close()
		stream = zr
	case CompressionZstd:
		zr, err := zstd.NewReader(br,
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(zstdMaxWindow))
		if err != nil {
			return nil, fmt.Errorf("corrupt zstd stream: %w", err)
		}
		defer zr.Close()
		stream = zr
	}
	if comp != CompressionNone {
		diff = sha256.New()
	}
	tarCount := &countingReader{r: stream, h: diff}
	data, err := read(comp, tarCount)
	if err != nil {
		return nil, err
	}
	// Drain what follows the end-of-archive marker: it counts towards the
	// uncompressed size and the diff ID, and makes the decompressor
	// verify its checksum; then what follows the compressed stream, which
	// counts towards the blob's digest.
	if _, err := io.Copy(io.Discard, tarCount); err != nil {
		return nil, streamError(comp, err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return nil, streamError(comp, err)
	}
	data.compression = comp
	data.tarBytes = tarCount.n
	data.blobBytes = raw.n
	data.blobDigest = digestString(raw.h)
	data.diffID = data.blobDigest
	if diff != nil {
		data.diffID = digestString(diff)
	}
	return data, nil
}

func digestString(h hash.Hash) string {
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// streamError words a decompression or read error for the user.
func streamError(comp string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated: the stream ends early (%w)", err)
	}
	switch comp {
	case CompressionGzip:
		return fmt.Errorf("corrupt gzip stream: %w", err)
	case CompressionZstd:
		return fmt.Errorf("corrupt zstd stream: %w", err)
	}
	return err
}

// readTar walks the tar stream and appends one entry per header.
func readTar(ctx context.Context, r io.Reader, comp string, opt decodeOptions, data *layerData) error {
	tr := tar.NewReader(r)
	var h contentHash
	if opt.stable {
		h = xxhash.New()
	} else {
		var mh maphash.Hash
		if opt.seed != (maphash.Seed{}) {
			mh.SetSeed(opt.seed)
		}
		h = &mh
	}
	// The copy buffer grows with the largest body read, up to its cap.
	var buf []byte
	for i := 0; ; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if errors.Is(err, tar.ErrHeader) || errors.Is(err, tar.ErrFieldTooLong) || errors.Is(err, tar.ErrInsecurePath) {
				return fmt.Errorf("entry %d: not a valid tar stream: %w", data.entries.len()+1, err)
			}
			return streamError(comp, fmt.Errorf("reading tar header after %d entries: %w", data.entries.len(), err))
		}
		if data.entries.len() >= maxLayerEntries {
			return fmt.Errorf("more than %d entries: refusing to read further", maxLayerEntries)
		}
		e, keep, err := entryFromHeader(hdr)
		if err != nil {
			return fmt.Errorf("entry %q: %w", hdr.Name, err)
		}
		if !keep {
			continue
		}
		if opt.capture != nil && e.kind != KindWhiteout && e.kind != KindOpaque && opt.capture(e.path) {
			e.captured = true
		}
		if e.kind == KindFile && e.size > 0 && !isSparse(hdr) {
			wantHead := e.captured
			if opt.hash || wantHead {
				if int64(len(buf)) < e.size && len(buf) < copyBufferSize {
					buf = make([]byte, min(max(e.size, 4096), copyBufferSize))
				}
				head, err := readBody(tr, &e, h, buf, opt.hash, wantHead)
				if err != nil {
					return streamError(comp, fmt.Errorf("entry %q: reading content: %w", hdr.Name, err))
				}
				if head != nil {
					if data.heads == nil {
						data.heads = map[int][]byte{}
					}
					data.heads[data.entries.len()] = head
				}
			}
		}
		data.entries.add(e)
		if opt.entries != nil && data.entries.len()%entryChunk == 0 {
			opt.entries(entryChunk)
			data.told += entryChunk
		}
	}
}

// readBody hashes a regular file's content and returns its first bytes
// when asked. A body shorter than the header claims is an error.
func readBody(tr *tar.Reader, e *entry, h contentHash, buf []byte, hash, wantHead bool) ([]byte, error) {
	h.Reset()
	var read int64
	var head []byte
	for {
		n, err := tr.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if wantHead && len(head) < headMax {
				take := min(headMax-len(head), n)
				head = append(head, chunk[:take]...)
			}
			if hash {
				h.Write(chunk)
			}
			read += int64(n)
			if !hash && len(head) >= headMax {
				// Only the head was wanted; tar skips the rest.
				return head, nil
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if read != e.size {
		return nil, io.ErrUnexpectedEOF
	}
	if hash {
		e.hash = h.Sum64()
		e.hashed = true
	}
	return head, nil
}

// isSparse reports whether a header describes a sparse file, whose logical
// size can be far larger than its stored data. Such bodies are never read.
func isSparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// entryFromHeader reduces a tar header. keep is false for headers that do
// not describe a path (the root itself, overlay bookkeeping files).
func entryFromHeader(hdr *tar.Header) (entry, bool, error) {
	p, err := cleanEntryPath(hdr.Name)
	if err != nil {
		return entry{}, false, err
	}
	if p == "" {
		return entry{}, false, nil
	}
	e := entry{
		path: p,
		mode: uint32(hdr.Mode) & 0o7777,
		uid:  clampID(hdr.Uid),
		gid:  clampID(hdr.Gid),
	}
	if target, kind, skip, ok := splitWhiteout(p); ok {
		if skip {
			return entry{}, false, nil
		}
		e.path = target
		e.kind = kind
		e.mode = 0
		return e, true, nil
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse, '\x00':
		e.kind = KindFile
		if hdr.Size < 0 {
			return entry{}, false, fmt.Errorf("negative size %d", hdr.Size)
		}
		e.size = hdr.Size
	case tar.TypeDir:
		e.kind = KindDir
	case tar.TypeSymlink:
		e.kind = KindSymlink
		e.link = hdr.Linkname
	case tar.TypeLink:
		target, err := cleanEntryPath(hdr.Linkname)
		if err != nil {
			return entry{}, false, fmt.Errorf("hard link target: %w", err)
		}
		if target == "" {
			return entry{}, false, errors.New("hard link to the image root")
		}
		e.kind = KindHardlink
		e.link = target
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		e.kind = KindOther
	default:
		// Unknown type flags are treated like regular files by tar readers;
		// keep the path so the tree stays complete, without content.
		e.kind = KindOther
	}
	return e, true, nil
}

func clampID(id int) uint32 {
	if id < 0 || id > 1<<32-1 {
		return 0
	}
	return uint32(id)
}
