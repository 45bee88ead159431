package report

import (
	"fmt"
	"math"

	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

// formatValue renders a figure in its unit.
func formatValue(v float64, unit string) string {
	switch unit {
	case measure.UnitSeconds:
		return fmt.Sprintf("%.3f s", v)
	case measure.UnitBytes:
		return FormatSize(int64(math.Round(v)))
	case measure.UnitPercent:
		return fmt.Sprintf("%.1f %%", v)
	case measure.UnitBool:
		if v != 0 {
			return "yes"
		}
		return "no"
	}
	return formatNumber(v)
}

// formatNumber shows integers without decimals, others with one.
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// FormatSize renders bytes with a decimal unit and three significant
// digits, as strata image and measure print them (see vocab.FormatSize).
func FormatSize(n int64) string { return vocab.FormatSize(n) }
