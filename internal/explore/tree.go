package explore

import (
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/image"
)

// node is one path of a tree the explorer shows: the final filesystem or
// one layer's changes.
type node struct {
	name   string
	path   string // relative to the root, "" for the root
	parent *node
	kids   []*node // by name
	bySize []*node // by size, largest first; made on first use
	size   int64   // content bytes (a directory's: below it)
	files  int
	kind   image.Kind
	layer  int      // the layer that made the content (final filesystem)
	op     image.Op // what the layer did (a layer's changes; 0: context)
	// shown marks the node as matching the filter (or above a match) in
	// the pass numbered so; a mark instead of a set keeps filtering free
	// of allocations.
	shown uint32
	mode  uint32
	uid   uint32
	gid   uint32
	link  string
	open  bool
}

// ftree is a tree with its nodes in depth-first order.
type ftree struct {
	root *node
	all  []*node // every node but the root, parents first
}

// mergedTree builds the final filesystem from r.Files (parents first).
func mergedTree(r *image.Result) *ftree {
	t := &ftree{root: &node{kind: image.KindDir, open: true}}
	t.all = make([]*node, 0, len(r.Files))
	stack := []*node{t.root}
	for i := range r.Files {
		f := &r.Files[i]
		depth := strings.Count(f.Path, "/") + 1
		if depth < len(stack) {
			stack = stack[:depth]
		}
		parent := stack[len(stack)-1]
		n := &node{
			name: f.Path[strings.LastIndexByte(f.Path, '/')+1:], path: f.Path, parent: parent,
			size: f.Size, files: f.Files, kind: f.Kind, layer: f.Layer, mode: f.Mode, uid: f.UID, gid: f.GID, link: f.Link,
		}
		if f.Kind == image.KindFile {
			n.files = 1
		}
		parent.kids = append(parent.kids, n)
		t.all = append(t.all, n)
		if f.Kind == image.KindDir {
			stack = append(stack, n)
		}
	}
	for _, n := range t.root.kids {
		t.root.size += n.size
		t.root.files += n.files
	}
	return t
}

// changeTree builds the tree of one layer's changes; the directories
// above a change that the layer did not touch are context (op 0).
func changeTree(changes []image.Change) *ftree {
	t := &ftree{root: &node{kind: image.KindDir, open: true}}
	byPath := map[string]*node{"": t.root}
	var ensure func(p string) *node
	ensure = func(p string) *node {
		if n := byPath[p]; n != nil {
			return n
		}
		dir, name := path.Split(p)
		parent := ensure(strings.TrimSuffix(dir, "/"))
		n := &node{name: name, path: p, parent: parent, kind: image.KindDir}
		parent.kids = append(parent.kids, n)
		byPath[p] = n
		return n
	}
	for i := range changes {
		c := &changes[i]
		n := ensure(c.Path)
		n.kind, n.op, n.mode, n.uid, n.gid, n.link = c.Kind, c.Op, c.Mode, c.UID, c.GID, c.Link
		if c.Kind != image.KindDir || c.Op == image.OpRemoved {
			n.size, n.files = c.Size, c.Files
		}
	}
	// Children by name; directory totals from the bottom up.
	var walk func(n *node)
	walk = func(n *node) {
		sort.Slice(n.kids, func(i, j int) bool { return n.kids[i].name < n.kids[j].name })
		for _, k := range n.kids {
			t.all = append(t.all, k)
			walk(k)
			if n.kind == image.KindDir && !(n.op == image.OpRemoved && len(n.kids) == 0) {
				n.size += k.size
				n.files += k.files
			}
		}
	}
	walk(t.root)
	// A small layer's changes show whole.
	if len(t.all) <= openChangesUpTo {
		for _, n := range t.all {
			n.open = true
		}
	}
	return t
}

// openChangesUpTo is the number of paths up to which a layer's changes
// open with every directory expanded.
const openChangesUpTo = 2000

// sortedKids returns n's children in the order asked for.
func (n *node) sortedKids(bySize bool) []*node {
	if !bySize {
		return n.kids
	}
	if n.bySize == nil && len(n.kids) > 0 {
		n.bySize = append([]*node(nil), n.kids...)
		sort.SliceStable(n.bySize, func(i, j int) bool { return n.bySize[i].size > n.bySize[j].size })
	}
	return n.bySize
}

// find returns the node at p, or the deepest ancestor of p the tree has.
func (t *ftree) find(p string) *node {
	cur := t.root
	for p != "" {
		comp, rest, _ := strings.Cut(p, "/")
		var next *node
		i := sort.Search(len(cur.kids), func(i int) bool { return cur.kids[i].name >= comp })
		if i < len(cur.kids) && cur.kids[i].name == comp {
			next = cur.kids[i]
		}
		if next == nil {
			break
		}
		cur, p = next, rest
	}
	return cur
}

// matcher is a path filter: a glob when the pattern has *, ? or [, else
// a substring of the path.
type matcher struct {
	pattern string
	glob    bool
}

func newMatcher(pattern string) matcher {
	pattern = strings.TrimPrefix(strings.TrimSpace(pattern), "/")
	return matcher{pattern: pattern, glob: strings.ContainsAny(pattern, "*?[")}
}

func (m matcher) empty() bool { return m.pattern == "" }

func (m matcher) match(n *node) bool {
	if !m.glob {
		return strings.Contains(n.path, m.pattern)
	}
	if ok, _ := path.Match(m.pattern, n.path); ok {
		return true
	}
	ok, _ := path.Match(m.pattern, n.name)
	return ok
}
