package measure

import (
	"reflect"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		name             string
		in               []float64
		median, min, max float64
	}{
		{"one sample", []float64{2.5}, 2.5, 2.5, 2.5},
		{"odd count", []float64{3, 1, 2}, 2, 1, 3},
		{"even count takes the mean of the middle two", []float64{4, 1, 3, 2}, 2.5, 1, 4},
		{"outlier does not move the median", []float64{1.0, 1.1, 30, 0.9, 1.2}, 1.1, 0.9, 30},
		{"equal samples", []float64{7, 7}, 7, 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]float64(nil), tt.in...)
			s := Summarize(in)
			if s.Median != tt.median || s.Min != tt.min || s.Max != tt.max {
				t.Errorf("Summarize(%v) = median %v min %v max %v; want %v %v %v", tt.in, s.Median, s.Min, s.Max, tt.median, tt.min, tt.max)
			}
			if !reflect.DeepEqual(s.Samples, tt.in) || !reflect.DeepEqual(in, tt.in) {
				t.Errorf("samples %v (input now %v); want them kept in order %v", s.Samples, in, tt.in)
			}
		})
	}
	if s := Summarize(nil); s != nil {
		t.Errorf("Summarize(nil) = %+v, want nil", s)
	}
}

func TestSeconds(t *testing.T) {
	got := Seconds([]time.Duration{1500 * time.Millisecond, 1234567 * time.Microsecond, 0})
	want := []float64{1.5, 1.235, 0}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Seconds = %v, want %v", got, want)
	}
}
