package imagetest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The archive fuzz targets take archives (FuzzArchive) and layers
// (FuzzLayer) in a compact form that any bytes decode to, expanded to a
// real tar before each run. A raw tar stalled the fuzzer: its seeds are tens of KB (a 512-byte header per member,
// padding), nearly every mutation broke a header's checksum or a layer's
// digest (so the readers behind them were never reached), and each input
// found interesting was minimized for the default minute. The compact
// form keeps what the readers look at:
//
//	archive = record *( RS record )          RS = 0x1e
//	record  = kind name [ TAB mode ] [ LF link ] LF content
//
// mode is octal (0644 when left out, 0755 for a directory); kind '0' is
// a regular file, '5' a directory, '2' a symbolic link and
// '1' a hard link (both with a link line); 'L' is a layer blob, a regular
// file whose content is itself records separated by US (0x1f), written
// as an uncompressed tar; 'G' is the same, gzipped. Any other kind byte is
// a regular file. In names and contents, "@Hnn" becomes the hex SHA-256
// of record nn's stored bytes, "@Dnn" its digest as "sha256:<hex>" (for
// a layer, of the uncompressed tar: its diff ID), "@Bnn" "sha256:" and
// the stored bytes' hex, and "@Snn" their size; so a mutated layer or
// configuration still matches the digests that name it, and the fold and
// the checks run on it. A layer alone (ExpandLayer) is records separated
// by RS, gzipped when its first byte is 'G'.
const (
	recordSep    = 0x1e
	subRecordSep = 0x1f
)

// compactRecord is one record of the compact form.
type compactRecord struct {
	kind       byte
	name, link string
	mode       int64 // -1: the default
	content    []byte
	sub        []compactRecord // layers
	// Computed by expandArchive: the bytes stored and, for a layer,
	// uncompressed, their hex digests, the name and link expanded.
	stored, diff               []byte
	storedDigest, diffDigest   string
	expandedName, expandedLink string
	state                      int // 0 new, 1 expanding, 2 done
}

func parseRecords(data []byte, sep byte, nested bool) []compactRecord {
	var out []compactRecord
	for _, raw := range bytes.Split(data, []byte{sep}) {
		if len(raw) == 0 {
			continue
		}
		r := compactRecord{kind: raw[0]}
		rest := raw[1:]
		line := func() string {
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				s := string(rest)
				rest = nil
				return s
			}
			s := string(rest[:i])
			rest = rest[i+1:]
			return s
		}
		r.name, r.mode = line(), -1
		if n, m, ok := strings.Cut(r.name, "\t"); ok {
			r.name = n
			if v, err := strconv.ParseInt(m, 8, 64); err == nil {
				r.mode = v & 0o7777
			}
		}
		if r.kind == '1' || r.kind == '2' {
			r.link = line()
		}
		r.content = rest
		if !nested && (r.kind == 'L' || r.kind == 'G') {
			r.sub = parseRecords(r.content, subRecordSep, true)
		}
		out = append(out, r)
	}
	return out
}

var placeholder = regexp.MustCompile(`@([HDBS])([0-9]{2})`)

// ExpandArchive writes the compact archive data as a tar.
func ExpandArchive(data []byte) []byte {
	recs := parseRecords(data, recordSep, false)
	var expand func(i int) bool
	subst := func(s []byte) []byte {
		return placeholder.ReplaceAllFunc(s, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(m[2:]))
			if n >= len(recs) || !expand(n) {
				return m
			}
			r := &recs[n]
			switch m[1] {
			case 'H':
				return []byte(r.storedDigest)
			case 'D':
				return []byte("sha256:" + r.diffDigest)
			case 'B':
				return []byte("sha256:" + r.storedDigest)
			}
			return []byte(strconv.Itoa(len(r.stored)))
		})
	}
	expand = func(i int) bool {
		r := &recs[i]
		switch r.state {
		case 1:
			return false // a record naming itself: left as written
		case 2:
			return true
		}
		r.state = 1
		switch r.kind {
		case 'L', 'G':
			r.diff = writeTar(r.sub, subst)
			r.stored = r.diff
			if r.kind == 'G' {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				_, _ = zw.Write(r.diff)
				_ = zw.Close()
				r.stored = b.Bytes()
			}
		default:
			r.stored = subst(r.content)
			r.diff = r.stored
		}
		sum := sha256.Sum256(r.stored)
		r.storedDigest = hex.EncodeToString(sum[:])
		dsum := sha256.Sum256(r.diff)
		r.diffDigest = hex.EncodeToString(dsum[:])
		r.state = 2
		return true
	}
	for i := range recs {
		expand(i)
	}
	// Names last: a blob is named by its own digest.
	for i := range recs {
		recs[i].expandedName = string(subst([]byte(recs[i].name)))
		recs[i].expandedLink = string(subst([]byte(recs[i].link)))
	}
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, r := range recs {
		writeMember(tw, r.kind, r.expandedName, r.expandedLink, r.mode, r.stored)
	}
	_ = tw.Close()
	return b.Bytes()
}

// writeTar writes layer records as a tar, placeholders substituted.
func writeTar(recs []compactRecord, subst func([]byte) []byte) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, r := range recs {
		writeMember(tw, r.kind, string(subst([]byte(r.name))), string(subst([]byte(r.link))), r.mode, subst(r.content))
	}
	_ = tw.Close()
	return b.Bytes()
}

