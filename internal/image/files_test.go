package image

import (
	"fmt"
	"testing"
)

func TestTopN(t *testing.T) {
	var ps []PathSize
	for i := 0; i < 1000; i++ {
		ps = append(ps, PathSize{Path: fmt.Sprintf("p%04d", (i*7919)%1000), Bytes: int64((i * 7919) % 1000 / 3)})
	}
	got := topN(ps, 5)
	// Sizes are v/3 for v = 0..999: 333 once, then 332 three times
	// (ordered by path), then 331.
	want := []string{"p0999", "p0996", "p0997", "p0998", "p0993"}
	if len(got) != len(want) {
		t.Fatalf("got %d", len(got))
	}
	for i, w := range want {
		if got[i].Path != w {
			t.Fatalf("top = %+v, want %v", got, want)
		}
	}
	if len(topN(ps[:3], 10)) != 3 || len(topN(nil, 3)) != 0 {
		t.Fatal("short inputs")
	}
}
