package image

import (
	"fmt"
	"testing"
	"unsafe"
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

// TestCompactTree checks the sizes a tree of a million entries relies on
// (scripts/bench-image.sh reads one): a node fits the allocator's 48-byte size
// class and a File packs into 80 bytes.
func TestCompactTree(t *testing.T) {
	if s := unsafe.Sizeof(node{}); s > 48 {
		t.Errorf("a node takes %d bytes, want at most 48", s)
	}
	if s := unsafe.Sizeof(File{}); s > 80 {
		t.Errorf("a File takes %d bytes, want at most 80", s)
	}
}
