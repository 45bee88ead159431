package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestMemoryBudget(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GOMEMLIMIT" {
				return v
			}
			return ""
		}
	}
	if m := newMemoryBudget(env("1GiB"), lintBudget); m != nil {
		t.Fatal("a budget was set although GOMEMLIMIT is")
	}
	m := newMemoryBudget(env(""), lintBudget)
	if got := debug.SetMemoryLimit(-1); got != lintBudget.base {
		t.Fatalf("limit %d, want the base %d", got, lintBudget.base)
	}
	m.add(400)
	m.add(3)
	if got, want := debug.SetMemoryLimit(-1), lintBudget.base+403*lintBudget.per; got != want {
		t.Fatalf("limit %d after 403 files, want %d", got, want)
	}
	m.done()
	want := before
	if want <= 0 {
		want = math.MaxInt64
	}
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit %d after done, want %d as before", got, want)
	}
	var none *memoryBudget
	none.add(1) // a nil budget does nothing
	none.done()
}
