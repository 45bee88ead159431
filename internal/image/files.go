package image

import (
	"runtime/debug"
	"slices"
	"sort"
	"strings"
)

// flatten lists the final filesystem depth first, children sorted by name,
// with directory totals filled in. It takes the tree apart as it goes, so
// that the tree and the list are never both held whole: first each
// directory's map of children becomes a sorted slice (the maps go, and
// the count is known), then the list is made at its exact size and each
// node is dropped once listed. The tree must not be used after.
func flatten(root *node, _ int) []File {
	sorted := map[*node][]*node{}
	count := 0
	// named is one directory's children with their names (the maps'
	// keys), sorted, then copied out: comparing names computed once is
	// several times quicker than computing them in every comparison.
	type named struct {
		name string
		n    *node
	}
	var buf []named
	var order func(n *node)
	order = func(n *node) {
		buf = buf[:0]
		for name, c := range n.kids() {
			buf = append(buf, named{name, c})
		}
		n.clearChildren()
		slices.SortFunc(buf, func(a, b named) int { return strings.Compare(a.name, b.name) })
		kids := make([]*node, len(buf))
		for i, k := range buf {
			kids[i] = k.n
		}
		sorted[n] = kids
		count += len(kids)
		for _, c := range kids {
			if c.kind() == KindDir {
				order(c)
			}
		}
	}
	order(root)
	if count >= bigTree {
		// The directories' maps are garbage now: collect them and give
		// their pages back before the list takes its room, so that the
		// two are never held at once.
		debug.FreeOSMemory()
	}
	out := make([]File, 0, count)
	var walk func(n *node, p string) (int64, int)
	walk = func(n *node, p string) (int64, int) {
		kids := sorted[n]
		delete(sorted, n)
		var size int64
		var files int
		for k, c := range kids {
			kids[k] = nil
			cp := childPath(c, p)
			uid, gid := c.owner()
			f := File{Path: cp, Kind: c.kind(), Mode: c.mode(), UID: uid, GID: gid, Link: c.target(), Layer: int(c.layer) + 1, hash: c.hash, hashed: c.hashed()}
			switch c.kind() {
			case KindDir:
				i := len(out)
				out = append(out, f)
				s, k := walk(c, cp)
				out[i].Size, out[i].Files = s, k
				size += s
				files += k
			case KindFile:
				f.Size = c.size
				out = append(out, f)
				size += c.size
				files++
			default:
				out = append(out, f)
			}
		}
		return size, files
	}
	walk(root, "")
	return out
}

// bigTree is the number of entries from which flatten returns the maps'
// memory before it makes the list (the collection costs a few
// milliseconds per 10 MiB in use; below, the maps are small).
const bigTree = 1 << 17

// childPath returns the path of c, a child of the directory at p: the
// path of the entry that made c when it is that (no new string), else
// the path built.
func childPath(c *node, p string) string {
	name := c.name()
	if p == "" {
		return name
	}
	if len(c.path) == len(p)+1+len(name) && c.path[len(p)] == '/' && c.path[:len(p)] == p {
		return c.path
	}
	return p + "/" + name
}

// largest picks the top files and directories by size. A directory is
// left out when one of its subdirectories holds nearly all of it (the
// subdirectory says more).
func largest(files []File, top int) Largest {
	var ds []PathSize
	fs := newTopHeap(top)
	for _, f := range files {
		switch f.Kind {
		case KindFile:
			if f.Size > 0 {
				fs.add(PathSize{Path: f.Path, Bytes: f.Size, Layer: f.Layer})
			}
		case KindDir:
			if f.Size > 0 {
				ds = append(ds, PathSize{Path: f.Path, Bytes: f.Size, Files: f.Files})
			}
		}
	}
	return Largest{Files: fs.sorted(), Dirs: topN(filterDominated(ds), top)}
}

