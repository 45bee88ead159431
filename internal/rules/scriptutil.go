package rules

import (
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// Placing fixes inside RUN scripts: a map from the offsets of a parsed
// script to the Dockerfile's bytes, and the edits the package-manager
// rules make with it.

// scriptMap maps byte offsets of a RUN script's text (what the shell
// parser saw) to byte offsets in the Dockerfile source. For a shell-form
// RUN the script is the instruction text as BuildKit joined it: line
// continuations and the comment and blank lines inside them removed; for
// a heredoc it is the body. Bytes whose place in the source is not known
// map to -1.
type scriptMap struct {
	off []int // off[i] is the source offset of script byte i
}

// newScriptMap builds the map of script rs of RUN run (the trigger of
// outer when outer is an ONBUILD). It returns nil when the script cannot
// be located exactly in the source.
func newScriptMap(f *dockerfile.File, outer, run *dockerfile.Instruction, rs *edit.Script) *scriptMap {
	if rs == nil || rs.Script == nil || len(run.Args) == 0 {
		return nil
	}
	src := rs.Source
	m := &scriptMap{off: make([]int, len(src))}
	for i := range m.off {
		m.off[i] = -1
	}
	header := outer.EndLine
	if len(run.Heredocs) > 0 || len(outer.Heredocs) > 0 {
		header = outer.StartLine
	}
	// Where the heredoc bodies start in the source: the line after the
	// header.
	bodyStart := f.LineEnd(header)
	bodyStart = skipNewline(f.Source, bodyStart)
	if rs.Heredoc {
		if !m.place(f, 0, bodyStart, len(src), src) {
			return nil
		}
		return m
	}
	cmd := run.Args[0]
	if !strings.HasPrefix(src, cmd) {
		return nil
	}
	if !m.placeJoined(f, outer.StartLine, header, cmd) {
		return nil
	}
	// "RUN cmd <<EOF": the script continues with each body and its
	// delimiter line.
	at, file := len(cmd), bodyStart
	for _, h := range run.Heredocs {
		if at >= len(src) || src[at] != '\n' {
			return m
		}
		at++
		if !m.place(f, at, file, len(h.Content), src) {
			return m
		}
		at += len(h.Content)
		file += len(h.Content)
		if h.Content != "" && !strings.HasSuffix(h.Content, "\n") {
			at++
		}
		at += len(h.Name)
		// Skip the delimiter line in the source.
		if i := strings.IndexByte(string(f.Source[min(file, len(f.Source)):]), '\n'); i >= 0 {
			file += i + 1
		} else {
			return m
		}
	}
	return m
}

// skipNewline returns the offset just past the line terminator at off.
func skipNewline(src []byte, off int) int {
	if off < len(src) && src[off] == '\r' {
		off++
	}
	if off < len(src) && src[off] == '\n' {
		off++
	}
	return off
}

// place maps script bytes [at, at+n) to source bytes [file, file+n) when
// they are equal.
func (m *scriptMap) place(f *dockerfile.File, at, file, n int, src string) bool {
	if at < 0 || n < 0 || at+n > len(src) || file < 0 || file+n > len(f.Source) || string(f.Source[file:file+n]) != src[at:at+n] {
		return false
	}
	for i := 0; i < n; i++ {
		m.off[at+i] = file + i
	}
	return true
}

// placeJoined maps cmd, the instruction text of lines first..last as
// BuildKit joined it, to the source: it rebuilds the joined text from
// the source lines, keeping each byte's offset, and finds cmd at its end.
func (m *scriptMap) placeJoined(f *dockerfile.File, first, last int, cmd string) bool {
	if first < 1 || last > len(f.Lines) || first > last {
		return false
	}
	esc := "\\"
	if f.Escape != 0 {
		esc = string(f.Escape)
	}
	var joined strings.Builder
	var offs []int
	for ln := first; ln <= last; ln++ {
		text := f.Lines[ln-1]
		start := f.Offset(ln, 1)
		if start+len(text) > len(f.Source) || string(f.Source[start:start+len(text)]) != text {
			return false
		}
		if ln > first {
			t := strings.TrimLeft(text, " \t")
			if t == "" || t[0] == '#' {
				continue
			}
		}
		if ln < last {
			t := strings.TrimRight(text, " \t")
			if strings.HasSuffix(t, esc) {
				text = t[:len(t)-len(esc)]
			}
		}
		joined.WriteString(text)
		for i := range len(text) {
			offs = append(offs, start+i)
		}
	}
	j := joined.String()
	idx := -1
	if strings.HasSuffix(j, cmd) {
		idx = len(j) - len(cmd)
	} else if t := strings.TrimRight(j, " \t"); strings.HasSuffix(t, cmd) {
		idx = len(t) - len(cmd)
	}
	if idx < 0 {
		return false
	}
	for i := range len(cmd) {
		m.off[i] = offs[idx+i]
	}
	return true
}

// span returns the source range of script bytes [pos, end) when they are
// contiguous in the source.
func (m *scriptMap) span(pos, end int) (int, int, bool) {
	if m == nil || pos < 0 || end <= pos || end > len(m.off) {
		return 0, 0, false
	}
	a, b := m.off[pos], m.off[end-1]
	if a < 0 || b < 0 || b-a != end-1-pos {
		return 0, 0, false
	}
	for i := pos; i < end; i++ {
		if m.off[i] != a+i-pos {
			return 0, 0, false
		}
	}
	return a, b + 1, true
}

// after returns the source offset just past script byte k-1: where text
// inserted after the first k script bytes goes.
func (m *scriptMap) after(k int) (int, bool) {
	if m == nil || k <= 0 || k > len(m.off) || m.off[k-1] < 0 {
		return 0, false
	}
	return m.off[k-1] + 1, true
}

// at returns the source offset of script byte k.
func (m *scriptMap) at(k int) (int, bool) {
	if m == nil || k < 0 || k >= len(m.off) || m.off[k] < 0 {
		return 0, false
	}
	return m.off[k], true
}

// scriptEdit is an edit of a script's text: bytes [pos, end) become text.
// An insertion (pos == end) goes after script byte pos-1.
type scriptEdit struct {
	pos, end int
	text     string
}

// scriptFix turns script edits into a fix on the Dockerfile source. The
// edits must map exactly to the source, and the edited script must parse
// and satisfy done (the finding is gone); otherwise it returns nil and the
// finding is reported without a fix.
func scriptFix(f *dockerfile.File, r shRun, rs *edit.Script, msg string, unsafe bool, done func(*shell.Script) bool, edits ...scriptEdit) *edit.Fix {
	if len(edits) == 0 {
		return nil
	}
	m := newScriptMap(f, r.outer, r.run, rs)
	if m == nil {
		return nil
	}
	src := rs.Source
	sorted := append([]scriptEdit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].pos > sorted[j].pos })
	var out []edit.TextEdit
	edited := src
	last := len(src) + 1
	for _, e := range sorted {
		if e.pos < 0 || e.end < e.pos || e.end > len(src) || e.end > last {
			return nil
		}
		last = e.pos
		var te edit.TextEdit
		if e.pos == e.end {
			off, ok := m.after(e.pos)
			if !ok {
				return nil
			}
			te = edit.TextEdit{Pos: off, End: off, NewText: e.text}
		} else {
			a, b, ok := m.span(e.pos, e.end)
			if !ok {
				return nil
			}
			te = edit.TextEdit{Pos: a, End: b, NewText: e.text}
		}
		out = append(out, te)
		edited = edited[:e.pos] + e.text + edited[e.end:]
	}
	parsed, err := shell.Parse(edited)
	if err != nil || (done != nil && !done(parsed)) {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return &edit.Fix{Message: msg, Edits: out, Unsafe: unsafe}
}

