package report

import (
	"io"

	"github.com/stratatools/strata/internal/measure"
)

// MeasureJSON writes one measurement as indented JSON.
func MeasureJSON(w io.Writer, m *measure.Measurement) error {
	return WriteJSON(w, normalizedMeasurement(m), "JSON")
}

// CompareJSON writes a comparison as indented JSON.
func CompareJSON(w io.Writer, c *measure.Comparison) error {
	cp := *c
	cp.A, cp.B = normalizedMeasurement(c.A), normalizedMeasurement(c.B)
	if cp.Figures == nil {
		cp.Figures = []measure.FigureDiff{}
	}
	if cp.Findings == nil {
		cp.Findings = []measure.CategoryChange{}
	}
	if cp.Score.Terms == nil {
		cp.Score.Terms = []measure.ScoreTerm{}
	}
	return WriteJSON(w, &cp, "JSON")
}

// normalizedMeasurement returns a copy of m whose lists are never null.
func normalizedMeasurement(m *measure.Measurement) *measure.Measurement {
	if m == nil {
		return nil
	}
	cp := *m
	if cp.Layers == nil {
		cp.Layers = []measure.Layer{}
	}
	if cp.ImageFindings == nil {
		cp.ImageFindings = []Finding{}
	}
	if cp.LintFindings == nil {
		cp.LintFindings = []Finding{}
	}
	if cp.Notes == nil {
		cp.Notes = []string{}
	}
	norm := func(fs []Finding) []Finding {
		out := make([]Finding, len(fs))
		for i, f := range fs {
			if f.Aliases == nil {
				f.Aliases = []string{}
			}
			out[i] = f
		}
		return out
	}
	cp.ImageFindings, cp.LintFindings = norm(cp.ImageFindings), norm(cp.LintFindings)
	return &cp
}
