package buildreport

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/stratatools/strata/internal/estimate"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// EstimateText writes strata estimate's report: the expected image size
// and its range, then each stage's steps with their parts, each saying
// where its figure came from and how sure it is, what the build stages
// leave behind, and what could not be known.
func EstimateText(w io.Writer, e *estimate.Estimate, opts report.Options) error {
	p := report.Palette{On: opts.Color}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s (context %s)\n\n", p.Bold("strata estimate:"), e.Dockerfile, e.Context)
	fmt.Fprintf(&b, "  expected image size  %s  %s\n", p.Bold(vocab.FormatSize(e.Image.Expected)), rangeText(e.Image))
	fmt.Fprintf(&b, "  %s\n", confidenceSummary(e))
	if e.LeftBehind.Expected > 0 {
		fmt.Fprintf(&b, "  left in build stages %s (not shipped)\n", vocab.FormatSize(e.LeftBehind.Expected))
	}
	for _, st := range e.Stages {
		head := "stage " + st.Name
		if st.Ships {
			head += ": in the image"
		} else {
			head += ": a build stage, left behind"
		}
		fmt.Fprintf(&b, "\n%s  %s %s\n", p.Bold(head), vocab.FormatSize(st.Size.Expected), rangeText(st.Size))
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  line\tstep\t%10s\thow sure\trange\n", "size")
		for _, s := range st.Steps {
			fmt.Fprintf(tw, "  %4d\t%s\t%10s\t%s\t\n", s.Line, s.Instruction, vocab.FormatSize(s.Size.Expected), sureText(p, s.Confidence))
			for _, part := range s.Parts {
				fmt.Fprintf(tw, "  \t  %s\t%10s\t%s\t%s\n", part.What, vocab.FormatSize(part.Size.Expected), sureText(p, part.Confidence), partRange(part))
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(&b, "\n%s\n", p.Bold("Where the figures come from"))
	seen := map[string]bool{}
	for _, st := range e.Stages {
		for _, s := range st.Steps {
			for _, part := range s.Parts {
				line := fmt.Sprintf("  %s: %s", part.What, part.Source)
				if part.Note != "" {
					line += " (" + part.Note + ")"
				}
				if !seen[line] {
					seen[line] = true
					fmt.Fprintf(&b, "%s\n", line)
				}
			}
		}
	}
	if len(e.Unknown) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Not known (ranges given)"))
		for _, u := range e.Unknown {
			fmt.Fprintf(&b, "  - %s\n", u)
		}
	}
	if len(e.Notes) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Notes"))
		for _, n := range e.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// rangeText is "(range 700 MB–850 MB)", or "(exact)" for a point.
func rangeText(r estimate.Range) string {
	if r.IsPoint() {
		return "(exact)"
	}
	return fmt.Sprintf("(range %s–%s)", vocab.FormatSize(r.Low), vocab.FormatSize(r.High))
}

// partRange is a part's range, when it is not a figure from a source.
func partRange(part estimate.Part) string {
	r := part.Size
	if r.IsPoint() || part.Confidence.Sure() {
		return ""
	}
	return fmt.Sprintf("%s–%s", vocab.FormatSize(r.Low), vocab.FormatSize(r.High))
}

func sureText(p report.Palette, c estimate.Confidence) string {
	switch c {
	case estimate.Guessed:
		return p.Yellow(string(c))
	case estimate.Unknown:
		return p.Red(string(c))
	}
	return string(c)
}

// confidenceSummary splits the expected size by confidence: "92% exact
// or declared, 8% modelled".
func confidenceSummary(e *estimate.Estimate) string {
	var total int64
	for _, n := range e.ByConfidence {
		total += n
	}
	if total == 0 {
		return "nothing to add up"
	}
	var parts []string
	sure := e.ByConfidence[estimate.Exact] + e.ByConfidence[estimate.Declared]
	if sure > 0 {
		parts = append(parts, fmt.Sprintf("%s exact or declared by an index", percentText(sure, total)))
	}
	for _, c := range []estimate.Confidence{estimate.Modelled, estimate.Guessed, estimate.Unknown} {
		if n := e.ByConfidence[c]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", percentText(n, total), c))
		}
	}
	return strings.Join(parts, ", ")
}

func percentText(n, total int64) string {
	f := 100 * float64(n) / float64(total)
	if f > 0 && f < 1 {
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", math.Round(f))
}

// EstimateChangeLine is the one-line summary of a fix's expected effect:
// "expected 775 MB → 235 MB (−70%)".
func EstimateChangeLine(c estimate.Change) string {
	pct := c.Percent()
	sign := "−"
	switch {
	case math.Round(pct) == 0:
		sign = "±"
	case pct > 0:
		sign = "+"
	}
	line := fmt.Sprintf("expected %s → %s (%s%.0f%%)", vocab.FormatSize(c.Before.Image.Expected), vocab.FormatSize(c.After.Image.Expected), sign, math.Abs(pct))
	if !c.Before.Confidence.Sure() || !c.After.Confidence.Sure() {
		line += fmt.Sprintf("; ranges %s–%s → %s–%s", vocab.FormatSize(c.Before.Image.Low), vocab.FormatSize(c.Before.Image.High), vocab.FormatSize(c.After.Image.Low), vocab.FormatSize(c.After.Image.High))
	}
	return line
}

// EstimateChangeText writes a fix's expected effect: the summary line,
// then the stages' sizes before and after, and what is not known.
func EstimateChangeText(w io.Writer, c estimate.Change, opts report.Options) error {
	p := report.Palette{On: opts.Color}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\n", p.Bold("image size:"), EstimateChangeLine(c))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, side := range []struct {
		name string
		e    *estimate.Estimate
	}{{"before", c.Before}, {"after", c.After}} {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", side.name, vocab.FormatSize(side.e.Image.Expected), rangeText(side.e.Image), confidenceSummary(side.e))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, side := range []struct {
		name string
		e    *estimate.Estimate
	}{{"before", c.Before}, {"after", c.After}} {
		for _, u := range side.e.Unknown {
			fmt.Fprintf(&b, "  not known (%s): %s\n", side.name, u)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}
