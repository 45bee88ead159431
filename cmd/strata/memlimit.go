package main

import (
	"math"
	"runtime/debug"
	"sync/atomic"
)

// Soft memory limits. The Go runtime lets the heap grow to twice what is
// live before it collects: for an image of a million entries (about 150
// MiB live at the peak: the merged tree and the file list) that means 300
// MiB, and for a lint of many files (a few MiB of report, and the files
// in flight) twice what the run needs. A soft limit in proportion to the
// work keeps the heap near what is live instead, at the cost of more
// frequent collections near the peak. GOMEMLIMIT, when set, is left to
// the runtime.
var (
	imageBudget = budget{base: 32 << 20, per: 144}      // per layer entry read
	lintBudget  = budget{base: 16 << 20, per: 16 << 10} // per Dockerfile
)

// budget is a soft memory limit: base, and per for each unit of work.
type budget struct{ base, per int64 }

// memoryBudget raises the soft memory limit as work comes in.
type memoryBudget struct {
	budget
	units atomic.Int64
	// before is the limit to restore when done.
	before int64
}

// newMemoryBudget starts a budget, or returns nil when GOMEMLIMIT is set.
func newMemoryBudget(getenv func(string) string, b budget) *memoryBudget {
	if getenv("GOMEMLIMIT") != "" {
		return nil
	}
	m := &memoryBudget{budget: b, before: debug.SetMemoryLimit(-1)}
	debug.SetMemoryLimit(b.base)
	return m
}

// add counts n more units of work; it may be called from several
// goroutines.
func (m *memoryBudget) add(n int) {
	if m == nil {
		return
	}
	t := m.units.Add(int64(n))
	debug.SetMemoryLimit(m.base + m.per*t)
}

// done restores the limit in force before.
func (m *memoryBudget) done() {
	if m == nil {
		return
	}
	if m.before <= 0 {
		m.before = math.MaxInt64
	}
	debug.SetMemoryLimit(m.before)
}
