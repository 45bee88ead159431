package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/vocab"
)

// Code frames show at most maxFrameLines source lines; a longer span shows
// the first maxFrameLines-1 and a note. A displayed line is cut after
// maxFrameWidth characters.
const (
	maxFrameLines = 6
	maxFrameWidth = 200
)

// ANSI SGR codes used by the text format.
const (
	sgrBold    = "1"
	sgrDim     = "2"
	sgrRed     = "1;31"
	sgrYellow  = "1;33"
	sgrCyan    = "1;36"
	sgrMagenta = "1;35"
	sgrGreen   = "32"
	sgrFailRed = "31"
	sgrBlue    = "34"
	// sgrNoteYellow marks a noteworthy figure in measure's text.
	sgrNoteYellow = "33"
)

// Text writes the human-readable report: one block per finding with its
// location, severity, rule and message, followed by a code frame when the
// source is known; then each file's optimization checklist; then a line of
// totals. ANSI colour is used only when opts.Color is set.
func Text(w io.Writer, r *Report, opts Options) error {
	p := Palette{On: opts.Color}
	var b bytes.Buffer

	entries := sortedEntries(r)
	counts := map[vocab.Severity]int{}
	for i, e := range entries {
		if i > 0 {
			b.WriteByte('\n')
		}
		counts[normSeverity(e.Severity)]++
		writeFindingHeader(&b, p, e.Finding)
		writeCodeFrame(&b, p, e)
	}

	files := sortedFiles(r)
	var total checklistCounts
	for _, fr := range files {
		if len(fr.Checklist) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		total.add(writeChecklist(&b, p, fr))
	}

	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	writeTotals(&b, p, len(entries), counts, len(files), total)

	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// Palette applies ANSI colour when On: the colours every text report of
// strata shares.
type Palette struct{ On bool }

func (p Palette) paint(sgr, s string) string {
	if !p.On || s == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// Bold, Red, Yellow and Green paint a heading, a failure, something
// noteworthy and a success.
func (p Palette) Bold(s string) string   { return p.paint(sgrBold, s) }
func (p Palette) Red(s string) string    { return p.paint(sgrFailRed, s) }
func (p Palette) Yellow(s string) string { return p.paint(sgrNoteYellow, s) }
func (p Palette) Green(s string) string  { return p.paint(sgrGreen, s) }

func severityColor(sev vocab.Severity) string {
	switch sev {
	case vocab.Error:
		return sgrRed
	case vocab.Warning:
		return sgrYellow
	case vocab.Info:
		return sgrCyan
	}
	return sgrMagenta
}

// writeFindingHeader writes "file:line:col: severity RULE (name): message".
// Message lines after the first are indented below the header.
func writeFindingHeader(b *bytes.Buffer, p Palette, f Finding) {
	loc := displayText(f.File)
	if loc == "" {
		loc = "-"
	}
	if f.Line > 0 {
		loc += ":" + strconv.Itoa(f.Line)
		if f.Column > 0 {
			loc += ":" + strconv.Itoa(f.Column)
		}
	}
	sev := normSeverity(f.Severity)
	b.WriteString(p.paint(sgrBold, loc+":"))
	b.WriteByte(' ')
	b.WriteString(p.paint(severityColor(sev), sev.String()))
	if rule := displayText(f.Rule); rule != "" {
		b.WriteByte(' ')
		b.WriteString(p.paint(sgrBold, rule))
	}
	if name := displayText(f.Name); name != "" {
		b.WriteByte(' ')
		b.WriteString(p.paint(sgrDim, "("+name+")"))
	}
	b.WriteByte(':')
	msg := strings.ReplaceAll(f.Message, "\r\n", "\n")
	msg = strings.TrimRight(msg, " \t\r\n")
	for i, line := range strings.Split(msg, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if line = displayText(line); line != "" {
			if i == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString("    ")
			}
			b.WriteString(line)
		}
	}
	b.WriteByte('\n')
}

// writeCodeFrame writes the finding's source lines with line numbers, and
// for a single-line finding with a known column a caret under that column.
func writeCodeFrame(b *bytes.Buffer, p Palette, e entry) {
	if e.Line < 1 || e.Line > len(e.lines) {
		return
	}
	start, end := lineSpan(e.Finding)
	end = min(end, len(e.lines))
	shown, hidden := end, 0
	if end-start+1 > maxFrameLines {
		shown = start + maxFrameLines - 2
		hidden = end - shown
	}
	width := len(strconv.Itoa(end))
	gutter := func(n int) string {
		num := strings.Repeat(" ", width)
		if n > 0 {
			num = fmt.Sprintf("%*d", width, n)
		}
		return p.paint(sgrBlue, "  "+num+" |")
	}
	for n := start; n <= shown; n++ {
		text, cut := frameLine(e.lines[n-1])
		b.WriteString(gutter(n))
		if text != "" {
			b.WriteByte(' ')
			b.WriteString(text)
		}
		if cut {
			b.WriteString(p.paint(sgrDim, " …"))
		}
		b.WriteByte('\n')
		if n == start && start == end && e.Column > 0 {
			if pad, ok := caretPadding(e.lines[n-1], e.Column); ok {
				b.WriteString(gutter(0))
				b.WriteByte(' ')
				b.WriteString(pad)
				b.WriteString(p.paint(severityColor(normSeverity(e.Severity)), "^"))
				b.WriteByte('\n')
			}
		}
	}
	if hidden > 0 {
		more := "lines"
		if hidden == 1 {
			more = "line"
		}
		b.WriteString(gutter(0))
		b.WriteString(p.paint(sgrDim, fmt.Sprintf(" … %d more %s", hidden, more)))
		b.WriteByte('\n')
	}
}

// frameLine prepares a source line for display: terminal control
// characters are made harmless and a very long line is cut.
func frameLine(s string) (text string, cut bool) {
	s = displayText(s)
	if utf8.RuneCountInString(s) <= maxFrameWidth {
		return s, false
	}
	n := 0
	for i := range s {
		if n == maxFrameWidth {
			return s[:i], true
		}
		n++
	}
	return s, false
}

// caretPadding returns the whitespace that puts a caret under the 1-based
// byte column col of line: tabs are kept so the caret lines up however the
// terminal expands them, every other character becomes one space. It
// reports false when the column lies past the displayed part of the line.
func caretPadding(line string, col int) (string, bool) {
	if col-1 > len(line) {
		col = len(line) + 1
	}
	prefix := displayText(line[:col-1])
	if utf8.RuneCountInString(prefix) >= maxFrameWidth {
		return "", false
	}
	var pad strings.Builder
	for _, r := range prefix {
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	return pad.String(), true
}

// displayText makes s safe to print on a terminal: invalid UTF-8 becomes
// U+FFFD and control characters other than tab are shown as escapes, so a
// hostile Dockerfile cannot drive the terminal.
func displayText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	clean := true
	for _, r := range s {
		if r != '\t' && unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var out strings.Builder
	for _, r := range s {
		if r != '\t' && unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			out.WriteString(q[1 : len(q)-1])
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}

// checklistCounts tallies checklist statuses.
type checklistCounts struct{ pass, fail, na int }

func (c *checklistCounts) add(o checklistCounts) {
	c.pass += o.pass
	c.fail += o.fail
	c.na += o.na
}

func (c checklistCounts) total() int { return c.pass + c.fail + c.na }

func (c checklistCounts) String() string {
	return fmt.Sprintf("%d pass, %d fail, %d n/a", c.pass, c.fail, c.na)
}

// writeChecklist writes one file's checklist and returns its counts.
func writeChecklist(b *bytes.Buffer, p Palette, fr FileResult) checklistCounts {
	var c checklistCounts
	width := 0
	for _, it := range fr.Checklist {
		switch it.Status {
		case vocab.Pass:
			c.pass++
		case vocab.Fail:
			c.fail++
		default:
			c.na++
		}
		width = max(width, utf8.RuneCountInString(displayText(it.Item)))
	}
	name := displayText(fr.File)
	if name == "" {
		name = "-"
	}
	fmt.Fprintf(b, "%s %s\n", p.paint(sgrBold, "Checklist for "+name+":"), c)
	for _, it := range fr.Checklist {
		var mark string
		switch it.Status {
		case vocab.Pass:
			mark = p.paint(sgrGreen, "✓")
		case vocab.Fail:
			mark = p.paint(sgrFailRed, "✗")
		default:
			mark = p.paint(sgrDim, "–")
		}
		item := displayText(it.Item)
		b.WriteString("  ")
		b.WriteString(mark)
		if title := displayText(it.Title); title != "" {
			b.WriteByte(' ')
			b.WriteString(item)
			b.WriteString(strings.Repeat(" ", width-utf8.RuneCountInString(item)+2))
			b.WriteString(p.paint(sgrDim, title))
		} else if item != "" {
			b.WriteByte(' ')
			b.WriteString(item)
		}
		b.WriteByte('\n')
	}
	return c
}

// writeTotals writes the closing line, such as
// "3 errors, 5 warnings, 2 info, 0 style in 2 files — checklist: 7 pass, 5 fail, 4 n/a".
func writeTotals(b *bytes.Buffer, p Palette, findings int, counts map[vocab.Severity]int, files int, cl checklistCounts) {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	var line string
	if findings == 0 {
		line = p.paint(sgrGreen, "No problems found")
	} else {
		parts := []struct {
			sev  vocab.Severity
			text string
		}{
			{vocab.Error, plural(counts[vocab.Error], "error", "errors")},
			{vocab.Warning, plural(counts[vocab.Warning], "warning", "warnings")},
			{vocab.Info, strconv.Itoa(counts[vocab.Info]) + " info"},
			{vocab.Style, strconv.Itoa(counts[vocab.Style]) + " style"},
		}
		texts := make([]string, len(parts))
		for i, pt := range parts {
			texts[i] = pt.text
			if counts[pt.sev] > 0 {
				texts[i] = p.paint(severityColor(pt.sev), pt.text)
			}
		}
		line = strings.Join(texts, ", ")
	}
	if files > 0 {
		line += " in " + plural(files, "file", "files")
	}
	if cl.total() > 0 {
		line += " — checklist: " + cl.String()
	}
	b.WriteString(line)
	b.WriteByte('\n')
}

// ClipText is s cut to n runes, the last an ellipsis when it is cut.
func ClipText(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
