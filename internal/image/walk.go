package image

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stratatools/strata/internal/vocab"
)

// Options tune an analysis.
type Options struct {
	// Jobs is the number of layers decoded at once; 0 means GOMAXPROCS.
	Jobs int
	// Base, when set (from --base), says which layers belong to the base
	// image; nil detects it from the Dockerfile mapping or the history.
	Base *BaseSpec
	// Dockerfile, if set, maps layers to the instructions of its final
	// stage and places findings on their lines.
	Dockerfile *Dockerfile
	// Ignore leaves matching paths out of the waste figures.
	Ignore *Matcher
	// NoHash skips hashing file contents: no duplicate detection, and
	// copy-ups are recognized only for empty files.
	NoHash bool
	// Checks run on the result and report findings; nil reports none.
	Checks Checker
	// Top is the number of largest files and directories kept (default 10).
	Top int
	// Progress, if set, is called as layers are read (from several
	// goroutines, never concurrently).
	Progress func(Progress)
	// Changes records what each layer added, modified and removed
	// (Result.Changes), for the explorer.
	Changes bool
	// Shared, if set, joins this analysis to others (see Shared): the
	// two sides of a diff.
	Shared *Shared
	// Entries, if set, is told the number of entries of each layer blob
	// read, as it is read (from several goroutines at once), e.g. to size
	// a memory limit: what the analysis holds grows with them.
	Entries func(n int)
	// Layers, if set, keeps the readings of layer blobs by digest (see
	// LayerStore): a layer it knows is not fetched again. Content hashes
	// are then made with a fixed function, so that readings of different
	// runs compare. Not used with NoHash.
	Layers LayerStore
}

// BaseSpec describes a known base image.
type BaseSpec struct {
	Ref string
	// DiffIDs are the base image's layers; when set, the base is the
	// longest run of the image's bottom layers that matches them.
	DiffIDs []string
	// Layers is the number of the image's bottom layers that are the base
	// (used when DiffIDs is empty).
	Layers int
	// History is the number of history entries of the base (-1: unknown).
	History int
}

// BaseSpecFromMeta describes the image m as a base image.
func BaseSpecFromMeta(ref string, m *Meta) *BaseSpec {
	b := &BaseSpec{Ref: ref, History: -1}
	if m.Config != nil {
		for _, d := range m.Config.RootFS.DiffIDs {
			b.DiffIDs = append(b.DiffIDs, d.String())
		}
		b.Layers = len(b.DiffIDs)
		if len(m.Config.History) > 0 {
			b.History = len(m.Config.History)
		}
	}
	return b
}

// Progress reports how far the reading of layers has come.
type Progress struct {
	LayersDone  int
	LayersTotal int // 0 until the manifest has been read
	Bytes       int64
}

// walker implements Handler: it decodes blobs, possibly concurrently, and
// folds them into the tree in layer order as soon as they are ready.
type walker struct {
	opts    Options
	name    string // the source, for layer errors
	decode  decodeOptions
	jobs    int
	bytes   atomic.Int64
	progMu  sync.Mutex
	lastRep time.Time
	started time.Time

	mu       sync.Mutex
	meta     *Meta
	decoded  map[string]*decodedBlob
	refs     map[string]int // layers still to fold, per key
	next     int            // next layer index to fold
	tree     *tree
	ledger   *ledger
	layers   []layerStats
	captured []Captured
	done     int
	// historyLayerOf maps history entries to 0-based layers (-1: empty).
	historyLayerOf []int
	// shareBlobs is set when layers may be decoded once for this and
	// another analysis (see Shared); keyDiff maps blob keys to diff IDs
	// and pending counts the layers of each diff ID not folded yet.
	shareBlobs bool
	arrived    bool
	keyDiff    map[string]string
	pending    map[string]int
	// fills are the readings owed to Options.Layers, by blob key.
	fills map[string]func(*layerData)
}

// decodedBlob is a layer blob's entries, or why they could not be read.
type decodedBlob struct {
	data *layerData
	err  error
	read time.Duration
}

// layerStats are the per-layer figures gathered while folding.
type layerStats struct {
	blobBytes   int64
	tarBytes    int64
	compression string
	files       int
	whiteouts   int
	added       int64
	links       int64
	readTime    time.Duration
	applyTime   time.Duration
	folded      bool
}

