package image

import (
	"fmt"
	"sort"
	"strings"
)

// maxSymlinkHops bounds symlink resolution the way Linux does (ELOOP).
const maxSymlinkHops = 40

// node is one path of the merged filesystem. An image can have millions:
// a node is kept to 48 bytes (a size class of the allocator), what most
// nodes lack is apart (ext), and the mode, kind and flags share a word.
type node struct {
	// path is the path of the entry that made the node, as written
	// (or its name alone for a directory made implicitly); the node's
	// name is its last component (see name). Keeping the whole path
	// costs nothing (the name is a part of it) and lets the file list
	// reuse it instead of building the path again.
	path string
	// ext holds what most nodes lack: a directory's parent and
	// children, a link's target, an owner other than root.
	ext   *nodeExt
	size  int64
	hash  uint64
	layer int32 // layer that created the current content
	// bits holds the permission bits (nodeModeMask), the Kind (from
	// nodeKindShift) and the flags nodeHashed and nodeImplicit.
	bits uint32
}

const (
	nodeModeMask  = 0o7777
	nodeKindShift = 12 // three bits: every Kind is below 8
	// nodeHashed marks a node whose hash holds its content's hash.
	nodeHashed = 1 << 15
	// nodeImplicit marks a directory no header described, made for a
	// child.
	nodeImplicit = 1 << 16
)

func (n *node) kind() Kind       { return Kind(n.bits >> nodeKindShift & 7) }
func (n *node) mode() uint32     { return n.bits & nodeModeMask }
func (n *node) hashed() bool     { return n.bits&nodeHashed != 0 }
func (n *node) implicit() bool   { return n.bits&nodeImplicit != 0 }
func (n *node) setMode(m uint32) { n.bits = n.bits&^nodeModeMask | m&nodeModeMask }

func (n *node) setFlag(f uint32, on bool) {
	if on {
		n.bits |= f
	} else {
		n.bits &^= f
	}
}

// nodeExt is the part of a node most nodes do not need.
type nodeExt struct {
	parent   *node            // directories only; nil for the root
	children map[string]*node // directories only; nil when empty
	link     string
	uid, gid uint32
}

// newNode makes a node with the given owner and link target; a
// directory's parent is parent.
func newNode(path string, parent *node, kind Kind, mode, uid, gid uint32, link string, layer int32) *node {
	n := &node{path: path, layer: layer, bits: uint32(kind)<<nodeKindShift | mode&nodeModeMask}
	if kind == KindDir {
		n.extension().parent = parent
	}
	n.setOwner(uid, gid)
	if link != "" {
		n.extension().link = link
	}
	return n
}

// implicitDir makes a directory no header described, for a child.
func implicitDir(name string, parent *node, layer int32) *node {
	n := newNode(name, parent, KindDir, 0o755, 0, 0, "", layer)
	n.bits |= nodeImplicit
	return n
}

// parent returns a directory's parent (nil for the root and for any
// other kind of node).
func (n *node) parent() *node {
	if n.ext == nil {
		return nil
	}
	return n.ext.parent
}

func (n *node) extension() *nodeExt {
	if n.ext == nil {
		n.ext = &nodeExt{}
	}
	return n.ext
}

// kids returns a directory's children (nil when none).
func (n *node) kids() map[string]*node {
	if n.ext == nil {
		return nil
	}
	return n.ext.children
}

// clearChildren drops a directory's children.
func (n *node) clearChildren() {
	if n.ext != nil {
		n.ext.children = nil
	}
}

// target returns a link's target.
func (n *node) target() string {
	if n.ext == nil {
		return ""
	}
	return n.ext.link
}

// owner returns the node's user and group IDs.
func (n *node) owner() (uid, gid uint32) {
	if n.ext == nil {
		return 0, 0
	}
	return n.ext.uid, n.ext.gid
}

func (n *node) setOwner(uid, gid uint32) {
	if uid != 0 || gid != 0 || n.ext != nil {
		e := n.extension()
		e.uid, e.gid = uid, gid
	}
}

// tree is the merged view of the final filesystem, built by folding the
// layers in order.
type tree struct {
	root   *node
	ledger *ledger
	acc    hiddenAcc
	// pathBuf is reused to build paths while walking a removed subtree.
	pathBuf []byte
	// nodes counts the nodes added (an upper bound of the tree's size).
	nodes int
	// log, when set, records what each layer changed.
	log *changeLog
}

func newTree(l *ledger) *tree {
	return &tree{root: newNode("", nil, KindDir, 0o755, 0, 0, "", 0), ledger: l}
}

// foldError is a layer whose entries cannot be applied.
type foldError struct {
	path string
	msg  string
}

