package image

import (
	"container/heap"
	"sort"
)

// Waste kinds, as they appear in WasteItem.Kind.
const (
	WasteOverwritten = "overwritten" // replaced by a later layer's entry
	WasteCopyUp      = "copy-up"     // replaced by identical content (chmod, chown, touch)
	WasteDeleted     = "deleted"     // removed by a later layer's whiteout
	WasteDuplicate   = "duplicate"   // identical content visible at another path
)

// Waste is the byte accounting of an image. Every byte stored in a layer
// (the content of its regular files) is either visible in the final
// filesystem or hidden by a later layer, exactly once:
//
//	StoredBytes = VisibleBytes + Overwritten + Deleted + Ignored
//
// Overwritten counts the bytes of entries a later layer replaced with its
// own entry at the same path (or hid by putting a file where a directory
// was). CopyUp is the part of Overwritten whose replacement had identical
// content: what chmod, chown or touch in a separate RUN costs; the
// replacement itself is visible, so a copy-up is counted once, not twice.
// Deleted counts the bytes a later layer removed with a whiteout: single
// files, whole directories, and the lower contents of an opaque directory.
// Duplicate counts, for every content visible at n > 1 paths of the final
// filesystem, (n-1) times its size. Paths matched by an ignore pattern are
// left out of all four and counted in Ignored instead.
type Waste struct {
	Overwritten int64 `json:"overwritten_bytes"`
	CopyUp      int64 `json:"copy_up_bytes"`
	Deleted     int64 `json:"deleted_bytes"`
	Duplicate   int64 `json:"duplicate_bytes"`
	// Total is Overwritten + Deleted + Duplicate.
	Total int64 `json:"total_bytes"`
	// Percent is Total as a percentage of the stored bytes considered.
	Percent float64 `json:"percent"`
	// User* count only waste a user layer caused: bytes hidden by a layer
	// after the base image, and duplicate copies created by such a layer.
	UserTotal   int64   `json:"user_total_bytes"`
	UserPercent float64 `json:"user_percent"`
	// Ignored is the hidden bytes left out by ignore patterns.
	Ignored int64 `json:"ignored_bytes"`
	// Pairs breaks hidden bytes down by the layer that created them and
	// the layer that hid them.
	Pairs []WastePair `json:"by_layer"`
	// Items lists the largest single sources of waste.
	Items []WasteItem `json:"largest"`
	// Duplicates lists the largest groups of identical files.
	Duplicates []DuplicateGroup `json:"duplicates"`
}

// WastePair is the bytes created by one layer and hidden by another.
type WastePair struct {
	CreatedBy   int   `json:"created_by"`
	HiddenBy    int   `json:"hidden_by"`
	Overwritten int64 `json:"overwritten_bytes"`
	CopyUp      int64 `json:"copy_up_bytes"`
	Deleted     int64 `json:"deleted_bytes"`
	Files       int   `json:"files"`
	// Under is the deepest directory holding every path hidden between
	// the two layers ("" for the root).
	Under string `json:"under"`
	seen  bool
}

// WasteItem is one path (a file, or a directory removed as a whole) whose
// bytes were hidden, split by the layer that created them.
type WasteItem struct {
	Path      string `json:"path"`
	Kind      string `json:"kind"`
	Bytes     int64  `json:"bytes"`
	Files     int    `json:"files"`
	CreatedBy int    `json:"created_by"`
	HiddenBy  int    `json:"hidden_by"`
}

// DuplicateGroup is one content stored at several visible paths.
type DuplicateGroup struct {
	Size int64 `json:"size"`
	// Count is the number of copies.
	Count int `json:"count"`
	// Paths lists the copies by layer, the original first and the
	// newest last, at most Options.Top of them (the first Top-1 and the
	// newest; Count says how many there are).
	Paths []string `json:"paths"`
	// Layers holds, for each path, the layer that created it.
	Layers []int `json:"layers"`
	// Wasted is (Count-1) * Size.
	Wasted int64 `json:"wasted_bytes"`
}

// maxWasteItems bounds the per-path detail kept while folding.
const maxWasteItems = 100

type pairKey struct{ created, hidden int32 }

// ledger collects hidden bytes while layers are folded.
type ledger struct {
	pairs   map[pairKey]*WastePair
	items   itemHeap
	ignore  *Matcher
	ignored int64
	// per layer: bytes this layer hid by overwriting or deleting
	overwrote []int64
	deleted   []int64
	// per layer: bytes this layer stored that a later layer hid
	lost []int64
}