func newWalker(opts Options, name string, capture func(string) bool) *walker {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	w := &walker{
		opts:    opts,
		name:    name,
		jobs:    jobs,
		decoded: map[string]*decodedBlob{},
		started: time.Now(),
	}
	w.decode = decodeOptions{seed: maphash.MakeSeed(), hash: !opts.NoHash, capture: capture, entries: opts.Entries, stable: opts.Layers != nil}
	if opts.Shared != nil {
		w.decode.seed = opts.Shared.seed
		w.shareBlobs = capture == nil && !opts.NoHash && opts.Shared.parallel >= 2
	}
	if opts.Progress != nil {
		w.decode.progress = func(n int64) {
			w.bytes.Add(n)
			w.report(false)
		}
	}
	w.ledger = newLedger(0, opts.Ignore)
	w.tree = newTree(w.ledger)
	if opts.Changes {
		w.tree.log = &changeLog{}
	}
	return w
}

func (w *walker) Jobs() int { return w.jobs }

// report calls the progress callback; only layer completions are forced,
// byte counts are sent at most every 100 ms.
func (w *walker) report(force bool) {
	if w.opts.Progress == nil {
		return
	}
	w.progMu.Lock()
	defer w.progMu.Unlock()
	now := time.Now()
	if !force && now.Sub(w.lastRep) < 100*time.Millisecond {
		return
	}
	w.lastRep = now
	w.mu.Lock()
	p := Progress{LayersDone: w.done, Bytes: w.bytes.Load()}
	if w.meta != nil {
		p.LayersTotal = len(w.meta.Layers)
	}
	w.mu.Unlock()
	w.opts.Progress(p)
}

