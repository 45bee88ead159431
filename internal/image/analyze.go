package image

import (
	"context"
	"fmt"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Checker reads a finished result and reports findings. internal/image/check
// provides strata's image checks.
type Checker interface {
	// Capture reports whether the reader should keep the first bytes of
	// the file at path (relative to the image root), in every layer, in
	// Result.Captured. It is called for every entry of every layer, from
	// several goroutines at once.
	Capture(path string) bool
	// Check returns the findings on r; Analyze places them on Dockerfile
	// lines afterwards.
	Check(r *Result) []Finding
}

// Analyze reads the image from src in one pass and returns its figures,
// waste and, with opts.Checks, findings. Errors name the image and, for a
// layer that cannot be read, the layer; bad input wraps a vocab.InputError.
func Analyze(ctx context.Context, src Source, opts Options) (*Result, error) {
	if opts.Top <= 0 {
		opts.Top = 10
	}
	start := time.Now()
	var capture func(string) bool
	if opts.Checks != nil {
		capture = opts.Checks.Capture
	}
	w := newWalker(opts, src.String(), capture)
	defer w.releaseShared()
	err := src.Walk(ctx, w)
	w.abandonFills()
	if err != nil {
		return nil, err
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	walked := time.Since(start)
	r := w.result(src)
	r.Top = opts.Top
	r.Timing.WalkMS = ms(walked)
	if opts.Dockerfile != nil {
		mapDockerfile(r, opts.Dockerfile)
	}
	var base, hist int
	var how, note string
	switch {
	case opts.Base != nil:
		base, hist, how = min(opts.Base.Layers, len(r.Layers)), opts.Base.History, "flag"
		r.Base.Ref = opts.Base.Ref
		if len(opts.Base.DiffIDs) > 0 {
			base = 0
			for base < len(opts.Base.DiffIDs) && base < len(r.Layers) && r.Layers[base].DiffID == opts.Base.DiffIDs[base] {
				base++
			}
			if base < len(opts.Base.DiffIDs) {
				note = fmt.Sprintf("only %d of the %d layers of %s are at the bottom of this image", base, len(opts.Base.DiffIDs), opts.Base.Ref)
				hist = -1
				r.Notes = append(r.Notes, note)
			}
		}
	case r.Dockerfile != nil && r.Dockerfile.BaseLayers >= 0:
		base, hist, how = r.Dockerfile.BaseLayers, r.Dockerfile.BaseHistory, "dockerfile"
	default:
		base, hist, note = detectBase(r.Config.History, w.historyLayerOf)
		how = "history"
		if base == 0 {
			how, note = "none", "no base image recognized in the history; every layer counts as a user layer"
		}
	}
	r.setBase(base, hist, how, note)
	var userDup int64
	r.Waste.Duplicates, r.Waste.Duplicate, userDup = findDuplicates(r.Files, opts.Ignore, base, opts.Top)
	r.summarizeWaste(userDup)
	if opts.Checks != nil {
		r.Findings = append(r.Findings, opts.Checks.Check(r)...)
	}
	if r.Dockerfile != nil {
		placeFindings(r, opts.Dockerfile)
	}
	r.Timing.TotalMS = ms(time.Since(start))
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// result turns the walker's state into a Result.
func (w *walker) result(src Source) *Result {
	m := w.meta
	cfg := m.Config
	r := &Result{Config: cfg, Notes: append([]string(nil), m.Notes...), Captured: w.captured}
	r.Image = ImageInfo{
		Source:       src.String(),
		Transport:    m.Transport,
		Ref:          m.Ref,
		Digest:       m.Digest,
		ID:           m.ConfigDigest,
		MediaType:    m.MediaType,
		Tags:         m.Tags,
		Platform:     platformString(cfg.OS, cfg.Architecture, cfg.Variant),
		Created:      cfg.Created.Time,
		User:         cfg.Config.User,
		Entrypoint:   cfg.Config.Entrypoint,
		Cmd:          cfg.Config.Cmd,
		WorkingDir:   cfg.Config.WorkingDir,
		ExposedPorts: sortedKeys(cfg.Config.ExposedPorts),
	}
	if hc := cfg.Config.Healthcheck; hc != nil {
		r.Image.Healthcheck = hc.Test
	}
	layerOf, ok := historyLayers(cfg.History, len(m.Layers))
	w.historyLayerOf = layerOf
	if !ok && len(cfg.History) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("the history records %d steps that made layers but the image has %d layers; layers are shown without their commands", countNonEmpty(cfg), len(m.Layers)))
	}
	for i, h := range cfg.History {
		r.History = append(r.History, HistoryEntry{
			Index: i + 1, Created: h.Created.Time, CreatedBy: h.CreatedBy, Comment: h.Comment,
			EmptyLayer: h.EmptyLayer, Layer: layerOf[i] + 1,
		})
	}
	for i, lm := range m.Layers {
		st := w.layers[i]
		l := Layer{
			Index: i + 1, Digest: lm.Digest, MediaType: lm.MediaType, Compression: st.compression,
			CompressedSize: st.blobBytes, Size: st.tarBytes, Files: st.files, Whiteouts: st.whiteouts,
			AddedBytes: st.added, LinkBytes: st.links, OverwrittenBytes: w.ledger.overwrote[i], DeletedBytes: w.ledger.deleted[i],
			WastedBytes: w.ledger.lost[i],
		}
		if i < len(cfg.RootFS.DiffIDs) {
			l.DiffID = cfg.RootFS.DiffIDs[i].String()
		}
		for hi, li := range layerOf {
			if li == i {
				l.History = hi + 1
				l.CreatedBy = cfg.History[hi].CreatedBy
				l.Comment = cfg.History[hi].Comment
			}
		}
		r.Layers = append(r.Layers, l)
		r.Totals.Size += l.Size
		r.Totals.CompressedSize += l.CompressedSize
		r.Totals.StoredBytes += l.AddedBytes
		r.Timing.Layers = append(r.Timing.Layers, LayerTiming{Layer: i + 1, ReadMS: ms(st.readTime), ApplyMS: ms(st.applyTime)})
	}
	r.Totals.Layers = len(m.Layers)
	r.Files = flatten(w.tree.root, w.tree.nodes)
	if log := w.tree.log; log != nil {
		r.Changes = make([][]Change, len(m.Layers))
		copy(r.Changes, log.layers)
	}
	if w.opts.Shared != nil && !w.opts.NoHash {
		r.hashes = w.opts.Shared
	}
	// The tree is not needed any more; let the collector have it while
	// the checks run.
	w.tree = nil
	for _, f := range r.Files {
		switch f.Kind {
		case KindFile:
			r.Totals.Files++
			r.Totals.VisibleBytes += f.Size
		case KindDir:
			r.Totals.Dirs++
		default:
			r.Totals.Files++
		}
	}
	r.Largest = largest(r.Files, w.opts.Top)
	r.Waste.Pairs = w.ledger.sortedPairs()
	for i := range r.Waste.Pairs {
		r.Waste.Pairs[i].CreatedBy++
		r.Waste.Pairs[i].HiddenBy++
	}
	r.Waste.Items = w.ledger.items.sorted()
	for i := range r.Waste.Items {
		r.Waste.Items[i].CreatedBy++
		r.Waste.Items[i].HiddenBy++
	}
	for i := range r.Captured {
		r.Captured[i].Layer++
	}
	r.Waste.Ignored = w.ledger.ignored
	for _, p := range r.Waste.Pairs {
		r.Waste.Overwritten += p.Overwritten
		r.Waste.CopyUp += p.CopyUp
		r.Waste.Deleted += p.Deleted
	}
	return r
}

func countNonEmpty(cfg *v1.ConfigFile) int {
	n := 0
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			n++
		}
	}
	return n
}

