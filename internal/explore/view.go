package explore

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/vocab"
)

// styles are the explorer's colours; they are values, never changed.
type styles struct {
	box, focused, title, dim, sel, added, modified, removed, key lipgloss.Style
}

var look = styles{
	box:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("8")),
	focused:  lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("12")),
	title:    lipgloss.NewStyle().Bold(true),
	dim:      lipgloss.NewStyle().Faint(true),
	sel:      lipgloss.NewStyle().Reverse(true),
	added:    lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
	modified: lipgloss.NewStyle().Foreground(lipgloss.Color("3")),
	removed:  lipgloss.NewStyle().Foreground(lipgloss.Color("1")),
	key:      lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("12")),
}

// bodyHeight is the height of the panes (the screen less the title and
// status lines).
func (m *Model) bodyHeight() int { return max(m.height-2, 4) }

// leftHeights splits the left column between the layers and the waste.
func (m *Model) leftHeights() (int, int) {
	h := m.bodyHeight()
	lh := max(h*3/5, min(h, 6))
	return lh, h - lh
}

func (m *Model) leftWidth() int { return clampInt(m.width*2/5, min(30, m.width/2), 72) }

// View draws the screen.
func (m *Model) View() string {
	var b strings.Builder
	b.WriteString(fit(m.titleLine(), m.width))
	b.WriteByte('\n')
	if m.help {
		b.WriteString(m.helpView())
	} else {
		lw := m.leftWidth()
		lh, wh := m.leftHeights()
		left := lipgloss.JoinVertical(lipgloss.Left,
			m.box(paneLayers, lw, lh, m.layerLines(lw-2, lh-2)),
			m.box(paneWaste, lw, wh, m.wasteLines(lw-2, wh-2)))
		right := m.box(paneTree, m.width-lw, m.bodyHeight(), m.treeLines(m.width-lw-2, m.bodyHeight()-2))
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, left, right))
	}
	b.WriteByte('\n')
	b.WriteString(fit(m.statusLine(), m.width))
	return b.String()
}

func (m *Model) box(p pane, w, h int, lines []string) string {
	st := look.box
	if p == m.focus {
		st = look.focused
	}
	for len(lines) < h-2 {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = fit(lines[i], w-2)
	}
	return st.Width(w - 2).Height(h - 2).Render(strings.Join(lines[:max(h-2, 0)], "\n"))
}

