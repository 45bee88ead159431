// Package estimate predicts the size of the image a Dockerfile builds,
// layer by layer, without building it: the base image's size
// (internal/estimate/baseimage), each instruction's contribution from the
// sources made for it (Debian's and Ubuntu's package indexes, Alpine's
// APKINDEX, npm's registry, PyPI, the build context after .dockerignore),
// the caches left in layers (apt lists and binary caches, downloaded
// packages, pip and npm caches), and what a multi-stage build leaves
// behind in its build stages. Every figure says where it came from and
// how sure it is; what cannot be known (the output of `make`, a download)
// is a range, and said to be one.
//
// Rendering is internal/report/buildreport's (EstimateText, EstimateJSON).
package estimate

import (
	"fmt"
	"slices"
	"strings"
)

// Confidence says how sure a figure is, from the surest.
type Confidence string

// Confidences, from the surest to the least sure.
const (
	// Exact is counted: the files of the build context, a local image's
	// size.
	Exact Confidence = "exact"
	// Declared comes from what an index or registry declares: a Debian
	// package's Installed-Size, an APKINDEX's installed size, npm's
	// unpacked size, a wheel's size.
	Declared Confidence = "declared"
	// Modelled is worked out from a model of what a tool leaves behind
	// (apt's binary caches, byte-compiled Python files, files copied up
	// by a later layer), calibrated on real builds.
	Modelled Confidence = "modelled"
	// Guessed is a rule of thumb for what cannot be known from outside
	// (what a compiler or a build script writes): a range.
	Guessed Confidence = "guessed"
	// Unknown had no source at all (offline, an index that could not be
	// had, a download): a wide range.
	Unknown Confidence = "unknown"
)

var rank = map[Confidence]int{Exact: 0, Declared: 1, Modelled: 2, Guessed: 3, Unknown: 4}

// Weaker returns the less sure of a and b.
func Weaker(a, b Confidence) Confidence {
	if a == "" {
		return b
	}
	if b == "" || rank[a] >= rank[b] {
		return a
	}
	return b
}

// Sure reports whether c is a figure from a source (exact or declared),
// not a model or a guess.
func (c Confidence) Sure() bool { return c == Exact || c == Declared }

// Range is a size in bytes: the expected figure and the bounds it is
// expected to fall within.
type Range struct {
	Low      int64 `json:"low"`
	Expected int64 `json:"expected"`
	High     int64 `json:"high"`
}

// Point is a range of one figure.
func Point(n int64) Range { return Range{n, n, n} }

// Around is n with bounds at n×(1−down) and n×(1+up).
func Around(n int64, down, up float64) Range {
	return Range{Low: int64(float64(n) * (1 - down)), Expected: n, High: int64(float64(n) * (1 + up))}
}

// Between is a range from lo to hi expecting exp.
func Between(lo, exp, hi int64) Range {
	return Range{Low: min(lo, exp), Expected: exp, High: max(hi, exp)}
}

// Add returns r+o.
func (r Range) Add(o Range) Range {
	return Range{r.Low + o.Low, r.Expected + o.Expected, r.High + o.High}
}

// Scale multiplies the range by f.
func (r Range) Scale(f float64) Range {
	return Range{int64(float64(r.Low) * f), int64(float64(r.Expected) * f), int64(float64(r.High) * f)}
}

// IsPoint reports whether the bounds are the expected figure.
func (r Range) IsPoint() bool { return r.Low == r.Expected && r.High == r.Expected }

// Part is one contribution to a step's size.
type Part struct {
	// What names it: "python3 and 25 dependencies", "apt lists".
	What string `json:"what"`
	Size Range  `json:"size"`
	// Confidence says how sure the figure is; Source where it came from.
	Confidence Confidence `json:"confidence"`
	Source     string     `json:"source"`
	// Note adds what the reader should know (why it is a range).
	Note string `json:"note,omitempty"`
}

