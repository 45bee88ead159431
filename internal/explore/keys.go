package explore

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key the explorer knows, with its help text.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End     key.Binding
	Next, Prev                                key.Binding
	Expand, Collapse, Toggle, ExpandAll       key.Binding
	Filter, ClearFilter, Sort                 key.Binding
	LayerView, HideUnchanged, Jump, JumpHider key.Binding
	Help, Quit, Interrupt                     key.Binding
}

var keys = keyMap{
	Up:            key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	Down:          key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	PageUp:        key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
	PageDown:      key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
	Home:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
	End:           key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
	Next:          key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
	Prev:          key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
	Expand:        key.NewBinding(key.WithKeys("right", "l", "enter"), key.WithHelp("→/l/enter", "expand")),
	Collapse:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "collapse, or go to the parent")),
	Toggle:        key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "expand/collapse")),
	ExpandAll:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "expand/collapse all")),
	Filter:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter by path pattern")),
	ClearFilter:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear the filter")),
	Sort:          key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort by size/name")),
	LayerView:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "this layer's changes / whole image")),
	HideUnchanged: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "hide what this layer did not change")),
	Jump:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "waste: go to the layer that made it")),
	JumpHider:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "waste: go to the layer that hid it")),
	Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	Quit:          key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
	Interrupt:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (exit 130)")),
}

// helpLines is the help screen, one binding a line, by pane.
func helpLines() [][2]string {
	var out [][2]string
	for _, b := range []key.Binding{
		keys.Next, keys.Prev, keys.Up, keys.Down, keys.PageUp, keys.PageDown, keys.Home, keys.End,
		keys.Expand, keys.Collapse, keys.Toggle, keys.ExpandAll, keys.Filter, keys.ClearFilter, keys.Sort,
		keys.LayerView, keys.HideUnchanged, keys.Jump, keys.JumpHider, keys.Help, keys.Quit, keys.Interrupt,
	} {
		h := b.Help()
		out = append(out, [2]string{h.Key, h.Desc})
	}
	return out
}
