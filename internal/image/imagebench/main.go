// Command imagebench supports scripts/bench-image.sh: it generates a large
// image as a docker save archive, and measures the floor of reading it (a
// plain parallel read of every layer's tar stream).
//
//	imagebench gen -o image.tar [-whiteouts 10000] [-scale 1.0]
//	imagebench floor image.tar
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: imagebench gen|floor ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "floor":
		err = floor(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagebench:", err)
		os.Exit(1)
	}
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
func plan(scale float64, whiteouts int) []layerSpec {
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
			sz := size/2 + int64(i%7)*size/6
			fs = append(fs, file{name: fmt.Sprintf("%s/d%04d/f%06d.dat", dir, i/perDir, i), size: sz, mode: 0o644, seed: next()})
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
		big = append(big, file{name: fmt.Sprintf("opt/assets/big%d.bin", i), size: int64(float64(50<<20) * scale), mode: 0o644, seed: next()})
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

// manyEntries is one layer of n identical small files: a million entries
// in a layer, and one duplicate group of a million paths.
func manyEntries(n int) []layerSpec {
	var fs []file
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

func gen(args []string) error {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fl.String("o", "", "output archive")
	scale := fl.Float64("scale", 1, "scale file counts and sizes")
	whiteouts := fl.Int("whiteouts", 10000, "files layer 7 deletes one by one (0: none, and no directory deletion)")
	entries := fl.Int("entries", 0, "instead of the ten layers, one layer of this many files with the same 16 bytes each, 1,000 to a directory")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("gen: -o is required")
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 4<<20)
	outer := tar.NewWriter(bw)
	p := newPool()
	layers := plan(*scale, *whiteouts)
	if *entries > 0 {
		layers = manyEntries(*entries)
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
			return err
		}
		h := sha256.New()
		cw := &countingWriter{w: io.MultiWriter(outer, h)}
		if err := writeLayer(cw, p, l.files, mtime); err != nil {
			return err
		}
		if cw.n != size {
			return fmt.Errorf("layer %d: wrote %d bytes, planned %d", i+1, cw.n, size)
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
		return err
	}
	man, _ := json.Marshal([]map[string]any{{"Config": cfgName, "RepoTags": []string{"strata-bench:latest"}, "Layers": names}})
	if err := writeFile(outer, "manifest.json", man, mtime); err != nil {
		return err
	}
	if err := outer.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Printf("generated %s: %d layers, %d files, %d content bytes\n", *out, len(layers), totalFiles, totalBytes)
	return f.Close()
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

// floor reads every layer's tar stream of a docker save archive in
// parallel, every byte of every entry, and does nothing else: the least
// any tool must do to look at each file.
func floor(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: imagebench floor ARCHIVE")
	}
	start := time.Now()
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	members, err := index(f)
	if err != nil {
		return err
	}
	mraw, err := readMember(f, members["manifest.json"])
	if err != nil {
		return fmt.Errorf("manifest.json: %w", err)
	}
	var man []struct{ Layers []string }
	if err := json.Unmarshal(mraw, &man); err != nil || len(man) == 0 {
		return fmt.Errorf("manifest.json: %v", err)
	}
	jobs := make(chan member)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total, entries int64
	var firstErr error
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			for m := range jobs {
				n, e, err := readLayer(io.NewSectionReader(f, m.off, m.size), buf)
				mu.Lock()
				total += n
				entries += e
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, l := range man[0].Layers {
		m, ok := members[l]
		if !ok {
			return fmt.Errorf("layer %s missing", l)
		}
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Printf("floor: read %d entries, %d content bytes in %.3f s\n", entries, total, time.Since(start).Seconds())
	return nil
}

type member struct{ off, size int64 }

type posReader struct {
	r   io.ReadSeeker
	pos int64
}

func (p *posReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.pos += int64(n)
	return n, err
}

func (p *posReader) Seek(off int64, whence int) (int64, error) {
	n, err := p.r.Seek(off, whence)
	p.pos = n
	return n, err
}

func index(f *os.File) (map[string]member, error) {
	pr := &posReader{r: f}
	tr := tar.NewReader(pr)
	out := map[string]member{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag == tar.TypeReg {
			out[hdr.Name] = member{off: pr.pos, size: hdr.Size}
		}
	}
}

func readMember(f *os.File, m member) ([]byte, error) {
	b := make([]byte, m.size)
	_, err := f.ReadAt(b, m.off)
	return b, err
}

func readLayer(r io.Reader, buf []byte) (int64, int64, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(4)
	var s io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, 0, err
		}
		s = zr
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return 0, 0, err
		}
		defer zr.Close()
		s = zr
	}
	tr := tar.NewReader(s)
	var total, n int64
	for {
		_, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return total, n, nil
		}
		if err != nil {
			return total, n, err
		}
		n++
		for {
			c, err := tr.Read(buf)
			total += int64(c)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return total, n, err
			}
		}
	}
}
