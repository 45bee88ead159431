package buildreport

import (
	"io"

	"github.com/stratatools/strata/internal/estimate"
	"github.com/stratatools/strata/internal/report"
)

// EstimateJSON writes an estimate as indented JSON; lists are never null.
func EstimateJSON(w io.Writer, e *estimate.Estimate) error {
	return report.WriteJSON(w, normalizedEstimate(e), "JSON")
}

// EstimateChangeJSON writes a fix's expected effect: both estimates and
// the change in percent.
func EstimateChangeJSON(w io.Writer, c estimate.Change) error {
	v := struct {
		Before  *estimate.Estimate `json:"before"`
		After   *estimate.Estimate `json:"after"`
		Percent float64            `json:"change_percent"`
	}{normalizedEstimate(c.Before), normalizedEstimate(c.After), c.Percent()}
	return report.WriteJSON(w, v, "JSON")
}

func normalizedEstimate(e *estimate.Estimate) *estimate.Estimate {
	if e == nil {
		return nil
	}
	cp := *e
	cp.Stages = append(make([]estimate.Stage, 0, len(e.Stages)), e.Stages...)
	for i := range cp.Stages {
		st := &cp.Stages[i]
		st.Steps = append(make([]estimate.Step, 0, len(st.Steps)), st.Steps...)
		for j := range st.Steps {
			if st.Steps[j].Parts == nil {
				st.Steps[j].Parts = []estimate.Part{}
			}
		}
	}
	if cp.Unknown == nil {
		cp.Unknown = []string{}
	}
	if cp.Notes == nil {
		cp.Notes = []string{}
	}
	if cp.ByConfidence == nil {
		cp.ByConfidence = map[estimate.Confidence]int64{}
	}
	return &cp
}
