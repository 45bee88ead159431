package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
)

// PageWriter builds an HTML page in memory: the page's own markup as it
// is, every other string escaped for where it goes. The pages are written
// with it rather than with html/template, whose executor looks methods up
// by name (reflect.Value.MethodByName), which makes the linker keep every
// exported method of every package in strata's binary (megabytes).
//
// The escaping is html/template's, byte for byte, so that the pages are
// the same as when they were templates: text and double-quoted attribute
// values escape & < > " ' + (NUL becomes U+FFFD; other bytes, valid
// UTF-8 or not, stay as they are). A CSS value is stricter: only letters,
// digits and # . % - pass, anything else is written as ZgotmplZ (as
// html/template wrote a value it refused). A script element's content is
// the page's own script or JSON that json.Marshal escaped, and is refused
// if it could end its element.
type PageWriter struct {
	b   bytes.Buffer
	err error
}

// Raw writes the page's own markup. Never a string from outside.
func (w *PageWriter) Raw(s string) { w.b.WriteString(s) }

// Text writes s escaped for an element's text or a double-quoted
// attribute value (class, title, data-*; never an event handler, a URL
// or a style attribute).
func (w *PageWriter) Text(s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		}
		if repl != "" {
			w.b.WriteString(s[written:i])
			w.b.WriteString(repl)
			written = i + 1
		}
	}
	w.b.WriteString(s[written:])
}

// Int writes n in decimal.
func (w *PageWriter) Int(n int64) { w.b.WriteString(strconv.FormatInt(n, 10)) }

// Float writes f in its shortest form (fmt's %v).
func (w *PageWriter) Float(f float64) { w.Text(strconv.FormatFloat(f, 'g', -1, 64)) }

// Fixed1 writes f with one decimal (%.1f).
func (w *PageWriter) Fixed1(f float64) { w.Text(Fixed1(f)) }

// cssUnsafe stands for a CSS value that could end its value or its
// declaration (html/template's failsafe value).
const cssUnsafe = "ZgotmplZ"

// CSS writes s as (part of) a value in a style attribute: a colour, a
// number, a word. Anything but letters, digits and # . % - (no "--", which
// could start a comment's end) is refused and written as cssUnsafe.
func (w *PageWriter) CSS(s string) {
	w.Text(cssValue(s))
}

func cssValue(s string) string {
	ident := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			ident = append(ident, c|0x20)
		case '0' <= c && c <= '9', c == '#', c == '.', c == '%':
		case c == '-':
			if i > 0 && s[i-1] == '-' {
				return cssUnsafe
			}
		default:
			return cssUnsafe
		}
	}
	if bytes.Contains(ident, []byte("expression")) || bytes.Contains(ident, []byte("mozbinding")) {
		return cssUnsafe
	}
	return s
}

// Script writes the content of a script element: the page's own script,
// or JSON from json.Marshal (which escapes <, > and &, and U+2028 and
// U+2029). Content that could end the element, start a script element or
// open a comment in it (<!--, </script, <script, in any case) is an
// error.
func (w *PageWriter) Script(s []byte) {
	for i := bytes.IndexByte(s, '<'); i >= 0; {
		rest := s[i:]
		if bytes.HasPrefix(rest, []byte("<!--")) || hasFoldPrefix(rest, "</script") || hasFoldPrefix(rest, "<script") {
			if w.err == nil {
				w.err = fmt.Errorf("a script for the page holds %q", rest[:min(len(rest), 9)])
			}
			return
		}
		j := bytes.IndexByte(rest[1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	w.b.Write(s)
}

func hasFoldPrefix(s []byte, prefix string) bool {
	return len(s) >= len(prefix) && bytes.EqualFold(s[:len(prefix)], []byte(prefix))
}

// WritePage writes the page to out unless building it failed.
func (w *PageWriter) WritePage(out io.Writer, what string) error {
	if w.err != nil {
		return fmt.Errorf("rendering %s: %w", what, w.err)
	}
	if _, err := out.Write(w.b.Bytes()); err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	return nil
}

// BarPct is v as a percentage of maxV, the width of its bar: at least a
// sliver for a non-empty value, so that every one shows.
func BarPct(v, maxV int64) float64 {
	if v <= 0 || maxV <= 0 {
		return 0
	}
	return math.Max(0.5, math.Round(float64(v)/float64(maxV)*1000)/10)
}

// Fixed1 is f with one decimal (%.1f).
func Fixed1(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
