package buildreport

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/estimate"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/reporttest"
)

// estimateFixture is a two-stage estimate with parts of every
// confidence.
func estimateFixture(image int64) *estimate.Estimate {
	build := estimate.Stage{Name: "build", Base: "debian:bookworm-slim", Size: estimate.Range{Low: 300e6, Expected: 320e6, High: 340e6}, Steps: []estimate.Step{
		{Stage: "build", Line: 1, Instruction: "FROM debian:bookworm-slim AS build", Size: estimate.Point(74_200_000), Confidence: estimate.Exact,
			Parts: []estimate.Part{{What: "base image debian:bookworm-slim", Size: estimate.Point(74_200_000), Confidence: estimate.Exact, Source: "the local Docker Engine's image 5f091a67a553"}}},
		{Stage: "build", Line: 3, Instruction: "RUN apt-get update && apt-get install -y --no-install-recommends gcc make", Size: estimate.Range{Low: 225e6, Expected: 245.8e6, High: 265e6}, Confidence: estimate.Modelled,
			Parts: []estimate.Part{
				{What: "apt's package lists (/var/lib/apt/lists)", Size: estimate.Point(82_910_775), Confidence: estimate.Declared, Source: "the index files' sizes in the Release files of deb.debian.org/debian bookworm of 2026-07-11"},
				{What: "gcc, make and 30 dependencies", Size: estimate.Range{Low: 150e6, Expected: 162.9e6, High: 170e6}, Confidence: estimate.Declared, Source: "Installed-Size in deb.debian.org/debian bookworm of 2026-07-11", Note: "Installed-Size rounds each file up to a KiB"},
			}},
		{Stage: "build", Line: 6, Instruction: "RUN make LDFLAGS=-static", Size: estimate.Range{Low: 600e3, Expected: 781e3, High: 3e6}, Confidence: estimate.Guessed,
			Parts: []estimate.Part{{What: "what make builds (the program and its objects)", Size: estimate.Range{Low: 600e3, Expected: 781e3, High: 3e6}, Confidence: estimate.Guessed, Source: "a program linked statically with glibc is about 0.8 MB before its own code"}}},
	}}
	final := estimate.Stage{Name: "stage-1", Index: 1, Base: "scratch", Ships: true, Size: estimate.Range{Low: 600e3, Expected: image, High: 3e6}, Steps: []estimate.Step{
		{Stage: "stage-1", Line: 8, Instruction: "FROM scratch", Confidence: estimate.Exact},
		{Stage: "stage-1", Line: 9, Instruction: "COPY --from=build /src/hello /hello", Size: estimate.Range{Low: 600e3, Expected: image, High: 3e6}, Confidence: estimate.Guessed,
			Parts: []estimate.Part{{What: "/src/hello from stage build", Size: estimate.Range{Low: 600e3, Expected: image, High: 3e6}, Confidence: estimate.Guessed, Source: "a program linked statically with glibc is about 0.8 MB before its own code"}}},
	}}
	return &estimate.Estimate{
		Dockerfile: "app/Dockerfile", Context: "app", Platform: "linux/amd64",
		Image: final.Size, Confidence: estimate.Guessed, ByConfidence: map[estimate.Confidence]int64{estimate.Guessed: image},
		Stages: []estimate.Stage{build, final}, LeftBehind: build.Size,
		Unknown: []string{"line 6: the size of what make builds is guessed from its sources (a range is given)"},
		Notes:   []string{"the index of http://deb.debian.org/debian bookworm is the cached one of 2026-07-11: the mirror did not answer"},
	}
}

func TestEstimateGolden(t *testing.T) {
	before := estimateFixture(781e3)
	before.Image = estimate.Range{Low: 700e6, Expected: 775e6, High: 800e6}
	before.Confidence = estimate.Declared
	change := estimate.Change{Before: before, After: estimateFixture(232.5e6)}
	reporttest.Goldens(t, []reporttest.Output{
		{Name: "estimate-text", Write: func(b *bytes.Buffer) error { return EstimateText(b, estimateFixture(781e3), report.Options{}) }},
		{Name: "estimate-text-color", Write: func(b *bytes.Buffer) error {
			return EstimateText(b, estimateFixture(781e3), report.Options{Color: true})
		}},
		{Name: "estimate-json", Write: func(b *bytes.Buffer) error { return EstimateJSON(b, estimateFixture(781e3)) }},
		{Name: "estimate-change-text", Write: func(b *bytes.Buffer) error { return EstimateChangeText(b, change, report.Options{}) }},
		{Name: "estimate-change-json", Write: func(b *bytes.Buffer) error { return EstimateChangeJSON(b, change) }},
	})
}

func TestEstimateChangeLine(t *testing.T) {
	before, after := estimateFixture(775e6), estimateFixture(235e6)
	before.Image, after.Image = estimate.Point(775e6), estimate.Point(235e6)
	before.Confidence, after.Confidence = estimate.Declared, estimate.Exact
	if got := EstimateChangeLine(estimate.Change{Before: before, After: after}); got != "expected 775 MB → 235 MB (−70%)" {
		t.Errorf("line = %q", got)
	}
	after.Confidence = estimate.Guessed
	after.Image = estimate.Range{Low: 200e6, Expected: 235e6, High: 300e6}
	if got := EstimateChangeLine(estimate.Change{Before: before, After: after}); !strings.Contains(got, "ranges 775 MB–775 MB → 200 MB–300 MB") {
		t.Errorf("a guessed side gives no ranges: %q", got)
	}
	var b bytes.Buffer
	if err := EstimateJSON(&b, &estimate.Estimate{}); err != nil || strings.Contains(b.String(), "null") {
		t.Errorf("an empty estimate's JSON has nulls: %s", b.String())
	}
}
