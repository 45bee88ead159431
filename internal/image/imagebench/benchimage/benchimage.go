// Package benchimage generates strata's benchmark image, written as a
// docker save archive: ten layers, about 1.8 GB and 60,000 files, a layer
// that deletes 10,000 files one by one and a directory of 5,000 more, a
// layer that copies 100 MB up with chmod. Variant B is the same image
// rebuilt with a change: the same bottom seven layers, other content in
// layer 8, and a last layer that deletes /opt/src, for strata diff.
// The content is deterministic.
package benchimage

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"time"
)

// Spec says which image to generate.
type Spec struct {
	// Scale scales the file counts and the large files' sizes (1: the
	// full image).
	Scale float64
	// Whiteouts is how many files layer 7 deletes one by one (0: none,
	// and no directory deletion).
	Whiteouts int
	// SizeScale scales every file's size (1: as planned; 0.001 gives the
	// 60,000 files in a few megabytes).
	SizeScale float64
	// Variant is "" or VariantB.
	Variant string
	// Entries, when above 0, replaces the ten layers with one layer of
	// that many files holding the same 16 bytes each, 1,000 to a
	// directory: a layer of a million entries, and one group of a
	// million duplicates.
	Entries int
}

// VariantB names the rebuilt image.
const VariantB = "b"

// Stats describe what Write wrote.
type Stats struct {
	Layers, Files int
	Bytes         int64
}

// Write writes the image as a docker save archive (old layout,
// uncompressed layers).
func Write(w io.Writer, s Spec) (Stats, error) {
	var st Stats
	if s.SizeScale == 0 {
		s.SizeScale = 1
	}
	outer := tar.NewWriter(w)
	p := newPool()
	layers := plan(s.Scale, s.Whiteouts, s.SizeScale)
	if s.Variant == VariantB {
		layers = variantB(layers)
	}
	if s.Entries > 0 {
		layers = manyEntries(s.Entries)
	}
	var diffIDs, names []string
	var history []map[string]any
	mtime := time.Unix(1700000000, 0)
	totalFiles, totalBytes := 0, int64(0)
	for i, l := range layers {
		id := fmt.Sprintf("%064x", i+1)
		name := id + "/layer.tar"
		size := tarSize(l.files)
		if err := outer.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: size, Mode: 0o644, ModTime: mtime, Format: tar.FormatUSTAR}); err != nil {
			return st, err
		}
		h := sha256.New()
		cw := &countingWriter{w: io.MultiWriter(outer, h)}
		if err := writeLayer(cw, p, l.files, mtime); err != nil {
			return st, err
		}
		if cw.n != size {
			return st, fmt.Errorf("layer %d: wrote %d bytes, planned %d", i+1, cw.n, size)
		}
		diffIDs = append(diffIDs, "sha256:"+hex.EncodeToString(h.Sum(nil)))
		names = append(names, name)
		history = append(history, map[string]any{"created": mtime.Format(time.RFC3339), "created_by": l.createdBy})
		if i == 0 {
			history = append(history, map[string]any{"created": mtime.Format(time.RFC3339), "created_by": `/bin/sh -c #(nop)  CMD ["bash"]`, "empty_layer": true})
		}
		for _, fl := range l.files {
			if !fl.dir {
				totalFiles++
				totalBytes += fl.size
			}
		}
	}
	cfg := map[string]any{
		"architecture": "amd64", "os": "linux", "created": mtime.Format(time.RFC3339),
		"config":  map[string]any{"Cmd": []string{"/opt/out/app"}, "User": "1000"},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": diffIDs},
		"history": history,
	}
	raw, _ := json.Marshal(cfg)
	sum := sha256.Sum256(raw)
	cfgName := hex.EncodeToString(sum[:]) + ".json"
	if err := writeFile(outer, cfgName, raw, mtime); err != nil {
		return st, err
	}
	man, _ := json.Marshal([]map[string]any{{"Config": cfgName, "RepoTags": []string{"strata-bench:latest"}, "Layers": names}})
	if err := writeFile(outer, "manifest.json", man, mtime); err != nil {
		return st, err
	}
	if err := outer.Close(); err != nil {
		return st, err
	}
	st = Stats{Layers: len(layers), Files: totalFiles, Bytes: totalBytes}
	return st, nil
}

// file is one entry of a generated layer.
type file struct {
	name string
	size int64
	mode int64
	dir  bool
	// seed picks the content; equal seeds give equal content.
	seed uint64
}

// layerSpec describes one generated layer.
type layerSpec struct {
	createdBy string
	files     []file
}

// pool is random bytes file contents are cut from.
type pool struct{ b []byte }

func newPool() *pool {
	b := make([]byte, 8<<20)
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; i+8 <= len(b); i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		for k := 0; k < 8; k++ {
			b[i+k] = byte(x >> (8 * k))
		}
	}
	return &pool{b: b}
}

// write writes n bytes of the content for seed: an 8-byte seed header,
// then bytes from the pool at an offset the seed picks.
func (p *pool) write(w io.Writer, seed uint64, n int64) error {
	var hdr [8]byte
	for k := range hdr {
		hdr[k] = byte(seed >> (8 * k))
	}
	if n <= 8 {
		_, err := w.Write(hdr[:n])
		return err
	}
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	n -= 8
	off := int64((seed * 2654435761) % uint64(len(p.b)/2))
	for n > 0 {
		chunk := min(n, int64(len(p.b))-off)
		if _, err := w.Write(p.b[off : off+chunk]); err != nil {
			return err
		}
		n -= chunk
		off = 0
	}
	return nil
}