// writeMember writes one member; what tar.Writer refuses is left out.
func writeMember(tw *tar.Writer, kind byte, name, link string, mode int64, content []byte) {
	hdr := &tar.Header{Name: name, Mode: 0o644}
	switch kind {
	case '5':
		hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
	case '2':
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, link
	case '1':
		hdr.Typeflag, hdr.Linkname = tar.TypeLink, link
	default:
		hdr.Typeflag, hdr.Size = tar.TypeReg, int64(len(content))
	}
	if mode >= 0 {
		hdr.Mode = mode
	}
	if tw.WriteHeader(hdr) != nil {
		return
	}
	if hdr.Typeflag == tar.TypeReg {
		_, _ = tw.Write(content)
	}
}

// CompactArchive turns a tar into the compact form: members whose content
// is a tar (or a gzipped tar) become layer records, and the digests,
// sizes and hex of the records' bytes found in names and contents become
// placeholders.
func CompactArchive(t testing.TB, raw []byte) []byte {
	t.Helper()
	type member struct {
		hdr     *tar.Header
		content []byte
		sub     []member
		gz      bool
	}
	readTar := func(b []byte) ([]member, error) {
		var out []member
		tr := tar.NewReader(bytes.NewReader(b))
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			if err != nil {
				return out, err
			}
			c, err := io.ReadAll(tr)
			if err != nil {
				return out, err
			}
			out = append(out, member{hdr: hdr, content: c})
		}
	}
	ms, err := readTar(raw)
	if err != nil && len(ms) == 0 {
		t.Fatal(err)
	}
	type digests struct{ stored, diff []byte }
	var ds []digests
	for i := range ms {
		m := &ms[i]
		c := m.content
		if zr, err := gzip.NewReader(bytes.NewReader(c)); err == nil {
			if u, err := io.ReadAll(zr); err == nil {
				c, m.gz = u, true
			}
		}
		if sub, err := readTar(c); err == nil && len(sub) > 0 && m.hdr.Typeflag == tar.TypeReg && !strings.HasSuffix(m.hdr.Name, ".json") {
			m.sub = sub
		} else {
			m.gz = false
		}
		if m.sub == nil {
			c = m.content
		}
		ds = append(ds, digests{m.content, c})
	}
	hexOf := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	replace := func(s string) string {
		for i, d := range ds {
			if len(d.stored) == 0 {
				continue
			}
			if ms[i].sub != nil {
				s = strings.ReplaceAll(s, "sha256:"+hexOf(d.diff), fmt.Sprintf("@D%02d", i))
			}
			s = strings.ReplaceAll(s, hexOf(d.stored), fmt.Sprintf("@H%02d", i))
			s = strings.ReplaceAll(s, fmt.Sprintf(`"size":%d`, len(d.stored)), fmt.Sprintf(`"size":@S%02d`, i))
		}
		return s
	}
	var out bytes.Buffer
	record := func(w *bytes.Buffer, m member, top bool) {
		kind := byte('0')
		switch m.hdr.Typeflag {
		case tar.TypeDir:
			kind = '5'
		case tar.TypeSymlink:
			kind = '2'
		case tar.TypeLink:
			kind = '1'
		}
		if top && m.sub != nil {
			kind = 'L'
			if m.gz {
				kind = 'G'
			}
		}
		w.WriteByte(kind)
		w.WriteString(replace(m.hdr.Name))
		if def := map[byte]int64{'5': 0o755}[kind]; m.hdr.Mode&0o7777 != max(def, 0o644) && kind != '2' && kind != '1' {
			fmt.Fprintf(w, "\t%o", m.hdr.Mode&0o7777)
		}
		w.WriteString("\n")
		if kind == '1' || kind == '2' {
			w.WriteString(m.hdr.Linkname + "\n")
		}
	}
	for i, m := range ms {
		if i > 0 {
			out.WriteByte(recordSep)
		}
		record(&out, m, true)
		if m.sub == nil {
			out.WriteString(replace(string(m.content)))
			continue
		}
		for j, s := range m.sub {
			if j > 0 {
				out.WriteByte(subRecordSep)
			}
			record(&out, s, false)
			out.Write(s.content)
		}
	}
	return out.Bytes()
}

// ExpandLayer writes the compact layer data as a tar (gzipped when data
// starts with 'G').
func ExpandLayer(data []byte) []byte {
	gz := len(data) > 0 && data[0] == 'G'
	if gz {
		data = data[1:]
	}
	b := writeTar(parseRecords(data, recordSep, true), func(s []byte) []byte { return s })
	if !gz {
		return b
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

// CompactLayer is the compact form of a layer tar made of entries.
func CompactLayer(t testing.TB, gz bool, entries ...Entry) []byte {
	t.Helper()
	// A one-member archive whose member is the layer, turned compact:
	// the layer's records follow the member's header.
	var b bytes.Buffer
	a := NewArchiveWriter(t, &b)
	a.File("layer.tar", TarBytes(t, entries...))
	a.Close()
	c := CompactArchive(t, b.Bytes())
	_, recs, ok := bytes.Cut(c, []byte("\n"))
	if !ok {
		t.Fatal("no layer record")
	}
	recs = bytes.ReplaceAll(recs, []byte{subRecordSep}, []byte{recordSep})
	if gz {
		return append([]byte{'G'}, recs...)
	}
	return recs
}

// MinimizeQuickly sets -fuzzminimizetime to d unless it was given.
// Minimizing an input found interesting runs the target about once per
// byte of it, several times over, for up to a minute by default with no
// execution counted: the fuzzer looks stalled.
func MinimizeQuickly(f *testing.F, d string) {
	given := false
	flag.Visit(func(fl *flag.Flag) { given = given || fl.Name == "test.fuzzminimizetime" })
	if fl := flag.Lookup("test.fuzzminimizetime"); fl != nil && !given {
		if err := fl.Value.Set(d); err != nil {
			f.Fatal(err)
		}
	}
}
