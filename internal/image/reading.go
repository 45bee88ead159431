package image

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A reading is a layer blob reduced to its entries (layerData), encoded
// for a LayerStore:
//
//	magic "SLR" version
//	compression (string), blob bytes, tar bytes (uvarints)
//	blob digest, diff ID (strings: what the blob's reading computed)
//	entry count, then per entry:
//	  path as the length it shares with the previous path and the rest
//	  link (string), size, mode, uid, gid (uvarints), kind, flags (bytes)
//	  the content hash (8 bytes, little-endian) when flagHashed
//	head count, then per head: entry index, bytes
//
// Strings and byte slices are a uvarint length and the bytes. Decoding
// checks every length and value, so that a damaged reading is an error,
// never a panic or a large allocation.

var readingMagic = []byte{'S', 'L', 'R', LayerRecordVersion}

// digestMax bounds a digest's length in a reading ("sha256:" and 64 hex
// digits, or another algorithm's).
const digestMax = 160

// Entry flags in a reading.
const (
	flagHashed   = 1 << 0
	flagCaptured = 1 << 1
)

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encodeReading encodes d.
func encodeReading(d *layerData) []byte {
	b := make([]byte, 0, 64+d.entries.len()*32)
	b = append(b, readingMagic...)
	b = appendString(b, d.compression)
	b = binary.AppendUvarint(b, uint64(d.blobBytes))
	b = binary.AppendUvarint(b, uint64(d.tarBytes))
	b = appendString(b, d.blobDigest)
	b = appendString(b, d.diffID)
	b = binary.AppendUvarint(b, uint64(d.entries.len()))
	prev := ""
	for i := range d.entries.len() {
		e := d.entries.at(i)
		shared := commonPrefix(prev, e.path)
		b = binary.AppendUvarint(b, uint64(shared))
		b = appendString(b, e.path[shared:])
		prev = e.path
		b = appendString(b, e.link)
		b = binary.AppendUvarint(b, uint64(e.size))
		b = binary.AppendUvarint(b, uint64(e.mode))
		b = binary.AppendUvarint(b, uint64(e.uid))
		b = binary.AppendUvarint(b, uint64(e.gid))
		var flags byte
		if e.hashed {
			flags |= flagHashed
		}
		if e.captured {
			flags |= flagCaptured
		}
		b = append(b, byte(e.kind), flags)
		if e.hashed {
			b = binary.LittleEndian.AppendUint64(b, e.hash)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(d.heads)))
	for i := range d.entries.len() {
		if h, ok := d.heads[i]; ok {
			b = binary.AppendUvarint(b, uint64(i))
			b = binary.AppendUvarint(b, uint64(len(h)))
			b = append(b, h...)
		}
	}
	return b
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

var errReading = errors.New("damaged layer reading")

// readingDecoder reads the fields of a reading.
type readingDecoder struct {
	b   []byte
	err error
}

func (r *readingDecoder) uvarint(limit uint64) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > limit {
		r.err = errReading
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *readingDecoder) bytes(limit int) []byte {
	n := r.uvarint(uint64(limit))
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errReading
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *readingDecoder) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errReading
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// decodeReading decodes a reading made by encodeReading. The entries'
// strings are copied out of rec.
func decodeReading(rec []byte) (*layerData, error) {
	if len(rec) < len(readingMagic) || string(rec[:len(readingMagic)]) != string(readingMagic) {
		return nil, fmt.Errorf("%w: not a reading of format %d", errReading, LayerRecordVersion)
	}
	r := &readingDecoder{b: rec[len(readingMagic):]}
	const maxInt = 1<<63 - 1
	d := &layerData{}
	switch c := string(r.bytes(16)); c {
	case CompressionNone, CompressionGzip, CompressionZstd:
		d.compression = c
	default:
		return nil, errReading
	}
	d.blobBytes = int64(r.uvarint(maxInt))
	d.tarBytes = int64(r.uvarint(maxInt))
	d.blobDigest = string(r.bytes(digestMax))
	d.diffID = string(r.bytes(digestMax))
	// Every entry takes at least 9 bytes: no count can exceed that.
	count := r.uvarint(min(maxLayerEntries, uint64(len(r.b))/9))
	if r.err != nil {
		return nil, r.err
	}
	prev := ""
	for i := uint64(0); i < count; i++ {
		shared := int(r.uvarint(uint64(len(prev))))
		rest := r.bytes(len(r.b))
		if r.err != nil {
			return nil, r.err
		}
		e := entry{path: prev[:shared] + string(rest)}
		prev = e.path
		e.link = string(r.bytes(len(r.b)))
		e.size = int64(r.uvarint(maxInt))
		e.mode = uint32(r.uvarint(0o7777))
		e.uid = uint32(r.uvarint(1<<32 - 1))
		e.gid = uint32(r.uvarint(1<<32 - 1))
		e.kind = Kind(r.byte())
		flags := r.byte()
		if r.err != nil {
			return nil, r.err
		}
		if e.kind < KindFile || e.kind > KindOpaque || flags&^(flagHashed|flagCaptured) != 0 {
			return nil, errReading
		}
		if e.kind == KindOpaque {
			if e.path != "" {
				if p, err := cleanEntryPath(e.path); err != nil || p != e.path {
					return nil, errReading
				}
			}
		} else if p, err := cleanEntryPath(e.path); err != nil || p != e.path || p == "" {
			return nil, errReading
		}
		e.hashed, e.captured = flags&flagHashed != 0, flags&flagCaptured != 0
		if e.hashed {
			if len(r.b) < 8 {
				return nil, errReading
			}
			e.hash = binary.LittleEndian.Uint64(r.b)
			r.b = r.b[8:]
		}
		d.entries.add(e)
	}
	heads := r.uvarint(uint64(d.entries.len()))
	for i := uint64(0); i < heads && r.err == nil; i++ {
		idx := r.uvarint(uint64(d.entries.len()) - 1)
		h := r.bytes(headMax)
		if r.err != nil {
			break
		}
		if d.heads == nil {
			d.heads = map[int][]byte{}
		}
		d.heads[int(idx)] = append([]byte(nil), h...)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errReading
	}
	return d, nil
}
