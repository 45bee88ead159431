package explore

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/stratatools/strata/internal/image"
)

// pane is what has the keyboard.
type pane int

const (
	paneLayers pane = iota
	paneTree
	paneWaste
	panes
)

// Model is the explorer's state (a bubbletea model). It renders only what
// fits on the screen; the rows of the tree are recomputed when what they
// depend on changes, not on every key.
type Model struct {
	res    *image.Result
	merged *ftree
	// layerTrees[i] is layer i+1's changes, made on first use.
	layerTrees []*ftree
	// changed[i] marks, for layer i+1, the merged tree's nodes the layer
	// made and the directories above them.
	changed []map[*node]bool

	width, height int
	focus         pane
	layer         int // selected layer, 0-based
	layerTop      int
	waste         int
	wasteTop      int

	// The tree pane.
	layerView     bool // the selected layer's changes instead of the final filesystem
	hideUnchanged bool
	bySize        bool
	filter        matcher
	input         textinput.Model
	editing       bool
	rows          []row
	dirty         bool
	pass          uint32 // numbers the filter passes (see node.shown)
	cursor        int
	top           int

	help        bool
	interrupted bool
	message     string
}

// row is one line of the tree pane.
type row struct {
	n     *node
	depth int
}

// New makes the explorer's model for an analysis made with
// image.Options.Changes (without it, layers show no changes).
func New(r *image.Result) *Model {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "path pattern (glob or substring)"
	in.CharLimit = 256
	m := &Model{
		res: r, merged: mergedTree(r), input: in, bySize: true, dirty: true,
		layerTrees: make([]*ftree, len(r.Layers)), changed: make([]map[*node]bool, len(r.Layers)),
		width: 100, height: 30, focus: paneLayers,
	}
	if len(r.Layers) > 0 {
		m.layer = len(r.Layers) - 1
	}
	return m
}

// Init starts nothing.
func (m *Model) Init() tea.Cmd { return nil }

// Interrupted reports that the user left with Ctrl-C.
func (m *Model) Interrupted() bool { return m.interrupted }

// Update handles a key or a resize.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 20), max(msg.Height, 8)
		m.clamp()
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.editing {
			// Keys typed faster than they are read arrive together.
			var cmd tea.Cmd
			for _, r := range msg.Runes {
				if _, cmd = m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}); cmd != nil {
					return m, cmd
				}
			}
			return m, nil
		}
		return m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	m.message = ""
	if key.Matches(msg, keys.Interrupt) {
		m.interrupted = true
		return m, tea.Quit
	}
	if m.editing {
		return m.editFilter(msg)
	}
	if m.help {
		if key.Matches(msg, keys.Quit) {
			return m, tea.Quit
		}
		m.help = false
		return m, nil
	}
	switch {
	case key.Matches(msg, keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, keys.Help):
		m.help = true
	case key.Matches(msg, keys.Next):
		m.focus = (m.focus + 1) % panes
	case key.Matches(msg, keys.Prev):
		m.focus = (m.focus + panes - 1) % panes
	case key.Matches(msg, keys.Filter):
		m.editing = true
		m.focus = paneTree
		m.input.SetValue(m.filter.pattern)
		m.input.CursorEnd()
		return m, m.input.Focus()
	case key.Matches(msg, keys.ClearFilter):
		if !m.filter.empty() {
			m.filter = matcher{}
			m.dirty = true
		}
	case key.Matches(msg, keys.Sort):
		m.bySize = !m.bySize
		m.dirty = true
	case key.Matches(msg, keys.LayerView):
		m.setLayerView(!m.layerView)
	case key.Matches(msg, keys.HideUnchanged):
		m.hideUnchanged = !m.hideUnchanged
		m.dirty = true
	case key.Matches(msg, keys.ExpandAll):
		m.expandAll()
	default:
		m.move(msg)
	}
	m.clamp()
	return m, nil
}

func (m *Model) editFilter(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter:
		m.editing = false
		m.input.Blur()
		return m, nil
	case tea.KeyEsc:
		m.editing = false
		m.input.Blur()
		m.filter = matcher{}
		m.dirty = true
		m.clamp()
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if f := newMatcher(m.input.Value()); f != m.filter {
		m.filter = f
		m.dirty = true
		m.cursor, m.top = 0, 0
	}
	m.clamp()
	return m, cmd
}

// move handles the keys that move within the focused pane.
func (m *Model) move(msg tea.KeyMsg) {
	page := max(m.bodyHeight()-2, 1)
	step := 0
	switch {
	case key.Matches(msg, keys.Up):
		step = -1
	case key.Matches(msg, keys.Down):
		step = 1
	case key.Matches(msg, keys.PageUp):
		step = -page
	case key.Matches(msg, keys.PageDown):
		step = page
	case key.Matches(msg, keys.Home):
		step = -1 << 30
	case key.Matches(msg, keys.End):
		step = 1 << 30
	}
	switch m.focus {
	case paneLayers:
		if step != 0 {
			m.selectLayer(clampInt(m.layer+step, 0, len(m.res.Layers)-1))
		}
	case paneWaste:
		switch {
		case step != 0:
			m.waste = clampInt(m.waste+step, 0, len(m.res.Waste.Items)-1)
		case key.Matches(msg, keys.Jump):
			m.jumpToWaste(false)
		case key.Matches(msg, keys.JumpHider):
			m.jumpToWaste(true)
		}
	case paneTree:
		m.ensureRows()
		switch {
		case step != 0:
			m.cursor = clampInt(m.cursor+step, 0, len(m.rows)-1)
		case key.Matches(msg, keys.Expand):
			m.setOpen(true)
		case key.Matches(msg, keys.Collapse):
			m.collapseOrParent()
		case key.Matches(msg, keys.Toggle):
			if n := m.current(); n != nil && len(n.kids) > 0 {
				n.open = !n.open
				m.dirty = true
			}
		}
	}
}

