package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/stratatools/strata/internal/vocab"
)

// GitHub writes GitHub Actions workflow commands, one line per finding:
//
//	::warning file=Dockerfile,line=3,endLine=3,col=1,title=DL3008 apt-pin::message
//
// error → error, warning → warning, info and style → notice. Properties
// the finding lacks (file, line, column) are left out. Values are escaped
// as the runner expects; nothing is written when there are no findings.
func GitHub(w io.Writer, r *Report, _ Options) error {
	var b bytes.Buffer
	for _, f := range sortedFindings(r) {
		var props []string
		if f.File != "" {
			props = append(props, "file="+githubProperty(filepath.ToSlash(f.File)))
		}
		if f.Line > 0 {
			start, end := lineSpan(f)
			props = append(props, "line="+strconv.Itoa(start), "endLine="+strconv.Itoa(end))
			if f.Column > 0 {
				props = append(props, "col="+strconv.Itoa(f.Column))
			}
		}
		if title := strings.TrimSpace(f.Rule + " " + f.Name); title != "" {
			props = append(props, "title="+githubProperty(title))
		}
		b.WriteString("::")
		b.WriteString(githubCommand(f.Severity))
		if len(props) > 0 {
			b.WriteByte(' ')
			b.WriteString(strings.Join(props, ","))
		}
		b.WriteString("::")
		b.WriteString(githubData(f.Message))
		b.WriteByte('\n')
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write GitHub annotations: %w", err)
	}
	return nil
}

func githubCommand(sev vocab.Severity) string {
	switch normSeverity(sev) {
	case vocab.Error:
		return "error"
	case vocab.Warning:
		return "warning"
	}
	return "notice"
}

// githubData escapes a workflow command's message: '%', CR and LF become
// %25, %0D and %0A. Other control characters are spelled out (\x1b) so
// they cannot reach the log viewer, and invalid UTF-8 becomes U+FFFD.
func githubData(s string) string { return githubEscape(s, false) }

// githubProperty escapes a workflow command property value: as data, plus
// ':' and ',' (%3A, %2C), which delimit properties.
func githubProperty(s string) string { return githubEscape(s, true) }

func githubEscape(s string, property bool) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '%':
			b.WriteString("%25")
		case r == '\r':
			b.WriteString("%0D")
		case r == '\n':
			b.WriteString("%0A")
		case property && r == ':':
			b.WriteString("%3A")
		case property && r == ',':
			b.WriteString("%2C")
		case r != '\t' && unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
