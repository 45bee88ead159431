package diff

// Replacement replaces the lines [From, To) of the old text (0-based line
// numbers) with New: whole lines, each with its terminator.
type Replacement struct {
	From, To int
	New      string
}

// Replacements returns the line replacements that turn a into b, in
// order and not overlapping: the same shortest edit script the unified
// diff shows, as edits an editor can apply one by one.
func Replacements(a, b string) []Replacement {
	la, lb := Lines(a), Lines(b)
	var out []Replacement
	var cur *Replacement
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, o := range script(la, lb) {
		switch o.kind {
		case keep:
			flush()
		case del:
			if cur == nil {
				cur = &Replacement{From: o.a, To: o.a}
			}
			cur.To = o.a + 1
		case ins:
			if cur == nil {
				cur = &Replacement{From: o.a, To: o.a}
			}
			cur.New += lb[o.b]
		}
	}
	flush()
	return out
}