func (m *Model) selectLayer(i int) {
	if i == m.layer {
		return
	}
	m.layer = i
	if m.layerView || m.hideUnchanged {
		m.dirty = true
		m.cursor, m.top = 0, 0
	}
}

func (m *Model) setLayerView(on bool) {
	m.layerView = on
	m.dirty = true
	m.cursor, m.top = 0, 0
}

// tree is the tree the tree pane shows.
func (m *Model) tree() *ftree {
	if !m.layerView || len(m.res.Layers) == 0 {
		return m.merged
	}
	return m.layerTreeOf(m.layer)
}

// changedBelow returns the merged tree's nodes the selected layer made,
// and the directories above them.
func (m *Model) changedBelow() map[*node]bool {
	if len(m.res.Layers) == 0 {
		return map[*node]bool{}
	}
	if c := m.changed[m.layer]; c != nil {
		return c
	}
	c := map[*node]bool{}
	for _, n := range m.merged.all {
		if n.layer == m.layer+1 {
			for p := n; p != nil && !c[p]; p = p.parent {
				c[p] = true
			}
		}
	}
	m.changed[m.layer] = c
	return c
}

// current is the node under the tree cursor.
func (m *Model) current() *node {
	m.ensureRows()
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.rows[m.cursor].n
}

func (m *Model) setOpen(open bool) {
	if n := m.current(); n != nil && len(n.kids) > 0 && n.open != open {
		n.open = open
		m.dirty = true
	}
}

func (m *Model) collapseOrParent() {
	n := m.current()
	if n == nil {
		return
	}
	if n.open && len(n.kids) > 0 && m.filter.empty() {
		n.open = false
		m.dirty = true
		return
	}
	if n.parent != nil && n.parent.parent != nil {
		m.reveal(n.parent)
	}
}

// expandAll opens every directory of the tree, or closes them all when
// the top ones are open.
func (m *Model) expandAll() {
	t := m.tree()
	open := true
	for _, k := range t.root.kids {
		if k.open {
			open = false
			break
		}
	}
	for _, n := range t.all {
		if len(n.kids) > 0 {
			n.open = open
		}
	}
	m.dirty = true
}

// reveal opens the directories above n and puts the cursor on it.
func (m *Model) reveal(n *node) {
	for p := n.parent; p != nil; p = p.parent {
		if !p.open {
			p.open = true
			m.dirty = true
		}
	}
	m.ensureRows()
	for i, r := range m.rows {
		if r.n == n {
			m.cursor = i
			break
		}
	}
	m.clamp()
}

// jumpToWaste shows the selected waste item in the layer that made it
// (or, with hider, the layer that hid it).
func (m *Model) jumpToWaste(hider bool) {
	if m.waste >= len(m.res.Waste.Items) {
		return
	}
	it := m.res.Waste.Items[m.waste]
	l := it.CreatedBy
	if hider {
		l = it.HiddenBy
	}
	if l < 1 || l > len(m.res.Layers) {
		return
	}
	m.layer = l - 1
	m.filter = matcher{}
	m.hideUnchanged = false
	m.setLayerView(true)
	m.focus = paneTree
	m.reveal(m.tree().find(it.Path))
	m.message = "layer " + itoa(l) + ": /" + it.Path
}

// ensureRows recomputes the tree pane's rows when they are stale.
func (m *Model) ensureRows() {
	if !m.dirty {
		return
	}
	m.dirty = false
	t := m.tree()
	keep := m.current0()
	m.rows = m.rows[:0]
	filtering := !m.filter.empty()
	if filtering {
		m.pass++
		for _, n := range t.all {
			if m.filter.match(n) {
				for p := n; p != nil && p.shown != m.pass; p = p.parent {
					p.shown = m.pass
				}
			}
		}
	}
	var changed map[*node]bool
	if m.hideUnchanged && !m.layerView {
		changed = m.changedBelow()
	}
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		for _, k := range n.sortedKids(m.bySize) {
			if filtering && k.shown != m.pass {
				continue
			}
			if changed != nil && !changed[k] {
				continue
			}
			m.rows = append(m.rows, row{n: k, depth: depth})
			if len(k.kids) > 0 && (k.open || filtering) {
				walk(k, depth+1)
			}
		}
	}
	walk(t.root, 0)
	m.cursor = 0
	for i, r := range m.rows {
		if r.n == keep {
			m.cursor = i
			break
		}
	}
}

// current0 is the node under the cursor in the rows as they were.
func (m *Model) current0() *node {
	if m.cursor >= 0 && m.cursor < len(m.rows) {
		return m.rows[m.cursor].n
	}
	return nil
}

// clamp keeps cursors and scroll offsets inside their lists.
func (m *Model) clamp() {
	m.ensureRows()
	h := m.bodyHeight()
	m.cursor = clampInt(m.cursor, 0, len(m.rows)-1)
	m.top = scroll(m.top, m.cursor, h-2)
	lh, wh := m.leftHeights()
	m.layerTop = scroll(m.layerTop, m.layer, lh-4)
	m.waste = clampInt(m.waste, 0, len(m.res.Waste.Items)-1)
	m.wasteTop = scroll(m.wasteTop, m.waste, wh-2)
}

// scroll returns the first visible line so that cursor shows in height
// lines.
func scroll(top, cursor, height int) int {
	height = max(height, 1)
	if cursor < top {
		top = cursor
	}
	if cursor >= top+height {
		top = cursor - height + 1
	}
	return max(top, 0)
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
