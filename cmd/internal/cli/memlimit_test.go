package cli

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
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
	lb := Budget{Base: 20 << 20, Per: 1}
	if m := NewMemoryBudget(env("1GiB"), lb); m != nil {
		t.Fatal("a budget was set although GOMEMLIMIT is")
	}
	m := NewMemoryBudget(env(""), lb)
	if got := debug.SetMemoryLimit(-1); got != lb.Base {
		t.Fatalf("limit %d, want the base %d", got, lb.Base)
	}
	m.Add(400 << 10)
	m.Add(3 << 10)
	if got, want := debug.SetMemoryLimit(-1), lb.Base+403<<10*lb.Per; got != want {
		t.Fatalf("limit %d after 403 KiB, want %d", got, want)
	}
	m.Done()
	want := before
	if want <= 0 {
		want = math.MaxInt64
	}
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit %d after done, want %d as before", got, want)
	}
	var none *MemoryBudget
	none.Add(1) // a nil budget does nothing
	none.Done()
}

// TestMemoryBudgetGC checks a budget with GCPercent sets GOGC under its
// limit and restores it, and leaves a GOGC the user set alone.
func TestMemoryBudgetGC(t *testing.T) {
	beforeLimit := debug.SetMemoryLimit(-1)
	beforeGC := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetMemoryLimit(beforeLimit); debug.SetGCPercent(beforeGC) })
	env := func(gogc string) func(string) string {
		return func(k string) string {
			if k == "GOGC" {
				return gogc
			}
			return ""
		}
	}
	lb := lintBudget()
	m := NewMemoryBudget(env(""), lb)
	if got := debug.SetGCPercent(-1); got != int(lb.GCPercent) {
		t.Fatalf("GOGC %d under the lint budget, want %d", got, lb.GCPercent)
	}
	debug.SetGCPercent(int(lb.GCPercent))
	m.Done()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC %d after done, want 100 as before", got)
	}
	m = NewMemoryBudget(env("50"), lb)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC %d with GOGC set by the user, want it left at 100", got)
	}
	m.Done()
	m = NewMemoryBudget(env(""), Budget{Base: 32 << 20, Per: 144})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC %d under a budget without GCPercent, want it left at 100", got)
	}
	m.Done()
}

// TestLintMemory gives each file its share of the report, and the largest
// file room to be parsed on every thread: a huge Dockerfile, or standard
// input, lifts the limit out of the way instead of making the collector
// run without end.
func TestLintMemory(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(small, make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, make([]byte, 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	procs := runtime.GOMAXPROCS(0)
	if got, want := lintMemory([]string{small, small}), 2*16<<10+16*1000*procs; got != want {
		t.Errorf("two small files: %d, want %d", got, want)
	}
	if got, want := lintMemory([]string{small, big}), 2*16<<10+16*(4<<20)*procs; got != want {
		t.Errorf("a 4 MiB file: %d, want %d", got, want)
	}
	if got := lintMemory([]string{"-"}); got < 16*dockerfile.MaxSize {
		t.Errorf("standard input: %d, want room for the largest Dockerfile", got)
	}
}

// TestLintBase gives the lint's soft limit what lintRSS leaves beside the
// binary's resident pages, and at least 16 MiB.
func TestLintBase(t *testing.T) {
	if got, want := lintBase(25<<20), int64(lintRSS-25<<20); got != want {
		t.Errorf("lintBase(25 MiB) = %d, want %d", got, want)
	}
	if got := lintBase(lintRSS); got != 16<<20 {
		t.Errorf("lintBase(lintRSS) = %d, want the 16 MiB floor", got)
	}
	r := resident()
	if r < 1<<20 || r > 1<<30 {
		t.Errorf("resident() = %d bytes, want this test's RSS (statm)", r)
	}
	if b := lintBudget().Base; b < 16<<20 || b > lintRSS {
		t.Errorf("lintBudget().Base = %d, want between 16 MiB and lintRSS", b)
	}
}