func newLedger(layers int, ignore *Matcher) *ledger {
	return &ledger{
		pairs:     map[pairKey]*WastePair{},
		ignore:    ignore,
		overwrote: make([]int64, layers),
		deleted:   make([]int64, layers),
		lost:      make([]int64, layers),
	}
}

// grow makes room for n layers (the count is not always known up front).
func (l *ledger) grow(n int) {
	for len(l.overwrote) < n {
		l.overwrote = append(l.overwrote, 0)
		l.deleted = append(l.deleted, 0)
		l.lost = append(l.lost, 0)
	}
}

// hiddenAcc accumulates one hide event (a whiteout, an overwrite) per
// creating layer before it is recorded.
type hiddenAcc struct {
	path   string
	kind   string
	hidden int32
	by     map[int32]*WasteItem
}

func (a *hiddenAcc) reset(p, kind string, hidden int32) {
	a.path, a.kind, a.hidden = p, kind, hidden
	clear(a.by)
}

func (a *hiddenAcc) add(created int32, size int64) {
	if a.by == nil {
		a.by = map[int32]*WasteItem{}
	}
	it := a.by[created]
	if it == nil {
		it = &WasteItem{Path: a.path, Kind: a.kind, CreatedBy: int(created), HiddenBy: int(a.hidden)}
		a.by[created] = it
	}
	it.Bytes += size
	it.Files++
}

// record adds a finished hide event to the ledger.
func (l *ledger) record(a *hiddenAcc) {
	l.grow(int(a.hidden) + 1)
	for created, it := range a.by {
		l.grow(int(created) + 1)
		k := pairKey{created, a.hidden}
		p := l.pairs[k]
		if p == nil {
			p = &WastePair{CreatedBy: int(created), HiddenBy: int(a.hidden)}
			l.pairs[k] = p
		}
		switch a.kind {
		case WasteDeleted:
			p.Deleted += it.Bytes
			l.deleted[a.hidden] += it.Bytes
		case WasteCopyUp:
			p.CopyUp += it.Bytes
			p.Overwritten += it.Bytes
			l.overwrote[a.hidden] += it.Bytes
		default:
			p.Overwritten += it.Bytes
			l.overwrote[a.hidden] += it.Bytes
		}
		p.Files += it.Files
		if !p.seen {
			p.Under, p.seen = parentOf(a.path, a.kind), true
		} else {
			p.Under = commonDir(p.Under, parentOf(a.path, a.kind))
		}
		l.lost[created] += it.Bytes
		if it.Bytes > 0 {
			l.items.push(*it)
		}
	}
}

// parentOf is the directory a hide event's bytes are under: the removed
// directory itself for a deletion, the parent otherwise (a file).
func parentOf(p, kind string) string {
	if kind == WasteDeleted {
		return p
	}
	d, _ := splitPath(p)
	return d
}

// commonDir returns the deepest directory containing both a and b.
func commonDir(a, b string) string {
	for a != b {
		if len(a) > len(b) {
			a, _ = splitPath(a)
		} else if len(b) > len(a) {
			b, _ = splitPath(b)
		} else {
			a, _ = splitPath(a)
			b, _ = splitPath(b)
		}
	}
	return a
}

// itemHeap keeps the largest waste items (a min-heap bounded in size).
type itemHeap []WasteItem

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	if h[i].Bytes != h[j].Bytes {
		return h[i].Bytes < h[j].Bytes
	}
	return h[i].Path > h[j].Path
}
func (h itemHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)   { *h = append(*h, x.(WasteItem)) }
func (h *itemHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *itemHeap) push(it WasteItem) {
	if h.Len() < maxWasteItems {
		heap.Push(h, it)
		return
	}
	if (*h)[0].Bytes < it.Bytes {
		(*h)[0] = it
		heap.Fix(h, 0)
	}
}

// sorted returns the items largest first.
func (h itemHeap) sorted() []WasteItem {
	out := append([]WasteItem(nil), h...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Bytes != out[j].Bytes {
			return out[i].Bytes > out[j].Bytes
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// sortedPairs returns the pairs ordered by creating, then hiding layer.
func (l *ledger) sortedPairs() []WastePair {
	out := make([]WastePair, 0, len(l.pairs))
	for _, p := range l.pairs {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CreatedBy != out[j].CreatedBy {
			return out[i].CreatedBy < out[j].CreatedBy
		}
		return out[i].HiddenBy < out[j].HiddenBy
	})
	return out
}