func (e *foldError) Error() string { return fmt.Sprintf("entry %q: %s", e.path, e.msg) }

// apply folds one layer's entries into the tree. Whiteouts and opaque
// markers apply to the lower layers only, so they are applied first, each
// as one subtree removal; then the layer's own entries are added in order.
// With release, each chunk of entries is dropped once added: entries
// cannot be read again.
func (t *tree) apply(layer int32, entries *entryList, release bool) error {
	t.ledger.grow(int(layer) + 1)
	if t.log != nil {
		t.log.start(layer)
	}
	for i := range entries.len() {
		e := entries.at(i)
		switch e.kind {
		case KindWhiteout:
			if err := t.whiteout(layer, e.path); err != nil {
				return err
			}
		case KindOpaque:
			if err := t.opaque(layer, e.path); err != nil {
				return err
			}
		}
	}
	for i := range entries.len() {
		e := entries.at(i)
		if e.kind != KindWhiteout && e.kind != KindOpaque {
			if err := t.add(layer, e); err != nil {
				return err
			}
		}
		if release {
			entries.release(i)
		}
	}
	return nil
}

// whiteout removes the subtree at p, if present.
func (t *tree) whiteout(layer int32, p string) error {
	dir, name := splitPath(p)
	parent, err := t.lookupDir(dir, layer, false)
	if err != nil {
		return &foldError{path: p, msg: err.Error()}
	}
	if parent == nil || parent.kids() == nil {
		return nil
	}
	child := parent.kids()[name]
	if child == nil {
		return nil
	}
	if t.log != nil {
		t.log.add(removal(child, p))
	}
	t.hide(child, p, WasteDeleted, layer)
	delete(parent.kids(), name)
	return nil
}

// opaque removes every lower entry below the directory p.
func (t *tree) opaque(layer int32, p string) error {
	d, err := t.lookupDir(p, layer, false)
	if err != nil {
		return &foldError{path: p, msg: err.Error()}
	}
	if d == nil || d.kids() == nil {
		return nil
	}
	names := make([]string, 0, len(d.kids()))
	for name := range d.kids() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if t.log != nil {
			t.log.add(removal(d.kids()[name], joinPath(p, name)))
		}
		t.hide(d.kids()[name], joinPath(p, name), WasteDeleted, layer)
	}
	d.clearChildren()
	return nil
}

// add places one entry of layer into the tree.
func (t *tree) add(layer int32, e *entry) error {
	dir, name := splitPath(e.path)
	parent, err := t.lookupDir(dir, layer, true)
	if err != nil {
		return &foldError{path: e.path, msg: err.Error()}
	}
	old := parent.kids()[name]
	if t.log != nil {
		t.logAdd(old, e)
	}
	if e.kind == KindDir {
		if old != nil && old.kind() == KindDir {
			old.setMode(e.mode)
			old.setOwner(e.uid, e.gid)
			old.setFlag(nodeImplicit, false)
			return nil
		}
		if old != nil {
			t.hide(old, e.path, WasteOverwritten, layer)
		}
		parent.setChild(newNode(e.path, parent, KindDir, e.mode, e.uid, e.gid, "", layer))
		t.nodes++
		return nil
	}
	if old != nil {
		kind := WasteOverwritten
		if old.kind() == KindFile && e.kind == KindFile && old.size == e.size &&
			(old.size == 0 || (old.hashed() && e.hashed && old.hash == e.hash)) {
			kind = WasteCopyUp
		}
		t.hide(old, e.path, kind, layer)
	}
	n := newNode(e.path, parent, e.kind, e.mode, e.uid, e.gid, e.link, layer)
	n.size, n.hash = e.size, e.hash
	n.setFlag(nodeHashed, e.hashed)
	parent.setChild(n)
	t.nodes++
	return nil
}

func (n *node) setChild(c *node) {
	e := n.extension()
	if e.children == nil {
		e.children = make(map[string]*node, 4)
	}
	e.children[c.name()] = c
}

// name returns the node's name: the last component of its path.
func (n *node) name() string {
	if i := strings.LastIndexByte(n.path, '/'); i >= 0 {
		return n.path[i+1:]
	}
	return n.path
}

// hide charges every regular file below (and including) n to the ledger as
// hidden by layer, then the caller detaches n. The cost is proportional to
// the size of the subtree removed, never to the size of the tree.
func (t *tree) hide(n *node, p string, kind string, layer int32) {
	t.acc.reset(p, kind, layer)
	if t.ledger.ignore.Empty() {
		t.chargeSubtree(n, -1)
	} else {
		t.pathBuf = append(t.pathBuf[:0], p...)
		t.chargeSubtree(n, len(t.pathBuf))
	}
	t.ledger.record(&t.acc)
}