// Step is one instruction's contribution: a layer (RUN, COPY, ADD) or the
// base (FROM).
type Step struct {
	Stage       string `json:"stage"`
	Line        int    `json:"line"`
	Instruction string `json:"instruction"`
	// Parts are the step's contributions; Size sums them and
	// Confidence is the least sure one's (among parts of any weight).
	Parts      []Part     `json:"parts"`
	Size       Range      `json:"size"`
	Confidence Confidence `json:"confidence"`
}

func (s *Step) add(p Part) {
	s.Parts = append(s.Parts, p)
	s.Size = s.Size.Add(p.Size)
	s.Confidence = Weaker(s.Confidence, p.Confidence)
}

// Stage is one build stage's estimate.
type Stage struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
	// Base is the FROM: an image (its size) or the stage it builds on.
	Base  string `json:"base"`
	Steps []Step `json:"steps"`
	// Size is the stage's image: its base and every layer.
	Size Range `json:"size"`
	// Ships is true for the stages the target image is made of (the
	// target and the stages it is built FROM).
	Ships bool `json:"ships"`
}

// Estimate is the expected size of the image a Dockerfile builds.
type Estimate struct {
	Dockerfile string `json:"dockerfile"`
	Context    string `json:"context"`
	Target     string `json:"target"`
	Platform   string `json:"platform"`
	// Image is the expected size of the built image, as the Docker
	// Engine reports it (uncompressed).
	Image Range `json:"image"`
	// Confidence is the least sure part's of any weight; ByConfidence
	// splits Image.Expected by confidence.
	Confidence   Confidence           `json:"confidence"`
	ByConfidence map[Confidence]int64 `json:"by_confidence"`
	// Stages are every stage the target needs, in Dockerfile order.
	Stages []Stage `json:"stages"`
	// LeftBehind is what the build stages that do not ship weigh (their
	// own layers, beyond what they share with the image).
	LeftBehind Range `json:"left_behind"`
	// Unknown lists what could not be known, and why; Notes the rest.
	Unknown []string `json:"unknown"`
	Notes   []string `json:"notes"`
}

// Shipped returns the steps of the stages the image is made of, base
// first.
func (e *Estimate) Shipped() []Step {
	var out []Step
	for _, st := range e.Stages {
		if st.Ships {
			out = append(out, st.Steps...)
		}
	}
	return out
}

// total sums the shipped steps into Image, Confidence and ByConfidence.
func (e *Estimate) total() {
	e.Image, e.Confidence = Range{}, ""
	e.ByConfidence = map[Confidence]int64{}
	var all int64
	for _, s := range e.Shipped() {
		for _, p := range s.Parts {
			all += p.Size.Expected
		}
	}
	for _, s := range e.Shipped() {
		e.Image = e.Image.Add(s.Size)
		for _, p := range s.Parts {
			e.ByConfidence[p.Confidence] += p.Size.Expected
			// A part of less than 0.5% of the image does not make the
			// whole unsure, unless it is unknown.
			if p.Confidence == Unknown || all == 0 || p.Size.High*200 >= all {
				e.Confidence = Weaker(e.Confidence, p.Confidence)
			}
		}
	}
	if e.Confidence == "" {
		e.Confidence = Exact
	}
}

func (e *Estimate) unknownf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !slices.Contains(e.Unknown, msg) {
		e.Unknown = append(e.Unknown, msg)
	}
}

func (e *Estimate) notef(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !slices.Contains(e.Notes, msg) {
		e.Notes = append(e.Notes, msg)
	}
}

// Change is the expected effect of a rewrite of the Dockerfile (strata
// fix): the image before and after.
type Change struct {
	Before *Estimate `json:"before"`
	After  *Estimate `json:"after"`
}

// Percent is the expected change in percent (negative: smaller).
func (c Change) Percent() float64 {
	if c.Before == nil || c.After == nil || c.Before.Image.Expected == 0 {
		return 0
	}
	return 100 * float64(c.After.Image.Expected-c.Before.Image.Expected) / float64(c.Before.Image.Expected)
}

// abbreviate shortens an instruction for display.
func abbreviate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