// Meta records the image's metadata and folds whatever is ready.
func (w *walker) Meta(m *Meta) error {
	if m == nil || m.Config == nil {
		return vocab.Inputf("%s: the image has no configuration", w.name)
	}
	if err := checkLayerCount(m); err != nil {
		return vocab.Inputf("%s: %w", w.name, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.meta = m
	w.refs = map[string]int{}
	for _, l := range m.Layers {
		w.refs[l.Key]++
	}
	w.layers = make([]layerStats, len(m.Layers))
	w.ledger.grow(len(m.Layers))
	if w.shareBlobs {
		w.expectShared(m)
	}
	// Blobs decoded before the manifest arrived (a streamed archive) that
	// no layer uses are dropped; errors they had do not matter.
	for k := range w.decoded {
		if w.refs[k] == 0 {
			delete(w.decoded, k)
		}
	}
	return w.advanceLocked()
}

// checkLayerCount compares the manifest with the configuration's diff IDs.
func checkLayerCount(m *Meta) error {
	if n := len(m.Config.RootFS.DiffIDs); n != len(m.Layers) {
		return fmt.Errorf("the manifest lists %d layers but the configuration lists %d diff IDs", len(m.Layers), n)
	}
	return nil
}

// Layer decodes one blob, then folds every layer that is ready in order.
func (w *walker) Layer(ctx context.Context, key string, r io.Reader) error {
	start := time.Now()
	data, err := w.decodeBlob(ctx, key, r)
	w.filled(key, data, err)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil && w.opts.Entries != nil {
		// Whole chunks were told as they were read.
		w.opts.Entries(data.entries.len() - data.told)
	}
	return w.deliver(key, data, err, time.Since(start))
}

// deliver records a blob's entries (or why they could not be read), then
// folds every layer that is ready in order.
func (w *walker) deliver(key string, data *layerData, err error, read time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.meta != nil && w.refs[key] == 0 {
		// Not a layer of this image (another blob in a streamed archive).
		return nil
	}
	if err != nil {
		err = w.layerErrorLocked(key, err)
		if w.meta != nil {
			return err
		}
	}
	w.decoded[key] = &decodedBlob{data: data, err: err, read: read}
	if w.meta == nil {
		return nil
	}
	return w.advanceLocked()
}

// layerErrorLocked names the layer a blob error belongs to.
func (w *walker) layerErrorLocked(key string, err error) error {
	if w.meta != nil {
		for i, l := range w.meta.Layers {
			if l.Key == key {
				return &LayerError{Image: w.name, Index: i, Digest: l.Digest, Key: key, Err: err}
			}
		}
	}
	return &LayerError{Image: w.name, Index: -1, Key: key, Err: err}
}

// advanceLocked folds layers in order while their blobs are decoded.
func (w *walker) advanceLocked() error {
	for w.next < len(w.meta.Layers) {
		l := w.meta.Layers[w.next]
		d := w.decoded[l.Key]
		if d == nil {
			return nil
		}
		if d.err != nil {
			var le *LayerError
			if errors.As(d.err, &le) && le.Index < 0 {
				le.Index, le.Digest = w.next, l.Digest
			}
			return d.err
		}
		if err := w.foldLocked(w.next, d); err != nil {
			return err
		}
		if w.shareBlobs {
			w.foldedShared(w.next)
		}
		w.refs[l.Key]--
		if w.refs[l.Key] == 0 {
			delete(w.decoded, l.Key)
		}
		w.next++
		w.done++
		if w.opts.Progress != nil {
			// Progress takes the lock itself; report after unlocking.
			w.mu.Unlock()
			w.report(true)
			w.mu.Lock()
		}
	}
	return nil
}

// verifyLocked compares the digests computed while layer i's blob was
// read with what the manifest and the configuration say: the blob's
// digest (OCI layouts, registries) and the diff ID (every source). Only
// SHA-256 digests are checked, the only algorithm images use in practice.
func (w *walker) verifyLocked(i int, d *decodedBlob) error {
	lm := w.meta.Layers[i]
	fail := func(what, got, want string) error {
		return &LayerError{Image: w.name, Index: i, Digest: lm.Digest, Key: lm.Key,
			Err: vocab.Inputf("%s does not match: it is %s, the %s", what, got, want)}
	}
	if want := lm.BlobDigest; strings.HasPrefix(want, "sha256:") && d.data.blobDigest != want {
		return fail("the blob's digest", d.data.blobDigest, "manifest says "+want)
	}
	if ids := w.meta.Config.RootFS.DiffIDs; i < len(ids) && ids[i].Algorithm == "sha256" && d.data.diffID != ids[i].String() {
		return fail("the uncompressed layer's digest", d.data.diffID, "configuration's diff_id is "+ids[i].String())
	}
	return nil
}

// foldLocked applies one decoded layer to the tree.
func (w *walker) foldLocked(i int, d *decodedBlob) error {
	if err := w.verifyLocked(i, d); err != nil {
		return err
	}
	start := time.Now()
	st := &w.layers[i]
	st.blobBytes = d.data.blobBytes
	st.tarBytes = d.data.tarBytes
	st.compression = d.data.compression
	st.readTime = d.read
	for j := range d.data.entries.len() {
		e := d.data.entries.at(j)
		switch e.kind {
		case KindWhiteout, KindOpaque:
			st.whiteouts++
		default:
			st.files++
			switch e.kind {
			case KindFile:
				st.added += e.size
			case KindSymlink:
				st.links += int64(len(e.link))
			}
		}
		if e.captured {
			w.captured = append(w.captured, Captured{Path: e.path, Layer: i, Kind: e.kind, Size: e.size, Mode: e.mode, Head: d.data.heads[j]})
		}
	}
	// The last layer using the blob lets the fold drop its entries as
	// they go into the tree, unless another analysis folds them too.
	release := w.refs[w.meta.Layers[i].Key] == 1 && !d.data.shared
	if err := w.tree.apply(int32(i), &d.data.entries, release); err != nil {
		return &LayerError{Image: w.name, Index: i, Digest: w.meta.Layers[i].Digest, Key: w.meta.Layers[i].Key, Err: &vocab.InputError{Err: err}}
	}
	st.applyTime = time.Since(start)
	st.folded = true
	return nil
}

// finish checks that every layer was folded.
func (w *walker) finish() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.meta == nil {
		return vocab.Inputf("%s: the source ended without an image manifest", w.name)
	}
	if err := w.advanceLocked(); err != nil {
		return err
	}
	if w.next < len(w.meta.Layers) {
		l := w.meta.Layers[w.next]
		return &LayerError{Image: w.name, Index: w.next, Digest: l.Digest, Key: l.Key, Err: vocab.Inputf("blob missing from the source")}
	}
	return nil
}

// Captured is a file a rule asked to see, from any layer, visible in the
// final filesystem or not.
type Captured struct {
	Path  string
	Layer int
	Kind  Kind
	Size  int64
	Mode  uint32
	// Head is the first bytes of the content (at most 16 KiB), when read.
	Head []byte
}
