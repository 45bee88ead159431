package image

// Op is what a layer did to a path.
type Op uint8

// The operations of a layer on a path, relative to the layers below it.
const (
	OpAdded    Op = iota + 1 // the path did not exist below
	OpModified               // the path existed below and the layer replaced it or changed its attributes
	OpRemoved                // a whiteout or an opaque directory removed the path
)

func (o Op) String() string {
	switch o {
	case OpAdded:
		return "added"
	case OpModified:
		return "modified"
	case OpRemoved:
		return "removed"
	}
	return "unknown"
}

// MarshalText makes operations readable in JSON.
func (o Op) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Change is one path a layer added, modified or removed (recorded with
// Options.Changes).
type Change struct {
	Path string
	Op   Op
	// Kind, Mode, UID, GID and Link describe the layer's entry; for a
	// removal, the entry removed.
	Kind Kind
	Mode uint32
	UID  uint32
	GID  uint32
	Link string
	// Size is the content of a regular file; for a removed directory, the
	// content of the regular files below it.
	Size int64
	// Files counts the regular files a removed directory held (1 for a
	// removed file).
	Files int
	// Implicit marks a directory no header described, made for a child.
	Implicit bool
}

// changeLog records what each layer changed while the tree is folded.
type changeLog struct {
	layers [][]Change
	// removed maps the paths the current layer removed to their change,
	// so that re-adding one in the same layer reads as a modification.
	removed map[string]int
	cur     int32
}

func (c *changeLog) start(layer int32) {
	for int(layer) >= len(c.layers) {
		c.layers = append(c.layers, nil)
	}
	c.cur = layer
	clear(c.removed)
}

func (c *changeLog) add(ch Change) {
	if c.removed == nil {
		c.removed = map[string]int{}
	}
	l := &c.layers[c.cur]
	if ch.Op == OpRemoved {
		c.removed[ch.Path] = len(*l)
	} else if i, ok := c.removed[ch.Path]; ok {
		// Removed, then added again by the same layer: one modification.
		ch.Op = OpModified
		(*l)[i] = ch
		delete(c.removed, ch.Path)
		return
	}
	*l = append(*l, ch)
}

// entryChange describes a layer's entry as a change.
func entryChange(e *entry, op Op) Change {
	ch := Change{Path: e.path, Op: op, Kind: e.kind, Mode: e.mode, UID: e.uid, GID: e.gid, Link: e.link, Size: e.size}
	if e.kind == KindFile {
		ch.Files = 1
	}
	return ch
}

// removal describes a subtree a layer removed.
func removal(n *node, p string) Change {
	uid, gid := n.owner()
	ch := Change{Path: p, Op: OpRemoved, Kind: n.kind(), Mode: n.mode(), UID: uid, GID: gid, Link: n.target()}
	ch.Size, ch.Files = subtreeContent(n)
	return ch
}

// subtreeContent adds up the regular files at and below n.
func subtreeContent(n *node) (int64, int) {
	switch n.kind() {
	case KindFile:
		return n.size, 1
	case KindDir:
		var size int64
		var files int
		for _, c := range n.kids() {
			s, f := subtreeContent(c)
			size += s
			files += f
		}
		return size, files
	}
	return 0, 0
}
