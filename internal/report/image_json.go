package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
)

// ImageDocument is the JSON report of strata image: the analysis, the
// gate and the checklist from one run.
type ImageDocument struct {
	*image.Result
	Gate      *gate.Result    `json:"gate,omitempty"`
	Checklist []ChecklistItem `json:"checklist"`
}

// ImageChecklist turns the checklist state the image rules derive into
// report items.
func ImageChecklist(r *image.Result, rules check.Set) []ChecklistItem {
	out := []ChecklistItem{}
	for _, c := range rules.Checklist(r) {
		out = append(out, ChecklistItem{Item: c.Item, Status: c.Status})
	}
	return out
}

// ImageJSON writes the result, gate (when g is set) and the checklist the
// rules inform as one JSON document. Arrays are never null.
func ImageJSON(w io.Writer, r *image.Result, g *gate.Result, rules check.Set) error {
	res := *r // fill empty arrays on a copy, never on the caller's result
	doc := ImageDocument{Result: &res, Gate: g, Checklist: ImageChecklist(r, rules)}
	if doc.Layers == nil {
		doc.Layers = []image.Layer{}
	}
	if doc.Timing.Layers == nil {
		doc.Timing.Layers = []image.LayerTiming{}
	}
	if doc.Dockerfile != nil && doc.Dockerfile.Entries == nil {
		m := *doc.Dockerfile
		m.Entries = []image.MappedStep{}
		doc.Dockerfile = &m
	}
	if doc.Gate != nil && doc.Gate.Checks == nil {
		gr := *doc.Gate
		gr.Checks = []gate.Check{}
		doc.Gate = &gr
	}
	if doc.Findings == nil {
		doc.Findings = []image.Finding{}
	}
	if doc.Notes == nil {
		doc.Notes = []string{}
	}
	if doc.History == nil {
		doc.History = []image.HistoryEntry{}
	}
	if doc.Waste.Pairs == nil {
		doc.Waste.Pairs = []image.WastePair{}
	}
	if doc.Waste.Items == nil {
		doc.Waste.Items = []image.WasteItem{}
	}
	if doc.Waste.Duplicates == nil {
		doc.Waste.Duplicates = []image.DuplicateGroup{}
	}
	if doc.Largest.Files == nil {
		doc.Largest.Files = []image.PathSize{}
	}
	if doc.Largest.Dirs == nil {
		doc.Largest.Dirs = []image.PathSize{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding JSON report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}
