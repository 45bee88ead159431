package engine

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/docker/docker/client"
	"github.com/klauspost/compress/gzip"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

// analysis is what one pass over a built image gives: strata image's
// figures and, from the same layer streams, their gzip-compressed sizes.
type analysis struct {
	result *image.Result
	// compressed maps a layer's 1-based index to its gzip-compressed size.
	compressed map[int]int64
	// compressedTotal counts each distinct layer blob once, as a registry
	// stores it.
	compressedTotal int64
}

// engineNoClose lends the command's Engine client to strata image, which
// closes the clients it is given.
type engineNoClose struct{ *client.Client }

func (engineNoClose) Close() error { return nil }

// analyze runs strata image's analysis of ref in the Engine; dockerfile,
// if set, maps layers to its instructions.
func analyze(ctx context.Context, cli *client.Client, ref string, df *image.Dockerfile, shared *image.Shared) (*analysis, error) {
	src := daemon.New(ref, daemon.Options{
		Engine: func(context.Context) (daemon.EngineClient, error) { return engineNoClose{cli}, nil },
	})
	return analyzeSource(ctx, src, ref, df, shared)
}

// analyzeSource runs strata image's analysis of the image src reads
// (named ref in messages).
func analyzeSource(ctx context.Context, src image.Source, ref string, df *image.Dockerfile, shared *image.Shared) (*analysis, error) {
	gz := &gzipSizes{sizes: map[string]int64{}}
	res, err := image.Analyze(ctx, &compressingSource{Source: src, sizes: gz}, image.Options{Dockerfile: df, Checks: check.All(), Shared: shared})
	if err != nil {
		return nil, fmt.Errorf("analysing image %s: %w", ref, err)
	}
	a := &analysis{result: res, compressed: map[int]int64{}}
	seen := map[string]bool{}
	for i, key := range gz.keys {
		size := gz.sizes[key]
		a.compressed[i+1] = size
		if !seen[key] {
			seen[key] = true
			a.compressedTotal += size
		}
	}
	return a, nil
}

// gzipSizes records the gzip-compressed size of each layer blob by key,
// and the layers' keys in image order.
type gzipSizes struct {
	mu    sync.Mutex
	sizes map[string]int64
	keys  []string
}

// compressingSource hands strata image the layers of src while
// compressing each one on the side to learn its size in a registry.
type compressingSource struct {
	image.Source
	sizes *gzipSizes
}

func (s *compressingSource) Walk(ctx context.Context, h image.Handler) error {
	return s.Source.Walk(ctx, &compressingHandler{Handler: h, sizes: s.sizes})
}

type compressingHandler struct {
	image.Handler
	sizes *gzipSizes
}

func (h *compressingHandler) Meta(m *image.Meta) error {
	h.sizes.mu.Lock()
	h.sizes.keys = h.sizes.keys[:0]
	for _, l := range m.Layers {
		h.sizes.keys = append(h.sizes.keys, l.Key)
	}
	h.sizes.mu.Unlock()
	return h.Handler.Meta(m)
}

func (h *compressingHandler) Layer(ctx context.Context, key string, r io.Reader) error {
	var n countWriter
	zw, err := gzip.NewWriterLevel(&n, gzip.DefaultCompression)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var sink io.Writer = zw
	finish := func(err error) error { return err }
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		// A registry's blob is compressed already: its tar stream is
		// compressed again, so that the figure does not depend on how
		// the builder compressed it.
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() { done <- gunzipTo(zw, pr) }()
		sink = pw
		finish = func(err error) error {
			pw.CloseWithError(err)
			if uerr := <-done; err == nil && uerr != nil {
				return fmt.Errorf("decompressing layer %s: %w", key, uerr)
			}
			return err
		}
	}
	tee := io.TeeReader(br, sink)
	err = h.Handler.Layer(ctx, key, tee)
	if err == nil {
		// The tar reader may stop before the archive's end padding.
		if _, cerr := io.Copy(io.Discard, tee); cerr != nil {
			err = fmt.Errorf("reading layer %s: %w", key, cerr)
		}
	}
	if err := finish(err); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compressing layer %s: %w", key, err)
	}
	h.sizes.mu.Lock()
	h.sizes.sizes[key] = int64(n)
	h.sizes.mu.Unlock()
	return nil
}

// gunzipTo decompresses the gzip stream r into w, and drains r.
func gunzipTo(w io.Writer, r *io.PipeReader) error {
	zr, err := gzip.NewReader(r)
	if err == nil {
		_, err = io.Copy(w, zr)
	}
	if err != nil {
		r.CloseWithError(err)
	}
	_, _ = io.Copy(io.Discard, r)
	return err
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// sizeNotes say how the sizes were counted.
var sizeNotes = []string{
	"size: the files and symbolic links of every layer, as the Docker Engine counts a pulled or loaded image",
	"compressed size: each layer gzip-compressed (default level), as a registry stores it",
}

// fill copies the analysis into m: layers, compressed size, waste and the
// image findings (named after subject).
func (a *analysis) fill(m *measure.Measurement, subject string) {
	r := a.result
	// The size is counted from the layers' content rather than taken
	// from the Engine, so that every builder gives the same figure: the
	// Engine's BuildKit leaves symbolic links out of the sizes it records
	// for the layers it builds, which a pulled or loaded copy of the same
	// image counts.
	m.Size = r.UnpackedSize()
	m.CompressedSize = a.compressedTotal
	m.Layers = make([]measure.Layer, 0, len(r.Layers))
	for _, l := range r.Layers {
		m.Layers = append(m.Layers, measure.Layer{
			Index: l.Index, Size: l.Size, CompressedSize: a.compressed[l.Index],
			CreatedBy: image.ShortCommand(l.CreatedBy, 80), Base: l.Base,
		})
	}
	m.Waste = measure.Waste{Bytes: r.Waste.Total, Percent: r.Waste.Percent, Efficiency: r.Totals.Efficiency}
	m.ImageFindings = []vocab.Finding{}
	for _, f := range r.Findings {
		msg := f.Message
		if f.Path != "" && !strings.Contains(msg, f.Path) {
			msg += " (" + f.Path + ")"
		}
		m.ImageFindings = append(m.ImageFindings, vocab.Finding{
			File: subject, Rule: f.Rule, Aliases: []string{}, Name: f.Name, Severity: f.Severity,
			Category: f.Category, Checklist: f.Checklist, Line: f.Line, EndLine: f.EndLine, Message: msg,
		})
	}
}
