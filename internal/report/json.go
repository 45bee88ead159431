package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// jsonReport is the JSON document. Field order is the output key order.
type jsonReport struct {
	Findings  []Finding       `json:"findings"`
	Checklist []ChecklistItem `json:"checklist"`
	// Files is present only when the report covers several files.
	Files []jsonFile `json:"files,omitempty"`
}

type jsonFile struct {
	File      string          `json:"file"`
	Checklist []ChecklistItem `json:"checklist"`
}

// JSON writes the machine-readable report: every finding, sorted, and the
// optimization checklist. With several files the top-level checklist is
// their merge (see MergeChecklist) and "files" holds each file's own.
// Arrays are never null; invalid UTF-8 becomes U+FFFD.
func JSON(w io.Writer, r *Report, _ Options) error {
	files := sortedFiles(r)
	doc := jsonReport{
		Findings:  sortedFindings(r),
		Checklist: []ChecklistItem{},
	}
	switch len(files) {
	case 0:
	case 1:
		doc.Checklist = append(doc.Checklist, files[0].Checklist...)
	default:
		doc.Checklist = MergeChecklist(files)
		doc.Files = make([]jsonFile, len(files))
		for i, fr := range files {
			doc.Files[i] = jsonFile{File: fr.File, Checklist: append([]ChecklistItem{}, fr.Checklist...)}
		}
	}
	return writeJSON(w, doc, "JSON")
}

// writeJSON encodes v indented by two spaces with a trailing newline,
// leaving <, > and & readable.
func writeJSON(w io.Writer, v any, format string) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s report: %w", format, err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}
