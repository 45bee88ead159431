// Command imagebench supports scripts/bench-image.sh: it generates a large
// image as a docker save archive (package benchimage), and measures the
// floor of reading archives (a plain parallel read of every layer's tar
// stream, of each archive given, all at once). With -sha256 the floor
// also hashes every layer's bytes with SHA-256, as any reader that checks
// the layers against their digests must: what verification alone costs on
// this machine.
//
//	imagebench gen -o image.tar [-whiteouts 10000] [-scale 1.0] [-size-scale 1.0] [-variant b] [-entries N]
//	imagebench floor [-sha256] image.tar [other.tar ...]
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/stratatools/strata/internal/image/imagebench/benchimage"
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

func gen(args []string) error {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fl.String("o", "", "output archive")
	var s benchimage.Spec
	fl.Float64Var(&s.Scale, "scale", 1, "scale file counts and sizes")
	fl.IntVar(&s.Whiteouts, "whiteouts", 10000, "files layer 7 deletes one by one (0: none, and no directory deletion)")
	fl.Float64Var(&s.SizeScale, "size-scale", 1, "scale every file's size")
	fl.StringVar(&s.Variant, "variant", "", `"b": the image rebuilt with a change (for strata diff)`)
	fl.IntVar(&s.Entries, "entries", 0, "instead of the ten layers, one layer of this many files with the same 16 bytes each, 1,000 to a directory")
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
	st, err := benchimage.Write(bw, s)
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Printf("generated %s: %d layers, %d files, %d content bytes\n", *out, st.Layers, st.Files, st.Bytes)
	return f.Close()
}

// floor reads every layer's tar stream of a docker save archive in
// parallel, every byte of every entry, and does nothing else: the least
// any tool must do to look at each file.
func floor(args []string) error {
	fl := flag.NewFlagSet("floor", flag.ContinueOnError)
	verify := fl.Bool("sha256", false, "also hash every layer's bytes with SHA-256")
	if err := fl.Parse(args); err != nil {
		return err
	}
	args = fl.Args()
	if len(args) == 0 {
		return errors.New("usage: imagebench floor [-sha256] ARCHIVE...")
	}
	start := time.Now()
	type job struct {
		f *os.File
		m member
	}
	var all []job
	for _, p := range args {
		f, err := os.Open(p)
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
			return fmt.Errorf("%s: manifest.json: %w", p, err)
		}
		var man []struct{ Layers []string }
		if err := json.Unmarshal(mraw, &man); err != nil || len(man) == 0 {
			return fmt.Errorf("%s: manifest.json: %v", p, err)
		}
		for _, l := range man[0].Layers {
			m, ok := members[l]
			if !ok {
				return fmt.Errorf("%s: layer %s missing", p, l)
			}
			all = append(all, job{f, m})
		}
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var total, entries int64
	var firstErr error
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			for j := range jobs {
				var r io.Reader = io.NewSectionReader(j.f, j.m.off, j.m.size)
				if *verify {
					r = io.TeeReader(r, sha256.New())
				}
				n, e, err := readLayer(r, buf)
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
	for _, j := range all {
		jobs <- j
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
