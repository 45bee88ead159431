package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

// MeasureText writes one measurement as a table of figures, the layers,
// the findings and the notes.
func MeasureText(w io.Writer, m *measure.Measurement, opts Options) error {
	p := Palette{On: opts.Color}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\n", p.Bold("strata measure:"), measureTitle(m))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	row := func(name, value, detail string) {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, value, detail)
	}
	if m.Kind == measure.SubjectDockerfile {
		row("cold build", statsValue(m.ColdBuild, measure.UnitSeconds), statsRange(m.ColdBuild, measure.UnitSeconds))
		detail := statsRange(m.WarmBuild, measure.UnitSeconds)
		if m.Warm != nil {
			what := "no file changed"
			if m.Warm.Touched != "" {
				what = m.Warm.Touched + " changed"
			}
			detail = joinDetail(detail, fmt.Sprintf("%s; %d of %d steps from cache", what, m.Warm.CachedSteps, m.Warm.Steps))
		}
		row("warm rebuild", statsValue(m.WarmBuild, measure.UnitSeconds), detail)
	}
	row("image size", formatValue(float64(m.Size), measure.UnitBytes), "compressed "+formatValue(float64(m.CompressedSize), measure.UnitBytes))
	row("layers", fmt.Sprint(m.LayerCount), "")
	switch {
	case m.StartupError != "":
		row("start-up", "failed", p.Red(m.StartupError))
	case m.Startup != nil:
		detail := "until " + startupUntil(m)
		row("start-up", statsValue(m.Startup, measure.UnitSeconds), joinDetail(statsRange(m.Startup, measure.UnitSeconds), detail))
	default:
		row("start-up", "–", "not measured")
	}
	user := m.User
	if user == "" {
		user = "(not set)"
	}
	rootNote := "non-root"
	if m.Root {
		rootNote = p.Yellow("runs as root")
	}
	row("user", user, rootNote)
	row("waste", formatValue(float64(m.Waste.Bytes), measure.UnitBytes), fmt.Sprintf("%.1f %% of stored bytes; efficiency %.1f %%", m.Waste.Percent, m.Waste.Efficiency*100))
	row("findings", fmt.Sprintf("%d lint, %d image", len(m.LintFindings), len(m.ImageFindings)), findingsByCategory(m))
	if err := tw.Flush(); err != nil {
		return err
	}

	if len(m.Layers) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Layers"))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  #\tsize\tcompressed\t\n")
		for _, l := range m.Layers {
			by := l.CreatedBy
			if l.Base {
				by = strings.TrimSpace("(base) " + by)
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t  %s\n", l.Index, formatValue(float64(l.Size), measure.UnitBytes), formatValue(float64(l.CompressedSize), measure.UnitBytes), by)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	writeMeasureFindings(&b, p, "Lint findings", m.LintFindings)
	writeMeasureFindings(&b, p, "Image findings", m.ImageFindings)
	if err := writeExplain(&b, p, m); err != nil {
		return err
	}
	if len(m.Notes) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("Notes"))
		for _, n := range m.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	_, err := w.Write(TrimLineEnds(b.Bytes()))
	return err
}

// TrimLineEnds removes the spaces tabwriter leaves at the end of lines.
func TrimLineEnds(text []byte) []byte {
	lines := bytes.Split(text, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}

func measureTitle(m *measure.Measurement) string {
	return fmt.Sprintf("%s (%s)", m.Subject, measureDetail(m))
}

// measureDetail describes how a subject was measured.
func measureDetail(m *measure.Measurement) string {
	var parts []string
	if m.Kind == measure.SubjectDockerfile {
		parts = append(parts, "context "+m.Context, "builder: "+m.Builder)
	} else {
		parts = append(parts, "image")
	}
	if m.Platform != "" {
		parts = append(parts, "platform "+m.Platform)
	}
	runs := "1 run"
	if m.Runs != 1 {
		runs = fmt.Sprintf("%d runs", m.Runs)
	}
	parts = append(parts, runs)
	return strings.Join(parts, ", ")
}

func startupUntil(m *measure.Measurement) string {
	switch m.StartupUntil {
	case "exit":
		if m.StartupExitCode != nil {
			return fmt.Sprintf("exit, status %d", *m.StartupExitCode)
		}
		return "exit"
	case "log":
		return "the ready log line"
	case "port":
		return "the port answered"
	}
	return m.StartupUntil
}

func joinDetail(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// statsValue shows the median (the only sample for one run).
func statsValue(s *measure.Stats, unit string) string {
	if s == nil {
		return "–"
	}
	return formatValue(s.Median, unit)
}

// statsRange shows min and max when there were several samples.
func statsRange(s *measure.Stats, unit string) string {
	if s == nil || len(s.Samples) < 2 {
		return ""
	}
	return fmt.Sprintf("median of %d, min %s, max %s", len(s.Samples), formatValue(s.Min, unit), formatValue(s.Max, unit))
}

// findingsByCategory counts a measurement's findings per category, in
// measure.CategoryOrder, then any other category.
func findingsByCategory(m *measure.Measurement) string {
	counts := map[vocab.Category]int{}
	order := measure.CategoryOrder()
	for _, fs := range [][]Finding{m.LintFindings, m.ImageFindings} {
		for _, f := range fs {
			if counts[f.Category] == 0 && !slices.Contains(order, f.Category) {
				order = append(order, f.Category)
			}
			counts[f.Category]++
		}
	}
	parts := make([]string, 0, len(order))
	for _, c := range order {
		if counts[c] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, counts[c]))
		}
	}
	return strings.Join(parts, ", ")
}

