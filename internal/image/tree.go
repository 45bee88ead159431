package image

import (
	"fmt"
	"sort"
	"strings"
)

// maxSymlinkHops bounds symlink resolution the way Linux does (ELOOP).
const maxSymlinkHops = 40

// node is one path of the merged filesystem.
type node struct {
	name     string
	parent   *node
	children map[string]*node // directories only; nil when empty
	link     string
	size     int64
	hash     uint64
	mode     uint32
	uid      uint32
	gid      uint32
	layer    int32 // layer that created the current content
	kind     Kind
	hashed   bool
	implicit bool // a directory no header described, made for a child
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
	return &tree{root: &node{kind: KindDir, mode: 0o755}, ledger: l}
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
func (t *tree) apply(layer int32, entries []entry) error {
	t.ledger.grow(int(layer) + 1)
	if t.log != nil {
		t.log.start(layer)
	}
	for i := range entries {
		e := &entries[i]
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
	for i := range entries {
		e := &entries[i]
		if e.kind == KindWhiteout || e.kind == KindOpaque {
			continue
		}
		if err := t.add(layer, e); err != nil {
			return err
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
	if parent == nil || parent.children == nil {
		return nil
	}
	child := parent.children[name]
	if child == nil {
		return nil
	}
	if t.log != nil {
		t.log.add(removal(child, p))
	}
	t.hide(child, p, WasteDeleted, layer)
	delete(parent.children, name)
	return nil
}

// opaque removes every lower entry below the directory p.
func (t *tree) opaque(layer int32, p string) error {
	d, err := t.lookupDir(p, layer, false)
	if err != nil {
		return &foldError{path: p, msg: err.Error()}
	}
	if d == nil || d.children == nil {
		return nil
	}
	names := make([]string, 0, len(d.children))
	for name := range d.children {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if t.log != nil {
			t.log.add(removal(d.children[name], joinPath(p, name)))
		}
		t.hide(d.children[name], joinPath(p, name), WasteDeleted, layer)
	}
	d.children = nil
	return nil
}

// add places one entry of layer into the tree.
func (t *tree) add(layer int32, e *entry) error {
	dir, name := splitPath(e.path)
	parent, err := t.lookupDir(dir, layer, true)
	if err != nil {
		return &foldError{path: e.path, msg: err.Error()}
	}
	old := parent.children[name]
	if t.log != nil {
		t.logAdd(old, e)
	}
	if e.kind == KindDir {
		if old != nil && old.kind == KindDir {
			old.mode, old.uid, old.gid = e.mode, e.uid, e.gid
			old.implicit = false
			return nil
		}
		if old != nil {
			t.hide(old, e.path, WasteOverwritten, layer)
		}
		parent.setChild(&node{name: name, parent: parent, kind: KindDir, mode: e.mode, uid: e.uid, gid: e.gid, layer: layer})
		t.nodes++
		return nil
	}
	if old != nil {
		kind := WasteOverwritten
		if old.kind == KindFile && e.kind == KindFile && old.size == e.size &&
			(old.size == 0 || (old.hashed && e.hashed && old.hash == e.hash)) {
			kind = WasteCopyUp
		}
		t.hide(old, e.path, kind, layer)
	}
	n := &node{
		name: name, parent: parent, kind: e.kind, size: e.size, hash: e.hash, hashed: e.hashed,
		mode: e.mode, uid: e.uid, gid: e.gid, link: e.link, layer: layer,
	}
	parent.setChild(n)
	t.nodes++
	return nil
}

func (n *node) setChild(c *node) {
	if n.children == nil {
		n.children = make(map[string]*node, 4)
	}
	n.children[c.name] = c
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
	switch n.kind {
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
		for name, c := range n.children {
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
			if cur.parent != nil {
				cur = cur.parent
			}
			continue
		}
		child := cur.children[comp]
		if child == nil {
			if !create {
				return nil, nil
			}
			child = &node{name: comp, parent: cur, kind: KindDir, mode: 0o755, layer: layer, implicit: true}
			cur.setChild(child)
			t.nodes++
			if t.log != nil {
				t.log.add(Change{Path: child.pathOf(), Op: OpAdded, Kind: KindDir, Mode: 0o755, Implicit: true})
			}
			cur = child
			continue
		}
		switch child.kind {
		case KindDir:
			cur = child
		case KindSymlink:
			*hops++
			if *hops > maxSymlinkHops {
				return nil, fmt.Errorf("too many levels of symbolic links (symlink loop at %q)", child.pathOf())
			}
			from := cur
			if strings.HasPrefix(child.link, "/") {
				from = t.root
			}
			target, err := t.walkDir(from, child.link, layer, false, hops)
			if err != nil {
				return nil, err
			}
			if target == nil {
				if !create {
					return nil, nil
				}
				return nil, fmt.Errorf("path goes through %q, a symlink to %q that does not resolve to a directory", child.pathOf(), child.link)
			}
			cur = target
		default:
			if !create {
				return nil, nil
			}
			// A file stands where a directory is needed: unpacking
			// replaces it, so its bytes are hidden by this layer.
			if t.log != nil {
				t.log.add(Change{Path: child.pathOf(), Op: OpModified, Kind: KindDir, Mode: 0o755, Implicit: true})
			}
			t.hide(child, child.pathOf(), WasteOverwritten, layer)
			d := &node{name: comp, parent: cur, kind: KindDir, mode: 0o755, layer: layer, implicit: true}
			cur.setChild(d)
			cur = d
		}
	}
	if cur.kind != KindDir {
		return nil, nil
	}
	return cur, nil
}

// pathOf rebuilds a node's path from its parents.
func (n *node) pathOf() string {
	var parts []string
	for c := n; c != nil && c.parent != nil; c = c.parent {
		parts = append(parts, c.name)
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
	case old.kind == KindDir && e.kind == KindDir:
		if old.implicit && old.layer == t.log.cur {
			return // made for a child earlier in this layer: already added
		}
		if old.mode != e.mode || old.uid != e.uid || old.gid != e.gid {
			t.log.add(entryChange(e, OpModified))
		}
	default:
		t.log.add(entryChange(e, OpModified))
	}
}
