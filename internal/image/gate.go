package image

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// Gate holds the CI thresholds. A nil field is not checked.
type Gate struct {
	// MaxSize bounds the image's uncompressed size (sum of its layers).
	MaxSize *int64
	// MinEfficiency bounds Totals.Efficiency from below (0..1).
	MinEfficiency *float64
	// MaxWastedBytes bounds Waste.Total.
	MaxWastedBytes *int64
	// MaxWastedPercent bounds Waste.Percent (0..100).
	MaxWastedPercent *float64
	// MaxUserWastedPercent bounds Waste.UserPercent (0..100): waste user
	// layers caused, relative to the bytes they store (dive's
	// highestUserWastedPercent, as a percentage).
	MaxUserWastedPercent *float64
	// FailOn fails the gate when a finding has this severity or a higher
	// one; "" or "none" never fails on findings.
	FailOn string
}

// Int64 and Float64 return pointers, for building a Gate.
func Int64(v int64) *int64       { return &v }
func Float64(v float64) *float64 { return &v }

// Override returns g with every field set in o replacing g's.
func (g Gate) Override(o Gate) Gate {
	if o.MaxSize != nil {
		g.MaxSize = o.MaxSize
	}
	if o.MinEfficiency != nil {
		g.MinEfficiency = o.MinEfficiency
	}
	if o.MaxWastedBytes != nil {
		g.MaxWastedBytes = o.MaxWastedBytes
	}
	if o.MaxWastedPercent != nil {
		g.MaxWastedPercent = o.MaxWastedPercent
	}
	if o.MaxUserWastedPercent != nil {
		g.MaxUserWastedPercent = o.MaxUserWastedPercent
	}
	if o.FailOn != "" {
		g.FailOn = o.FailOn
	}
	return g
}

// Empty reports whether the gate checks nothing.
func (g Gate) Empty() bool {
	return g.MaxSize == nil && g.MinEfficiency == nil && g.MaxWastedBytes == nil &&
		g.MaxWastedPercent == nil && g.MaxUserWastedPercent == nil && (g.FailOn == "" || g.FailOn == "none")
}

// Validate checks the thresholds' ranges and the severity name.
func (g Gate) Validate() error {
	if g.MaxSize != nil && *g.MaxSize < 0 {
		return fmt.Errorf("max-size must not be negative")
	}
	if g.MaxWastedBytes != nil && *g.MaxWastedBytes < 0 {
		return fmt.Errorf("max-wasted-bytes must not be negative")
	}
	if g.MinEfficiency != nil && (*g.MinEfficiency < 0 || *g.MinEfficiency > 1) {
		return fmt.Errorf("min-efficiency %v is out of range: it is a ratio from 0 to 1", *g.MinEfficiency)
	}
	if g.MaxWastedPercent != nil && (*g.MaxWastedPercent < 0 || *g.MaxWastedPercent > 100) {
		return fmt.Errorf("max-wasted-percent %v is out of range 0..100", *g.MaxWastedPercent)
	}
	if g.MaxUserWastedPercent != nil && *g.MaxUserWastedPercent < 0 {
		return fmt.Errorf("max-user-wasted-percent must not be negative")
	}
	if g.FailOn != "" && g.FailOn != "none" && severityRank(g.FailOn) == 0 {
		return fmt.Errorf("unknown severity %q for fail-on (use error, warning, info, style or none)", g.FailOn)
	}
	return nil
}

// GateResult is the outcome of a gate.
type GateResult struct {
	Pass   bool        `json:"pass"`
	Checks []GateCheck `json:"checks"`
}

// GateCheck is one threshold compared with the image.
type GateCheck struct {
	Name    string  `json:"name"`
	Limit   float64 `json:"limit"`
	Actual  float64 `json:"actual"`
	Pass    bool    `json:"pass"`
	Message string  `json:"message"`
}

// severityRank orders the finding severities, style 1 to error 4; any
// other name ranks 0.
func severityRank(s string) int {
	s = strings.ToLower(s)
	for v := vocab.Style; v <= vocab.Error; v++ {
		if s == v.String() {
			return int(v)
		}
	}
	return 0
}