// plan lays out the benchmark image: ten layers, about 1.8 GB and 60,000
// files; layer 7 deletes whiteouts files of layer 2 one by one and a whole
// directory of layer 5; layer 10 changes the mode of 100 files of layer 9
// (a copy-up).
func plan(scale float64, whiteouts int, sizeScale float64) []layerSpec {
	sz := func(n int64) int64 { return int64(float64(n) * sizeScale) }
	n := func(x int) int { return max(1, int(float64(x)*scale)) }
	var seed uint64
	next := func() uint64 { seed++; return seed }
	many := func(dir string, count int, size int64) []file {
		var fs []file
		perDir := 100
		for i := 0; i < count; i++ {
			if i%perDir == 0 {
				fs = append(fs, file{name: fmt.Sprintf("%s/d%04d/", dir, i/perDir), dir: true, mode: 0o755})
			}
			// Sizes vary around the mean.
			fs = append(fs, file{name: fmt.Sprintf("%s/d%04d/f%06d.dat", dir, i/perDir, i), size: sz(size/2 + int64(i%7)*size/6), mode: 0o644, seed: next()})
		}
		return fs
	}
	var layers []layerSpec
	add := func(by string, fs ...[]file) {
		var all []file
		for _, f := range fs {
			all = append(all, f...)
		}
		layers = append(layers, layerSpec{createdBy: by, files: all})
	}
	add("/bin/sh -c #(nop) ADD file:rootfs in / ", many("usr/lib/base", n(20000), 8<<10))
	l2 := many("opt/deps", n(10000), 20<<10)
	add("RUN /bin/sh -c install-deps # buildkit", l2)
	big := []file{}
	for i := 0; i < 8; i++ {
		big = append(big, file{name: fmt.Sprintf("opt/assets/big%d.bin", i), size: sz(int64(float64(50<<20) * scale)), mode: 0o644, seed: next()})
	}
	add("COPY assets /opt/assets # buildkit", many("opt/src", n(10000), 10<<10), big)
	add("RUN /bin/sh -c build # buildkit", many("opt/build", n(5000), 40<<10))
	add("RUN /bin/sh -c fetch-cache # buildkit", many("var/cache/fetch", n(5000), 20<<10))
	add("RUN /bin/sh -c more # buildkit", many("opt/more", n(5000), 20<<10))
	// Layer 7: the whiteouts.
	var wh []file
	count := 0
	for _, f := range l2 {
		if f.dir || count >= whiteouts {
			continue
		}
		d, b := path.Split(f.name)
		wh = append(wh, file{name: d + ".wh." + b, mode: 0o644})
		count++
	}
	if whiteouts > 0 {
		wh = append(wh, file{name: "var/cache/.wh.fetch", mode: 0o644})
	}
	add("RUN /bin/sh -c cleanup # buildkit", wh, many("opt/late", n(1000), 10<<10))
	add("RUN /bin/sh -c compile # buildkit", many("opt/out", n(4000), 50<<10))
	l9 := many("opt/models", n(200), 1<<20)
	add("COPY models /opt/models # buildkit", l9)
	var chmod []file
	for _, f := range l9 {
		if !f.dir && len(chmod) < 100 {
			f.mode = 0o755
			chmod = append(chmod, f)
		}
	}
	add("RUN /bin/sh -c chmod +x /opt/models/... # buildkit", chmod)
	return layers
}

// manyEntries is one layer of n identical small files.
func manyEntries(n int) []layerSpec {
	fs := make([]file, 0, n+n/1000+1)
	for i := 0; i < n; i++ {
		if i%1000 == 0 {
			fs = append(fs, file{name: fmt.Sprintf("data/d%04d/", i/1000), dir: true, mode: 0o755})
		}
		fs = append(fs, file{name: fmt.Sprintf("data/d%04d/f%07d", i/1000, i), size: 16, mode: 0o644, seed: 1})
	}
	return []layerSpec{{createdBy: "COPY data /data # buildkit", files: fs}}
}

func pad512(n int64) int64 { return (n + 511) &^ 511 }

// tarSize is the exact size of the USTAR stream tar.Writer makes.
func tarSize(fs []file) int64 {
	s := int64(1024)
	for _, f := range fs {
		s += 512 + pad512(f.size)
	}
	return s
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeFile(tw *tar.Writer, name string, b []byte, mtime time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: int64(len(b)), Mode: 0o644, ModTime: mtime, Format: tar.FormatUSTAR}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

func writeLayer(w io.Writer, p *pool, fs []file, mtime time.Time) error {
	tw := tar.NewWriter(w)
	for _, f := range fs {
		hdr := &tar.Header{Name: f.name, Mode: f.mode, ModTime: mtime, Format: tar.FormatUSTAR, Uname: "root", Gname: "root"}
		if f.dir {
			hdr.Typeflag = tar.TypeDir
		} else {
			hdr.Typeflag = tar.TypeReg
			hdr.Size = f.size
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if f.size > 0 {
			if err := p.write(tw, f.seed, f.size); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

// variantB rebuilds the image with a change: layer 8's files get other
// content (same names and sizes), and layer 10 deletes /opt/src and adds
// a file instead of the chmod.
func variantB(layers []layerSpec) []layerSpec {
	out := append([]layerSpec(nil), layers...)
	l8 := layerSpec{createdBy: out[7].createdBy + " (rebuilt)"}
	for _, f := range out[7].files {
		if !f.dir {
			f.seed += 1 << 32
		}
		l8.files = append(l8.files, f)
	}
	out[7] = l8
	out[9] = layerSpec{createdBy: "RUN /bin/sh -c rm -rf /opt/src # buildkit", files: []file{
		{name: "opt/.wh.src", mode: 0o644},
		{name: "opt/VERSION", size: 6, mode: 0o644, seed: 1 << 40},
	}}
	return out
}