// chargeSubtree adds the regular files below n to the current hide event.
// When plen >= 0, pathBuf[:plen] holds n's path and ignore patterns apply.
func (t *tree) chargeSubtree(n *node, plen int) {
	switch n.kind() {
	case KindFile:
		if n.size == 0 {
			// Empty files still count as hidden entries.
			t.acc.add(n.layer, 0)
			return
		}
		if plen >= 0 && t.ledger.ignore.Match(string(t.pathBuf[:plen])) {
			t.ledger.ignored += n.size
			return
		}
		t.acc.add(n.layer, n.size)
	case KindDir:
		for name, c := range n.kids() {
			if plen >= 0 {
				t.pathBuf = append(append(t.pathBuf[:plen], '/'), name...)
				t.chargeSubtree(c, len(t.pathBuf))
				t.pathBuf = t.pathBuf[:plen]
			} else {
				t.chargeSubtree(c, -1)
			}
		}
	}
}

// lookupDir resolves the directory at p, following symlinks met on the
// way as the kernel would when a layer is unpacked. With create, missing
// directories are made (attributed to layer) and a non-directory in the
// way is replaced. Without create, a missing path yields nil.
func (t *tree) lookupDir(p string, layer int32, create bool) (*node, error) {
	hops := 0
	return t.walkDir(t.root, p, layer, create, &hops)
}

func (t *tree) walkDir(start *node, p string, layer int32, create bool, hops *int) (*node, error) {
	cur := start
	for p != "" {
		var comp string
		if i := strings.IndexByte(p, '/'); i >= 0 {
			comp, p = p[:i], p[i+1:]
		} else {
			comp, p = p, ""
		}
		switch comp {
		case "", ".":
			continue
		case "..":
			if up := cur.parent(); up != nil {
				cur = up
			}
			continue
		}
		child := cur.kids()[comp]
		if child == nil {
			if !create {
				return nil, nil
			}
			child = implicitDir(comp, cur, layer)
			cur.setChild(child)
			t.nodes++
			if t.log != nil {
				t.log.add(Change{Path: child.pathOf(), Op: OpAdded, Kind: KindDir, Mode: 0o755, Implicit: true})
			}
			cur = child
			continue
		}
		switch child.kind() {
		case KindDir:
			cur = child
		case KindSymlink:
			*hops++
			if *hops > maxSymlinkHops {
				return nil, fmt.Errorf("too many levels of symbolic links (symlink loop at %q)", joinPath(cur.pathOf(), comp))
			}
			from := cur
			if strings.HasPrefix(child.target(), "/") {
				from = t.root
			}
			target, err := t.walkDir(from, child.target(), layer, false, hops)
			if err != nil {
				return nil, err
			}
			if target == nil {
				if !create {
					return nil, nil
				}
				return nil, fmt.Errorf("path goes through %q, a symlink to %q that does not resolve to a directory", joinPath(cur.pathOf(), comp), child.target())
			}
			cur = target
		default:
			if !create {
				return nil, nil
			}
			// A file stands where a directory is needed: unpacking
			// replaces it, so its bytes are hidden by this layer.
			cp := joinPath(cur.pathOf(), comp)
			if t.log != nil {
				t.log.add(Change{Path: cp, Op: OpModified, Kind: KindDir, Mode: 0o755, Implicit: true})
			}
			t.hide(child, cp, WasteOverwritten, layer)
			d := implicitDir(comp, cur, layer)
			cur.setChild(d)
			cur = d
		}
	}
	if cur.kind() != KindDir {
		return nil, nil
	}
	return cur, nil
}

// pathOf rebuilds a directory's path from its parents.
func (n *node) pathOf() string {
	var parts []string
	for c := n; c != nil && c.parent() != nil; c = c.parent() {
		parts = append(parts, c.name())
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

func splitPath(p string) (dir, name string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

func joinPath(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// logAdd records what adding e over old (nil when the path is new) does.
// A directory declared again with the same attributes changes nothing.
func (t *tree) logAdd(old *node, e *entry) {
	switch {
	case old == nil:
		t.log.add(entryChange(e, OpAdded))
	case old.kind() == KindDir && e.kind == KindDir:
		if old.implicit() && old.layer == t.log.cur {
			return // made for a child earlier in this layer: already added
		}
		if uid, gid := old.owner(); old.mode() != e.mode || uid != e.uid || gid != e.gid {
			t.log.add(entryChange(e, OpModified))
		}
	default:
		t.log.add(entryChange(e, OpModified))
	}
}
