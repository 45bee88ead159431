package estimate

import (
	"archive/tar"
	"bytes"
	"compress/bzip2"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// maxArchive bounds a local archive ADD reads to size its contents.
const maxArchive = 1 << 30

// copyStep estimates a COPY or ADD: files of the context (after
// .dockerignore), what another stage wrote, a URL, or a local archive
// ADD unpacks.
func (r *run) copyStep(ctx context.Context, s *stageState, in *dockerfile.Instruction, step *Step) error {
	args := in.Args
	if len(args) < 2 {
		return nil
	}
	dest := args[len(args)-1]
	srcs := args[:len(args)-1]
	dst := resolveDest(in, dest)
	destDir := strings.HasSuffix(dest, "/") || len(srcs) > 1 || s.dirs[dst] || dest == "." || dest == "./"
	if from, ok := in.Flag("from"); ok && from != "" {
		return r.copyFromStage(s, in, step, from, srcs, dst, destDir)
	}
	var urls []string
	for _, src := range srcs {
		src = dockerfile.TrimQuotes(src)
		if in.Cmd == "add" && (strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "git@")) {
			urls = append(urls, src)
		}
	}
	for _, u := range urls {
		step.add(r.download(ctx, u, "ADD downloads it"))
	}
	reads := r.reads[in.StartLine]
	var all []copied
	for _, rd := range reads {
		cs := r.cix.take(rd)
		if len(cs) == 0 {
			continue
		}
		if in.Cmd == "add" && len(cs) == 1 && isArchive(cs[0].ctxRel) {
			part, err := r.archive(cs[0])
			if err != nil {
				return err
			}
			step.add(part)
			s.tree.add(&entry{path: dst, size: part.Size, conf: part.Confidence, source: part.Source})
			continue
		}
		all = append(all, cs...)
		e := &entry{path: dst, files: map[string]int64{}, ctx: map[string]string{}, conf: Exact, source: "the build context"}
		single := len(srcs) == 1 && !destDir && len(cs) == 1 && !rd.Wildcard && cs[0].ctxRel == rd.Path
		if !single {
			s.addDir(dst)
		}
		for _, c := range cs {
			rel := c.dstRel
			if single {
				rel = ""
			}
			e.files[rel] = c.size
			e.ctx[rel] = c.ctxRel
		}
		s.tree.add(e)
	}
	if len(reads) == 0 && len(urls) == 0 {
		return nil
	}
	if len(urls) == len(srcs) {
		return nil
	}
	n := sumCopied(all)
	src := "the build context"
	if r.cix.ignore != "" {
		src += " after " + path.Base(r.cix.ignore)
	} else {
		src += " (no .dockerignore)"
	}
	what := fmt.Sprintf("%s from the context", plural(len(all), "file", "files"))
	if len(all) == 0 {
		what = "nothing from the context"
	}
	step.add(Part{What: what, Size: Point(n), Confidence: Exact, Source: src})
	return nil
}

// copyFromStage estimates a COPY --from: what the named stage holds at
// the source paths, as far as the estimate followed its steps.
func (r *run) copyFromStage(s *stageState, in *dockerfile.Instruction, step *Step, from string, srcs []string, dst string, destDir bool) error {
	st := r.file.StageByRef(from, s.st.Index)
	if st == nil {
		r.out.unknownf("line %d: COPY --from=%s copies from an image; what it holds at %s is not known", in.StartLine, from, strings.Join(srcs, " "))
		step.add(Part{What: "files of the image " + from, Size: Between(0, 0, 100e6), Confidence: Unknown, Source: "unknown: the estimate does not read images named by COPY --from"})
		return nil
	}
	other := r.states[st]
	if other == nil {
		return fmt.Errorf("COPY --from=%s: stage not estimated", from)
	}
	for _, raw := range srcs {
		p := dockerfile.TrimQuotes(raw)
		if !path.IsAbs(p) {
			p = path.Join("/", p)
		}
		what := fmt.Sprintf("%s from stage %s", p, stageLabel(st))
		f, ok := other.tree.lookup(p)
		if !ok && other.facts != nil {
			if n, known := other.facts.PathSize(p); known {
				f, ok = found{size: Around(n, 0, 0.1), conf: Modelled, sources: []string{"the files of the base image " + other.facts.Ref + " there (packages the stage installs may add to them)"}}, true
			}
		}
		if !ok {
			if strings.ContainsAny(p, "*?[") {
				r.out.unknownf("line %d: COPY --from=%s %s: a pattern the estimate does not follow", in.StartLine, from, p)
			} else {
				r.out.unknownf("line %d: COPY --from=%s %s: no step of that stage the estimate follows writes it (it may come from the base image)", in.StartLine, from, p)
			}
			step.add(Part{What: what, Size: Between(0, 0, 100e6), Confidence: Unknown, Source: "unknown: not written by a step the estimate follows"})
			continue
		}
		target := dst
		if destDir {
			target = path.Join(dst, path.Base(p))
		}
		s.tree.add(&entry{path: target, size: f.size, conf: f.conf, source: "stage " + stageLabel(st)})
		src := strings.Join(f.sources, "; ")
		if f.files > 0 && f.conf == Exact {
			what += fmt.Sprintf(" (%s)", plural(f.files, "file", "files"))
		}
		step.add(Part{What: what, Size: f.size, Confidence: f.conf, Source: src})
	}
	return nil
}

func isArchive(p string) bool {
	for _, s := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	return false
}

// archive sizes what ADD unpacks from a local archive: the files in a
// tar (plain, gzip or bzip2) as its headers say; an xz or zstd one is
// guessed from its size.
func (r *run) archive(c copied) (Part, error) {
	what := "files unpacked from " + c.ctxRel
	switch {
	case strings.HasSuffix(c.ctxRel, ".xz") || strings.HasSuffix(c.ctxRel, ".txz") || strings.HasSuffix(c.ctxRel, ".zst"):
		return Part{What: what, Size: Between(c.size, 3*c.size, 6*c.size), Confidence: Guessed, Source: "3× the archive's size", Note: "xz and zstd archives unpack 2 to 6 times larger"}, nil
	}
	b, err := r.cix.read(c.ctxRel, maxArchive)
	if err != nil {
		return Part{What: what, Size: Between(c.size, 3*c.size, 6*c.size), Confidence: Guessed, Source: "3× the archive's size", Note: err.Error()}, nil
	}
	var rd io.Reader = bytes.NewReader(b)
	switch {
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return Part{}, vocab.Inputf("%s: not a gzip archive: %w", c.ctxRel, err)
		}
		defer zr.Close()
		rd = zr
	case bytes.HasPrefix(b, []byte("BZh")):
		rd = bzip2.NewReader(rd)
	}
	tr := tar.NewReader(io.LimitReader(rd, 8<<30))
	var n int64
	files := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// ADD copies a file that is not an archive as it is.
			return Part{What: c.ctxRel + " (not unpacked)", Size: Point(c.size), Confidence: Exact, Source: "the build context"}, nil
		}
		if h.Typeflag == tar.TypeReg || h.Typeflag == tar.TypeRegA {
			n += h.Size
			files++
		}
	}
	return Part{What: what + fmt.Sprintf(" (%s)", plural(files, "file", "files")), Size: Point(n), Confidence: Exact, Source: "the archive's headers"}, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %s", vocab.FormatCount(n), many)
}
