package measure

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// The score's weights and points. They are part of the printed formula;
// change them together with ScoreFormula.
const (
	WeightSize     = 1.0
	WeightSecurity = 1.0
	WeightBuild    = 1.0
	// PointsPerSecurityFinding is what each security finding fewer in B
	// is worth (and each more costs).
	PointsPerSecurityFinding = 5.0
	// PointsNonRoot is what B running as non-root where A runs as root is
	// worth (and the reverse costs).
	PointsNonRoot = 20.0
)

// ScoreFormula explains the score in words.
const ScoreFormula = "score = 1 × size reduction % + 1 × security points + 1 × build-time reduction %; " +
	"size reduction % = (A size − B size) / A size × 100 (uncompressed); " +
	"security points = 5 × (A security findings − B security findings) + 20 × (1 if A runs as root and B does not, −1 for the reverse, else 0), " +
	"counting strata lint and strata image findings of category security; " +
	"build-time reduction % = mean of the cold-build and warm-rebuild reductions (A − B) / A × 100 over median times, the measured ones only; " +
	"a positive score favours B, a negative one A"

// Compare puts two measurements side by side and scores B against A.
func Compare(a, b *Measurement) *Comparison {
	c := &Comparison{A: a, B: b}
	c.Figures = figures(a, b)
	c.Findings = categoryChanges(a, b)
	c.Score = score(a, b)
	return c
}

func median(s *Stats) *float64 {
	if s == nil {
		return nil
	}
	return ptr(s.Median)
}

func ptr(v float64) *float64 { return &v }

