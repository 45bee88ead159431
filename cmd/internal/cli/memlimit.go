package cli

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Soft memory limits. The Go runtime lets the heap grow to twice what is
// live before it collects: for an image of a million entries (about 150
// MiB live at the peak: the merged tree and the file list) that means 300
// MiB, and for a lint of many files (a few MiB of report, and the files
// in flight) twice what the run needs. A soft limit in proportion to the
// work keeps the heap near what is live instead, at the cost of more
// frequent collections near the peak. GOMEMLIMIT, when set, is left to
// the runtime.
//
// Under a limit the heap's growth can also be let go further than GOGC's
// default: a lint keeps little alive (the report), so with GOGC at 100
// it collects every few MiB allocated, 34 times on the 403 corpus files
// and about 15% of its processor time; at 400 it collects 18 times, the
// limit still bounding the peak. GOGC, when set, is left to the runtime
// too.
//
// The limit counts the runtime's memory, not the binary's pages, which
// take about 25 MiB of RSS in strata and 10 MiB in strata-lint. So the
// lint's base is what lintRSS leaves once the pages already resident are
// counted (lintBase): on the corpus, strata peaks at 48 MiB of RSS and
// strata-lint, with 15 MiB more for its heap, at 44 MiB (the target is
// 50); each collects less often the more room it has.
const lintRSS = 44 << 20

// lintBudget is the lint's budget: its base (see lintBase), and Per for
// each byte of lintMemory.
func lintBudget() Budget { return Budget{Base: lintBase(resident()), Per: 1, GCPercent: 400} }

// lintBase is the soft limit's base when resident bytes of the process
// are in memory: what is left of lintRSS, and at least 16 MiB.
func lintBase(resident int64) int64 { return max(16<<20, lintRSS-resident) }

// resident returns the process's resident bytes (Linux's
// /proc/self/statm), or 25 MiB where it cannot be read.
func resident() int64 {
	const unknown = 25 << 20
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return unknown
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return unknown
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || pages <= 0 {
		return unknown
	}
	return pages * int64(os.Getpagesize())
}

// Budget is a soft memory limit: Base, and Per for each unit of work;
// GCPercent, when not 0, is the GOGC in force under it.
type Budget struct{ Base, Per, GCPercent int64 }

// MemoryBudget raises the soft memory limit as work comes in.
type MemoryBudget struct {
	Budget
	units atomic.Int64
	// before is the limit to restore when done, and beforeGC the GOGC
	// when gcSet.
	before   int64
	beforeGC int
	gcSet    bool
}

// NewMemoryBudget starts a budget, or returns nil when GOMEMLIMIT is set.
func NewMemoryBudget(getenv func(string) string, b Budget) *MemoryBudget {
	if getenv("GOMEMLIMIT") != "" {
		return nil
	}
	m := &MemoryBudget{Budget: b, before: debug.SetMemoryLimit(-1)}
	debug.SetMemoryLimit(b.Base)
	if b.GCPercent != 0 && getenv("GOGC") == "" {
		m.beforeGC, m.gcSet = debug.SetGCPercent(int(b.GCPercent)), true
	}
	return m
}

// Add counts n more units of work; it may be called from several
// goroutines.
func (m *MemoryBudget) Add(n int) {
	if m == nil {
		return
	}
	t := m.units.Add(int64(n))
	debug.SetMemoryLimit(m.Base + m.Per*t)
}

// Done restores the limit in force before.
func (m *MemoryBudget) Done() {
	if m == nil {
		return
	}
	if m.before <= 0 {
		m.before = math.MaxInt64
	}
	debug.SetMemoryLimit(m.before)
	if m.gcSet {
		debug.SetGCPercent(m.beforeGC)
	}
}

// lintMemory is what a lint of the files holds beyond the process: the
// report's share of each file (16 KiB), and the parsed forms of the
// files in flight, about 16 times their size (the largest, once per
// thread). A file that cannot be stat-ed (standard input) counts as the
// largest a Dockerfile may be.
func lintMemory(paths []string) int {
	largest := int64(0)
	for _, p := range paths {
		size := int64(dockerfile.MaxSize)
		if fi, err := os.Stat(p); p != "-" && err == nil {
			size = fi.Size()
		}
		largest = max(largest, size)
	}
	return len(paths)*16<<10 + int(16*largest)*runtime.GOMAXPROCS(0)
}