// fit cuts s to w cells and pads it to w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, "…")
	if n := lipgloss.Width(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

func (m *Model) titleLine() string {
	r := m.res
	return look.title.Render("strata image  "+r.Image.Source) + look.dim.Render(fmt.Sprintf("   %s, %d layers, %d files, efficiency %.1f %%, wasted %s",
		vocab.FormatSize(r.Totals.Size), len(r.Layers), r.Totals.Files, 100*r.Totals.Efficiency, vocab.FormatSize(r.Waste.Total)))
}

func (m *Model) statusLine() string {
	if m.editing {
		return m.input.View()
	}
	if m.message != "" {
		return m.message
	}
	hint := func(k, what string) string { return look.key.Render(k) + " " + what }
	parts := []string{hint("tab", "pane"), hint("/", "filter"), hint("c", "layer changes"), hint("u", "hide unchanged"),
		hint("s", "sort"), hint("enter", "open/jump"), hint("?", "help"), hint("q", "quit")}
	if !m.filter.empty() {
		parts = append([]string{"filter: " + m.filter.pattern + " (esc clears)"}, parts...)
	}
	return strings.Join(parts, "  ")
}

func (m *Model) helpView() string {
	lines := []string{look.title.Render("Keys"), ""}
	for _, h := range helpLines() {
		lines = append(lines, fmt.Sprintf("  %-14s %s", h[0], h[1]))
	}
	lines = append(lines, "", "Layers: the selected layer's changes are marked in the tree: + added, ~ modified, - removed.",
		"Waste: each path a later layer hid, the layer that made it → the layer that hid it.", "", "Any key closes this help.")
	for len(lines) < m.bodyHeight() {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = fit(lines[i], m.width)
	}
	return strings.Join(lines[:m.bodyHeight()], "\n")
}

func (m *Model) layerLines(w, h int) []string {
	r := m.res
	lines := []string{look.title.Render(fmt.Sprintf("Layers (%d)", len(r.Layers)))}
	list := max(h-3, 1)
	for i := m.layerTop; i < len(r.Layers) && i < m.layerTop+list; i++ {
		l := r.Layers[i]
		line := fmt.Sprintf("%s%3d %9s  ", cursorMark(i == m.layer), l.Index, vocab.FormatSize(l.Size))
		if l.Line > 0 {
			line += fmt.Sprintf("L%-3d ", l.Line)
		}
		line += image.ShortCommand(l.CreatedBy, 200)
		line = fit(line, w)
		if i == m.layer {
			line = look.sel.Render(line)
		} else if l.Base {
			line = look.dim.Render(line)
		}
		lines = append(lines, line)
	}
	for len(lines) < list+1 {
		lines = append(lines, "")
	}
	if len(r.Layers) > 0 {
		l := r.Layers[m.layer]
		lines = append(lines, look.dim.Render(fmt.Sprintf("layer %d: added %s, later hidden %s, hid %s", l.Index,
			vocab.FormatSize(l.AddedBytes), vocab.FormatSize(l.WastedBytes), vocab.FormatSize(l.OverwrittenBytes+l.DeletedBytes))))
		lines = append(lines, look.dim.Render(strings.TrimSpace(l.CreatedBy)))
	}
	return lines
}

func (m *Model) wasteLines(w, h int) []string {
	items := m.res.Waste.Items
	lines := []string{look.title.Render("Waste " + vocab.FormatSize(m.res.Waste.Total))}
	if len(items) == 0 {
		return append(lines, look.dim.Render("no bytes hidden by a later layer"))
	}
	for i := m.wasteTop; i < len(items) && len(lines) < h; i++ {
		it := items[i]
		here := i == m.waste && m.focus == paneWaste
		line := fit(fmt.Sprintf("%s%9s  %2d→%-2d %s", cursorMark(here), vocab.FormatSize(it.Bytes), it.CreatedBy, it.HiddenBy, "/"+it.Path), w)
		if here {
			line = look.sel.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (m *Model) treeLines(w, h int) []string {
	m.ensureRows()
	var head string
	if m.layerView {
		head = fmt.Sprintf("Layer %d changes", m.layer+1)
	} else {
		head = "Image"
		if len(m.res.Layers) > 0 {
			head += fmt.Sprintf(" (layer %d marked)", m.layer+1)
		}
	}
	order := "by size"
	if !m.bySize {
		order = "by name"
	}
	head += " · " + order
	if m.hideUnchanged && !m.layerView {
		head += " · unchanged hidden"
	}
	if !m.filter.empty() {
		head += " · filter " + m.filter.pattern
	}
	lines := []string{look.title.Render(head)}
	var lt *ftree
	if !m.layerView && len(m.res.Layers) > 0 {
		lt = m.layerTreeOf(m.layer)
	}
	for i := m.top; i < len(m.rows) && len(lines) < h; i++ {
		lines = append(lines, m.treeLine(m.rows[i], lt, w, i == m.cursor && m.focus == paneTree))
	}
	if len(m.rows) == 0 {
		lines = append(lines, look.dim.Render("nothing to show"))
	}
	return lines
}

// layerTreeOf returns layer i's change tree, made on first use.
func (m *Model) layerTreeOf(i int) *ftree {
	if m.layerTrees[i] == nil {
		var cs []image.Change
		if i < len(m.res.Changes) {
			cs = m.res.Changes[i]
		}
		m.layerTrees[i] = changeTree(cs)
	}
	return m.layerTrees[i]
}

func (m *Model) treeLine(r row, lt *ftree, w int, selected bool) string {
	n := r.n
	op := n.op
	if lt != nil && n.layer == m.layer+1 {
		if c := lt.find(n.path); c.path == n.path {
			op = c.op
		}
	}
	mark, st := " ", lipgloss.Style{}
	switch op {
	case image.OpAdded:
		mark, st = "+", look.added
	case image.OpModified:
		mark, st = "~", look.modified
	case image.OpRemoved:
		mark, st = "-", look.removed
	}
	glyph := "  "
	if len(n.kids) > 0 {
		glyph = "▸ "
		if n.open || !m.filter.empty() {
			glyph = "▾ "
		}
	}
	name := n.name
	switch n.kind {
	case image.KindDir:
		name += "/"
	case image.KindSymlink, image.KindHardlink:
		name += " → " + n.link
	}
	size := ""
	if n.kind == image.KindFile || n.kind == image.KindDir || n.size > 0 {
		size = vocab.FormatSize(n.size)
	}
	mode := modeString(n.kind, n.mode)
	if m.layerView && op == 0 {
		mode = "" // a directory above a change, untouched by the layer
	}
	line := fmt.Sprintf("%s%s %9s %10s %5s  %s%s%s", cursorMark(selected), mark, size, mode, owner(n), strings.Repeat("  ", r.depth), glyph, name)
	line = fit(line, w)
	switch {
	case selected:
		return look.sel.Render(line)
	case op == 0 && m.layerView:
		return look.dim.Render(line)
	case op != 0:
		return st.Render(line)
	}
	return line
}

func owner(n *node) string {
	if n.uid == 0 && n.gid == 0 {
		return ""
	}
	return strconv.Itoa(int(n.uid)) + ":" + strconv.Itoa(int(n.gid))
}

// modeString renders permission bits as ls does.
func modeString(k image.Kind, mode uint32) string {
	m := fs.FileMode(mode & 0o777)
	if mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	switch k {
	case image.KindDir:
		m |= fs.ModeDir
	case image.KindSymlink:
		m |= fs.ModeSymlink
	}
	s := m.String()
	if len(s) > 10 {
		s = s[len(s)-10:]
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// cursorMark shows the cursor without colours too.
func cursorMark(here bool) string {
	if here {
		return "▶"
	}
	return " "
}