func writeMeasureFindings(b *bytes.Buffer, p Palette, title string, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", p.Bold(title))
	sorted := append([]Finding(nil), fs...)
	SortFindings(sorted)
	for _, f := range sorted {
		loc := ""
		if f.Line > 0 {
			loc = fmt.Sprintf(" line %d", f.Line)
		}
		fmt.Fprintf(b, "  %-7s %-11s %-8s%s %s\n", f.Rule, "["+f.Category+"]", f.Severity, loc, firstLine(f.Message))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// CompareText writes a comparison: A and B, the figures side by side with
// the difference and the reduction, the findings by category, and the
// score with its working.
func CompareText(w io.Writer, c *measure.Comparison, opts Options) error {
	p := Palette{On: opts.Color}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n", p.Bold("strata compare"))
	for _, side := range []struct {
		name string
		m    *measure.Measurement
	}{{"A", c.A}, {"B", c.B}} {
		fmt.Fprintf(&b, "  %s  %s\n", p.Bold(side.name), measureTitle(side.m))
	}

	b.WriteByte('\n')
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  figure\tA\tB\tB − A\treduction\n")
	for _, f := range c.Figures {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", f.Label, optValue(f.A, f.Unit), optValue(f.B, f.Unit), diffValue(f), p.reduction(f))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, side := range []struct {
		name string
		m    *measure.Measurement
	}{{"A", c.A}, {"B", c.B}} {
		if side.m.StartupError != "" {
			fmt.Fprintf(&b, "  %s start-up failed: %s\n", side.name, side.m.StartupError)
		}
		if side.m.Warm != nil {
			what := "no file changed"
			if side.m.Warm.Touched != "" {
				what = side.m.Warm.Touched + " changed"
			}
			fmt.Fprintf(&b, "  %s warm rebuild: %s; %d of %d steps from cache\n", side.name, what, side.m.Warm.CachedSteps, side.m.Warm.Steps)
		}
	}

	fmt.Fprintf(&b, "\n%s\n", p.Bold("Findings by category"))
	if len(c.Findings) == 0 {
		b.WriteString("  none on either side\n")
	} else {
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  category\tA\tB\tfixed in B\tnew in B\n")
		for _, ch := range c.Findings {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%s\n", ch.Category, ch.A, ch.B, listOrDash(ch.Fixed), listOrDash(ch.New))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	if c.Files != nil {
		fmt.Fprintf(&b, "\n%s\n  %s\n", p.Bold("Files (strata diff A B)"), c.Files.Summary)
	}
	writeScore(&b, p, c.Score)
	_, err := w.Write(TrimLineEnds(b.Bytes()))
	return err
}

func writeScore(b *bytes.Buffer, p Palette, s measure.Score) {
	fmt.Fprintf(b, "\n%s\n", p.Bold("Score"))
	for _, part := range strings.Split(s.Formula, "; ") {
		fmt.Fprintf(b, "  %s\n", part)
	}
	b.WriteByte('\n')
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, t := range s.Terms {
		fmt.Fprintf(tw, "  %s\t%g × %s\t= %s\t%s\n", t.Name, t.Weight, formatNumber(t.Value), formatNumber(t.Points), t.Working)
	}
	verdict := "tie"
	switch s.Winner {
	case "A":
		verdict = "A wins"
	case "B":
		verdict = "B wins"
	}
	fmt.Fprintf(tw, "  score\t\t= %s\t%s\n", formatNumber(s.Total), p.Bold(verdict))
	_ = tw.Flush()
}

func listOrDash(l []string) string {
	if len(l) == 0 {
		return "–"
	}
	return strings.Join(l, ", ")
}

func optValue(v *float64, unit string) string {
	if v == nil {
		return "–"
	}
	return formatValue(*v, unit)
}

func diffValue(f measure.FigureDiff) string {
	if f.Diff == nil {
		return "–"
	}
	d := *f.Diff
	if f.Unit == measure.UnitBool {
		if d == 0 {
			return "same"
		}
		return optValue(f.A, f.Unit) + " → " + optValue(f.B, f.Unit)
	}
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	if d == 0 {
		return "0"
	}
	return sign + formatValue(d, f.Unit)
}

// reduction shows a figure's reduction, green when B improves on A and
// red when it is worse.
func (p Palette) reduction(f measure.FigureDiff) string {
	if f.Reduction == nil {
		return "–"
	}
	r := *f.Reduction
	s := fmt.Sprintf("%.1f %%", r)
	if f.Unit == measure.UnitBool {
		return "–"
	}
	better := (r > 0) == f.LowerIsBetter
	switch {
	case r == 0:
		return s
	case better:
		return p.paint(sgrGreen, s)
	}
	return p.paint(sgrFailRed, s)
}