// filterDominated drops directories dominated by one child directory.
func filterDominated(ds []PathSize) []PathSize {
	bytesOf := make(map[string]int64, len(ds))
	for _, d := range ds {
		bytesOf[d.Path] = d.Bytes
	}
	dominated := map[string]bool{}
	for _, d := range ds {
		if parent, _ := splitPath(d.Path); parent != "" {
			if pb, ok := bytesOf[parent]; ok && d.Bytes*10 >= pb*9 {
				dominated[parent] = true
			}
		}
	}
	out := ds[:0:0]
	for _, d := range ds {
		if !dominated[d.Path] {
			out = append(out, d)
		}
	}
	return out
}

// topN returns the n largest entries, largest first (ties by path),
// keeping a bounded heap rather than sorting everything.
func topN(ps []PathSize, n int) []PathSize {
	h := newTopHeap(n)
	for _, p := range ps {
		h.add(p)
	}
	return h.sorted()
}

// topHeap keeps the n largest entries it is given.
type topHeap struct {
	n int
	h []PathSize
}

func newTopHeap(n int) *topHeap { return &topHeap{n: n, h: make([]PathSize, 0, n+1)} }

// rankBelow reports whether a ranks below b (smaller, then later path).
func rankBelow(a, b PathSize) bool {
	if a.Bytes != b.Bytes {
		return a.Bytes < b.Bytes
	}
	return a.Path > b.Path
}

// sorted returns the entries kept, largest first.
func (t *topHeap) sorted() []PathSize {
	sort.Slice(t.h, func(i, j int) bool { return rankBelow(t.h[j], t.h[i]) })
	return t.h
}

func (t *topHeap) add(p PathSize) {
	h := t.h
	switch {
	case t.n <= 0 || len(h) == t.n && !rankBelow(h[0], p):
		return
	case len(h) < t.n:
		h = append(h, p)
		for i := len(h) - 1; i > 0; { // sift up
			parent := (i - 1) / 2
			if !rankBelow(h[i], h[parent]) {
				break
			}
			h[i], h[parent] = h[parent], h[i]
			i = parent
		}
	default:
		h[0] = p
		for i := 0; ; { // sift down from the root
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(h) && rankBelow(h[l], h[m]) {
				m = l
			}
			if r < len(h) && rankBelow(h[r], h[m]) {
				m = r
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	t.h = h
}

// findDuplicates groups visible regular files by content. For each group
// the copy from the lowest layer (then the first path) is the original;
// the others are waste. It returns the largest groups (top of them), the
// total duplicate bytes, and the bytes of copies created after the base.
func findDuplicates(files []File, ignore *Matcher, base, top int) ([]DuplicateGroup, int64, int64) {
	type key struct {
		hash uint64
		size int64
	}
	groups := map[key][]int{}
	for i, f := range files {
		if f.Kind != KindFile || !f.hashed || f.Size == 0 {
			continue
		}
		if ignore.Match(f.Path) {
			continue
		}
		k := key{f.hash, f.Size}
		groups[k] = append(groups[k], i)
	}
	var out []DuplicateGroup
	var total, user int64
	for k, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		sort.SliceStable(idx, func(a, b int) bool {
			fa, fb := files[idx[a]], files[idx[b]]
			if fa.Layer != fb.Layer {
				return fa.Layer < fb.Layer
			}
			return fa.Path < fb.Path
		})
		g := DuplicateGroup{Size: k.size, Count: len(idx), Wasted: int64(len(idx)-1) * k.size}
		keep := max(top, 2)
		for n, i := range idx {
			// The first keep-1 copies and the newest (the one that
			// decides whose waste it is).
			if n < keep-1 || n == len(idx)-1 {
				g.Paths = append(g.Paths, files[i].Path)
				g.Layers = append(g.Layers, files[i].Layer)
			}
			if n > 0 && files[i].Layer > base {
				user += k.size
			}
		}
		total += g.Wasted
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Wasted != out[j].Wasted {
			return out[i].Wasted > out[j].Wasted
		}
		return out[i].Paths[0] < out[j].Paths[0]
	})
	if len(out) > top {
		out = out[:top]
	}
	return out, total, user
}
