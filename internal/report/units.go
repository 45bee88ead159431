package report

import (
	"fmt"
	"math"

	"github.com/stratatools/strata/internal/measure"
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
// digits, as strata image and measure print them: "512 B", "14.1 MB",
// "1.41 GB".
func FormatSize(n int64) string {
	if n < 0 {
		return "-" + FormatSize(-n)
	}
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	u := -1
	for v >= 999.5 && u < len(units)-1 {
		v /= 1000
		u++
	}
	switch {
	case v >= 99.95:
		return fmt.Sprintf("%.0f %s", v, units[u])
	case v >= 9.995:
		return fmt.Sprintf("%.1f %s", v, units[u])
	}
	return fmt.Sprintf("%.2f %s", v, units[u])
}