func platformString(os, arch, variant string) string {
	s := os + "/" + arch
	if variant != "" {
		s += "/" + variant
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// setBase marks the first n layers and hist history entries as the base
// image and computes the user figures. With hist < 0 the base's history
// is taken to end with the step that made its last layer.
func (r *Result) setBase(n, hist int, source, note string) {
	r.Base.Layers, r.Base.Source, r.Base.Note = n, source, note
	r.Totals.UserStoredBytes, r.Totals.UserSize = 0, 0
	for i := range r.Layers {
		r.Layers[i].Base = i < n
		if !r.Layers[i].Base {
			r.Totals.UserStoredBytes += r.Layers[i].AddedBytes
			r.Totals.UserSize += r.Layers[i].Size
		}
	}
	if hist < 0 {
		hist = 0
		for i, h := range r.History {
			if h.Layer > 0 && h.Layer <= n {
				hist = i + 1
			}
		}
	}
	for i := range r.History {
		r.History[i].Base = i < hist
	}
}

// summarizeWaste computes totals and percentages once duplicates and the
// base are known.
func (r *Result) summarizeWaste(userDup int64) {
	wst := &r.Waste
	wst.Total = wst.Overwritten + wst.Deleted + wst.Duplicate
	considered := r.Totals.StoredBytes - wst.Ignored
	if considered > 0 {
		wst.Percent = 100 * float64(wst.Total) / float64(considered)
		r.Totals.Efficiency = float64(r.Totals.VisibleBytes) / float64(considered)
		if r.Totals.Efficiency > 1 {
			r.Totals.Efficiency = 1
		}
	} else {
		r.Totals.Efficiency = 1
	}
	base := r.Base.Layers
	var user int64
	for _, p := range wst.Pairs {
		if p.HiddenBy > base {
			user += p.Overwritten + p.Deleted
		}
	}
	wst.UserTotal = user + userDup
	if r.Totals.UserStoredBytes > 0 {
		wst.UserPercent = 100 * float64(wst.UserTotal) / float64(r.Totals.UserStoredBytes)
	}
}
