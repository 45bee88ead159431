package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"github.com/stratatools/strata/internal/vocab"
)

// The checkstyle 4.3 document.
type (
	checkstyleDoc struct {
		XMLName xml.Name         `xml:"checkstyle"`
		Version string           `xml:"version,attr"`
		Files   []checkstyleFile `xml:"file"`
	}
	checkstyleFile struct {
		Name   string            `xml:"name,attr"`
		Errors []checkstyleError `xml:"error"`
	}
	checkstyleError struct {
		Line     int    `xml:"line,attr"`
		Column   int    `xml:"column,attr,omitempty"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
)

// Checkstyle writes checkstyle XML (version 4.3): one <file> per input file,
// findless files included, each finding an <error> whose source is
// "strata.RULE". Severities: error → error, warning → warning, info and
// style → info. encoding/xml escapes the attributes and replaces
// characters XML cannot hold with U+FFFD.
func Checkstyle(w io.Writer, r *Report, _ Options) error {
	byFile := map[string][]checkstyleError{}
	for _, f := range sortedFindings(r) {
		source := toolName(r)
		if f.Rule != "" {
			source += "." + f.Rule
		}
		byFile[f.File] = append(byFile[f.File], checkstyleError{
			Line:     max(f.Line, 0),
			Column:   max(f.Column, 0),
			Severity: checkstyleSeverity(f.Severity),
			Message:  f.Message,
			Source:   source,
		})
	}
	for _, fr := range sortedFiles(r) {
		if _, ok := byFile[fr.File]; !ok {
			byFile[fr.File] = nil
		}
	}
	names := make([]string, 0, len(byFile))
	for name := range byFile {
		names = append(names, name)
	}
	sort.Strings(names)

	doc := checkstyleDoc{Version: "4.3", Files: make([]checkstyleFile, len(names))}
	for i, name := range names {
		doc.Files[i] = checkstyleFile{Name: name, Errors: byFile[name]}
	}

	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode checkstyle report: %w", err)
	}
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write checkstyle report: %w", err)
	}
	return nil
}

func checkstyleSeverity(sev vocab.Severity) string {
	switch normSeverity(sev) {
	case vocab.Error:
		return "error"
	case vocab.Warning:
		return "warning"
	}
	return "info"
}
