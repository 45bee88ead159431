package image

import (
	"sort"
)

// flatten lists the final filesystem depth first, children sorted by name,
// with directory totals filled in.
func flatten(root *node, hint int) []File {
	out := make([]File, 0, max(hint, 0))
	var walk func(n *node, p string) (int64, int)
	walk = func(n *node, p string) (int64, int) {
		names := make([]string, 0, len(n.children))
		for name := range n.children {
			names = append(names, name)
		}
		sort.Strings(names)
		var size int64
		var files int
		for _, name := range names {
			c := n.children[name]
			cp := joinPath(p, name)
			f := File{Path: cp, Kind: c.kind, Mode: c.mode, UID: c.uid, GID: c.gid, Link: c.link, Layer: int(c.layer) + 1, hash: c.hash, hashed: c.hashed}
			switch c.kind {
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

// largest picks the top files and directories by size. A directory is
// left out when one of its subdirectories holds nearly all of it (the
// subdirectory says more).
func largest(files []File, top int) Largest {
	var fs, ds []PathSize
	for _, f := range files {
		switch f.Kind {
		case KindFile:
			if f.Size > 0 {
				fs = append(fs, PathSize{Path: f.Path, Bytes: f.Size, Layer: f.Layer})
			}
		case KindDir:
			if f.Size > 0 {
				ds = append(ds, PathSize{Path: f.Path, Bytes: f.Size, Files: f.Files})
			}
		}
	}
	return Largest{Files: topN(fs, top), Dirs: topN(filterDominated(ds), top)}
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
	less := func(a, b PathSize) bool { // a ranks below b
		if a.Bytes != b.Bytes {
			return a.Bytes < b.Bytes
		}
		return a.Path > b.Path
	}
	h := make([]PathSize, 0, n+1)
	for _, p := range ps {
		if len(h) == n && !less(h[0], p) {
			continue
		}
		if len(h) == n {
			h[0] = p
		} else {
			h = append(h, p)
			// sift up
			for i := len(h) - 1; i > 0; {
				parent := (i - 1) / 2
				if !less(h[i], h[parent]) {
					break
				}
				h[i], h[parent] = h[parent], h[i]
				i = parent
			}
			continue
		}
		// sift down from the root
		for i := 0; ; {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(h) && less(h[l], h[m]) {
				m = l
			}
			if r < len(h) && less(h[r], h[m]) {
				m = r
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	sort.Slice(h, func(i, j int) bool { return less(h[j], h[i]) })
	return h
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
		g := DuplicateGroup{Size: k.size, Wasted: int64(len(idx)-1) * k.size}
		for n, i := range idx {
			g.Paths = append(g.Paths, files[i].Path)
			g.Layers = append(g.Layers, files[i].Layer)
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