// insertAfterWord is the edit that inserts text after word w.
func insertAfterWord(w shell.Word, text string) scriptEdit {
	return scriptEdit{pos: w.End.Offset, end: w.End.Offset, text: text}
}

// appendCommand is the edit that runs cmd after everything else in the
// script: " && cmd" at the end of a one-line script, a new last line in a
// heredoc body. ok is false when the script does not end cleanly (a
// trailing comment, background job or continuation).
func appendCommand(rs *edit.Script, cmd string) (scriptEdit, bool) {
	src := rs.Source
	if len(rs.Commands) == 0 {
		return scriptEdit{}, false
	}
	if rs.Heredoc {
		if !strings.HasSuffix(src, "\n") || strings.HasSuffix(strings.TrimRight(src, "\n"), "\\") {
			return scriptEdit{}, false
		}
		return scriptEdit{pos: len(src), end: len(src), text: cmd + "\n"}, true
	}
	end := len(strings.TrimRight(src, " \t"))
	if end == 0 || strings.ContainsRune(src, '\n') {
		return scriptEdit{}, false
	}
	// The script must end with its last command (no comment after it).
	lastEnd := 0
	for _, c := range rs.Commands {
		if c.End.Offset > lastEnd {
			lastEnd = c.End.Offset
		}
	}
	tail := strings.TrimSpace(src[min(lastEnd, len(src)):])
	switch tail {
	case "", ")", "}", "fi", "done", "esac", ";;":
	default:
		if strings.Trim(tail, " \t;)}") != "" && !isShellCloser(tail) {
			return scriptEdit{}, false
		}
	}
	return scriptEdit{pos: end, end: end, text: " && " + cmd}, true
}

// isShellCloser reports whether tail is only closing keywords and
// punctuation (" ; fi", "; done").
func isShellCloser(tail string) bool {
	for _, f := range strings.FieldsFunc(tail, func(r rune) bool { return r == ' ' || r == '\t' || r == ';' }) {
		switch f {
		case "fi", "done", "esac", "}", ")", "))":
		default:
			return false
		}
	}
	return true
}