func boolNum(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// SecurityFindings counts the findings of category security, lint and
// image together.
func SecurityFindings(m *Measurement) int {
	n := 0
	for _, f := range allFindings(m) {
		if f.Category == vocab.Security {
			n++
		}
	}
	return n
}

func allFindings(m *Measurement) []vocab.Finding {
	return append(append([]vocab.Finding(nil), m.LintFindings...), m.ImageFindings...)
}

func figures(a, b *Measurement) []FigureDiff {
	type fig struct {
		name, label, unit string
		lowerBetter       bool
		get               func(m *Measurement) *float64
	}
	cached := func(m *Measurement) *float64 {
		if m.Warm == nil {
			return nil
		}
		return ptr(float64(m.Warm.CachedSteps))
	}
	figs := []fig{
		{"cold_build", "cold build (median)", UnitSeconds, true, func(m *Measurement) *float64 { return median(m.ColdBuild) }},
		{"warm_build", "warm rebuild (median)", UnitSeconds, true, func(m *Measurement) *float64 { return median(m.WarmBuild) }},
		{"warm_cached_steps", "warm rebuild: steps from cache", UnitCount, false, cached},
		{"size", "image size", UnitBytes, true, func(m *Measurement) *float64 { return ptr(float64(m.Size)) }},
		{"compressed_size", "compressed size", UnitBytes, true, func(m *Measurement) *float64 { return ptr(float64(m.CompressedSize)) }},
		{"layers", "layers", UnitCount, true, func(m *Measurement) *float64 { return ptr(float64(m.LayerCount)) }},
		{"startup", "start-up (median)", UnitSeconds, true, func(m *Measurement) *float64 { return median(m.Startup) }},
		{"wasted_bytes", "wasted bytes", UnitBytes, true, func(m *Measurement) *float64 { return ptr(float64(m.Waste.Bytes)) }},
		{"efficiency", "efficiency", UnitPercent, false, func(m *Measurement) *float64 { return ptr(m.Waste.Efficiency * 100) }},
		{"security_findings", "security findings", UnitCount, true, func(m *Measurement) *float64 { return ptr(float64(SecurityFindings(m))) }},
		{"findings", "findings (lint + image)", UnitCount, true, func(m *Measurement) *float64 { return ptr(float64(len(allFindings(m)))) }},
		{"root", "runs as root", UnitBool, true, func(m *Measurement) *float64 { return ptr(boolNum(m.Root)) }},
	}
	out := make([]FigureDiff, 0, len(figs))
	for _, f := range figs {
		d := FigureDiff{Name: f.name, Label: f.label, Unit: f.unit, LowerIsBetter: f.lowerBetter, A: f.get(a), B: f.get(b)}
		if d.A != nil && d.B != nil {
			d.Diff = ptr(*d.B - *d.A)
			// A reduction is meaningful for what should shrink.
			if f.lowerBetter && f.unit != UnitBool {
				d.Reduction = reduction(*d.A, *d.B)
			}
		}
		out = append(out, d)
	}
	return out
}

// reduction is (a − b) / a × 100; nil when a is 0 and b is not.
func reduction(a, b float64) *float64 {
	switch {
	case a == 0 && b == 0:
		return ptr(0)
	case a == 0:
		return nil
	}
	return ptr((a - b) / a * 100)
}

// CategoryOrder lists the finding categories in the order they are shown;
// any other category comes after them.
func CategoryOrder() []vocab.Category {
	return []vocab.Category{vocab.Security, vocab.Size, vocab.Cache, vocab.Correctness, vocab.Performance, vocab.StyleCat}
}

func categoryChanges(a, b *Measurement) []CategoryChange {
	count := func(m *Measurement) map[string]map[string]int {
		out := map[string]map[string]int{}
		for _, f := range allFindings(m) {
			c := string(f.Category)
			if out[c] == nil {
				out[c] = map[string]int{}
			}
			out[c][f.Rule]++
		}
		return out
	}
	ca, cb := count(a), count(b)
	var cats []string
	for _, c := range CategoryOrder() {
		cats = append(cats, string(c))
	}
	var extra []string
	for _, m := range []map[string]map[string]int{ca, cb} {
		for c := range m {
			if !slices.Contains(cats, c) && !slices.Contains(extra, c) {
				extra = append(extra, c)
			}
		}
	}
	sort.Strings(extra)
	cats = append(cats, extra...)

	var out []CategoryChange
	for _, cat := range cats {
		ch := CategoryChange{Category: cat, Fixed: []string{}, New: []string{}}
		rules := map[string]bool{}
		for r, n := range ca[cat] {
			rules[r] = true
			ch.A += n
		}
		for r, n := range cb[cat] {
			rules[r] = true
			ch.B += n
		}
		if ch.A == 0 && ch.B == 0 {
			continue
		}
		names := make([]string, 0, len(rules))
		for r := range rules {
			names = append(names, r)
		}
		sort.Strings(names)
		for _, r := range names {
			switch d := ca[cat][r] - cb[cat][r]; {
			case d > 0:
				ch.Fixed = append(ch.Fixed, times(r, d))
			case d < 0:
				ch.New = append(ch.New, times(r, -d))
			}
		}
		out = append(out, ch)
	}
	return out
}

func times(rule string, n int) string {
	if n == 1 {
		return rule
	}
	return fmt.Sprintf("%s ×%d", rule, n)
}

// round1 rounds to one decimal.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

func score(a, b *Measurement) Score {
	s := Score{Formula: ScoreFormula}

	size := ScoreTerm{Name: "size reduction %", Weight: WeightSize}
	if a.Size > 0 {
		size.Measured = true
		size.Value = round1(float64(a.Size-b.Size) / float64(a.Size) * 100)
		size.Working = fmt.Sprintf("(%d − %d) / %d × 100 = %.1f", a.Size, b.Size, a.Size, size.Value)
	} else {
		size.Working = "A's size is unknown"
	}

	sec := ScoreTerm{Name: "security points", Weight: WeightSecurity, Measured: true}
	sa, sb := SecurityFindings(a), SecurityFindings(b)
	rootChange := 0
	switch {
	case a.Root && !b.Root:
		rootChange = 1
	case !a.Root && b.Root:
		rootChange = -1
	}
	sec.Value = PointsPerSecurityFinding*float64(sa-sb) + PointsNonRoot*float64(rootChange)
	sec.Working = fmt.Sprintf("%g × (%d − %d) + %g × %d (A %s, B %s) = %g",
		PointsPerSecurityFinding, sa, sb, PointsNonRoot, rootChange, rootWord(a.Root), rootWord(b.Root), sec.Value)

	bt := ScoreTerm{Name: "build-time reduction %", Weight: WeightBuild}
	var parts []string
	var sum float64
	n := 0
	for _, p := range []struct {
		name string
		a, b *Stats
	}{{"cold", a.ColdBuild, b.ColdBuild}, {"warm", a.WarmBuild, b.WarmBuild}} {
		if p.a == nil || p.b == nil || p.a.Median <= 0 {
			continue
		}
		r := round1((p.a.Median - p.b.Median) / p.a.Median * 100)
		parts = append(parts, fmt.Sprintf("%s (%.3f − %.3f) / %.3f × 100 = %.1f", p.name, p.a.Median, p.b.Median, p.a.Median, r))
		sum += r
		n++
	}
	if n > 0 {
		bt.Measured = true
		bt.Value = round1(sum / float64(n))
		if n == 1 {
			bt.Working = parts[0]
		} else {
			bt.Working = fmt.Sprintf("(%s; %s) → mean %.1f", parts[0], parts[1], bt.Value)
		}
	} else {
		bt.Working = "not measured: a side is an image, not a Dockerfile"
	}

	for _, t := range []*ScoreTerm{&size, &sec, &bt} {
		t.Points = round1(t.Weight * t.Value)
		s.Total += t.Points
		s.Terms = append(s.Terms, *t)
	}
	s.Total = round1(s.Total)
	switch {
	case s.Total > 0:
		s.Winner = "B"
	case s.Total < 0:
		s.Winner = "A"
	default:
		s.Winner = "tie"
	}
	return s
}

func rootWord(root bool) string {
	if root {
		return "root"
	}
	return "non-root"
}

// IsRoot reports whether an image's configured user means the container
// runs as root: no user, "root", or UID 0, with any group.
func IsRoot(user string) bool {
	u, _, _ := strings.Cut(user, ":")
	u = strings.TrimSpace(u)
	return u == "" || u == "root" || u == "0"
}
