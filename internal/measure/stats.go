package measure

import (
	"sort"
	"time"
)

// Summarize returns the median, minimum and maximum of samples, which it
// keeps in the order given. The median of an even number of samples is
// the mean of the middle two. It returns nil for no samples.
func Summarize(samples []float64) *Stats {
	if len(samples) == 0 {
		return nil
	}
	sorted := append([]float64(nil), samples...)
	sort.Float64s(sorted)
	n := len(sorted)
	median := sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return &Stats{
		Median:  median,
		Min:     sorted[0],
		Max:     sorted[n-1],
		Samples: append([]float64(nil), samples...),
	}
}

// Seconds converts durations to seconds, rounded to the millisecond, as
// Stats holds them.
func Seconds(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d.Round(time.Millisecond)) / float64(time.Second)
	}
	return out
}