// Evaluate compares the result with every threshold set.
func (g Gate) Evaluate(r *Result) GateResult {
	res := GateResult{Pass: true}
	add := func(c GateCheck) {
		if !c.Pass {
			res.Pass = false
		}
		res.Checks = append(res.Checks, c)
	}
	if g.MaxSize != nil {
		lim, act := *g.MaxSize, r.Totals.Size
		c := GateCheck{Name: "max-size", Limit: float64(lim), Actual: float64(act), Pass: act <= lim}
		c.Message = fmt.Sprintf("image size %s, limit %s", FormatSize(act), FormatSize(lim))
		add(c)
	}
	if g.MinEfficiency != nil {
		lim, act := *g.MinEfficiency, r.Totals.Efficiency
		c := GateCheck{Name: "min-efficiency", Limit: lim, Actual: act, Pass: act >= lim}
		c.Message = fmt.Sprintf("efficiency %.4f, minimum %.4f", act, lim)
		add(c)
	}
	if g.MaxWastedBytes != nil {
		lim, act := *g.MaxWastedBytes, r.Waste.Total
		c := GateCheck{Name: "max-wasted-bytes", Limit: float64(lim), Actual: float64(act), Pass: act <= lim}
		c.Message = fmt.Sprintf("wasted %s, limit %s", FormatSize(act), FormatSize(lim))
		add(c)
	}
	if g.MaxWastedPercent != nil {
		lim, act := *g.MaxWastedPercent, r.Waste.Percent
		c := GateCheck{Name: "max-wasted-percent", Limit: lim, Actual: act, Pass: act <= lim}
		c.Message = fmt.Sprintf("wasted %.2f%% of stored bytes, limit %.2f%%", act, lim)
		add(c)
	}
	if g.MaxUserWastedPercent != nil {
		lim, act := *g.MaxUserWastedPercent, r.Waste.UserPercent
		c := GateCheck{Name: "max-user-wasted-percent", Limit: lim, Actual: act, Pass: act <= lim}
		c.Message = fmt.Sprintf("user layers wasted %.2f%% of the bytes they store, limit %.2f%%", act, lim)
		add(c)
	}
	if rank := severityRank(g.FailOn); rank > 0 {
		n := 0
		for _, f := range r.Findings {
			if severityRank(f.Severity) >= rank {
				n++
			}
		}
		c := GateCheck{Name: "fail-on", Limit: 0, Actual: float64(n), Pass: n == 0}
		c.Message = fmt.Sprintf("%d findings of severity %s or higher", n, strings.ToLower(g.FailOn))
		add(c)
	}
	return res
}

// GateSettings are thresholds as a user writes them, in flags or in the
// image section of .strata.yaml: sizes as text ("200MB", "1.5GiB"),
// efficiency as a ratio, percentages from 0 to 100. Empty and nil fields
// are not set.
type GateSettings struct {
	MaxSize              string
	MinEfficiency        *float64
	MaxWastedBytes       string
	MaxWastedPercent     *float64
	MaxUserWastedPercent *float64
	FailOn               string
}

// Gate parses the settings.
func (s GateSettings) Gate() (Gate, error) {
	g := Gate{
		MinEfficiency:        s.MinEfficiency,
		MaxWastedPercent:     s.MaxWastedPercent,
		MaxUserWastedPercent: s.MaxUserWastedPercent,
		FailOn:               strings.ToLower(strings.TrimSpace(s.FailOn)),
	}
	if s.MaxSize != "" {
		n, err := ParseSize(s.MaxSize)
		if err != nil {
			return g, fmt.Errorf("max-size: %w", err)
		}
		g.MaxSize = &n
	}
	if s.MaxWastedBytes != "" {
		n, err := ParseSize(s.MaxWastedBytes)
		if err != nil {
			return g, fmt.Errorf("max-wasted-bytes: %w", err)
		}
		g.MaxWastedBytes = &n
	}
	return g, g.Validate()
}
