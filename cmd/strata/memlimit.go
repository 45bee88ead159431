package main

import (
	"math"
	"runtime/debug"
	"sync/atomic"
)

// Soft memory limit while images are read: the Go runtime lets the heap
// grow to twice what is live before it collects, which for an image of a
// million entries (about 150 MiB live at the peak: the merged tree and
// the file list) means 300 MiB. A soft limit in proportion to the entries
// read keeps the heap near what is live instead, at the cost of more
// frequent collections near the peak. GOMEMLIMIT, when set, is left to
// the runtime.
const (
	memLimitBase     = 32 << 20 // the process and small images
	memLimitPerEntry = 144      // bytes per layer entry read
)

// memoryBudget raises the soft memory limit as entries are read.
type memoryBudget struct {
	entries atomic.Int64
	// before is the limit to restore when done.
	before int64
}

// newMemoryBudget starts a budget, or returns nil when GOMEMLIMIT is set.
func newMemoryBudget(getenv func(string) string) *memoryBudget {
	if getenv("GOMEMLIMIT") != "" {
		return nil
	}
	m := &memoryBudget{before: debug.SetMemoryLimit(-1)}
	debug.SetMemoryLimit(memLimitBase)
	return m
}

// add counts n more entries; it may be called from several goroutines.
func (m *memoryBudget) add(n int) {
	if m == nil {
		return
	}
	t := m.entries.Add(int64(n))
	debug.SetMemoryLimit(memLimitBase + memLimitPerEntry*t)
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
