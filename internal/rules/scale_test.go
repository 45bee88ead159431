package rules_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// Whole-file analyses must cost time linear in the file's size: a
// Dockerfile of n stages each built FROM the one before must not make
// every stage re-walk its whole base chain.

// chainedStages returns a Dockerfile of n stages, each FROM the previous
// one, with a few instructions each; every stage adds an ENV and an ARG
// of its own, so that the variables in force grow along the chain.
func chainedStages(n int) []byte {
	var b strings.Builder
	b.WriteString("FROM alpine:3.19 AS s0\nRUN apk add --no-cache curl\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "FROM s%d AS s%d\nWORKDIR /w%d\nENV V%d=%d STAGE=%d\nARG A%d=x\nCOPY f%d ./\nRUN echo $STAGE $V%d > f%d\n",
			i-1, i, i, i, i, i, i, i, i, i)
	}
	return []byte(b.String())
}

// TestStageChainLinear lints chains of 250 and 1,000 stages: the bytes
// allocated must grow about as the file does (4x), not as its square
// (16x), which they did when every stage copied or re-walked the
// variables and instructions of its whole chain.
func TestStageChainLinear(t *testing.T) {
	checkLinearAlloc(t, "chained stages", chainedStages)
}

// TestExpansionLinear lints one stage of 250 and 1,000 groups of lines
// that set and expand variables: the bytes allocated must grow as the
// file does, which they did not when the scope saved at every step
// folded every variable the stage had set.
func TestExpansionLinear(t *testing.T) {
	checkLinearAlloc(t, "groups of expanding lines", expandingFile)
}

// checkLinearAlloc lints gen(250) and gen(1000) and fails when the bytes
// allocated grow more than 6x (linear is 4x).
func checkLinearAlloc(t *testing.T, what string, gen func(int) []byte) {
	t.Helper()
	alloc := func(n int) uint64 {
		src := gen(n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		lintAll(t, src)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	alloc(50) // warm up what is made once per process
	small, large := alloc(250), alloc(1000)
	if ratio := float64(large) / float64(small); ratio > 6 {
		t.Errorf("linting 1,000 %s allocates %.1fx what 250 do (%d and %d bytes); linear is 4x", what, ratio, large, small)
	}
}

func lintAll(tb testing.TB, src []byte) {
	tb.Helper()
	file, err := dockerfile.Parse("Dockerfile", src)
	if err != nil {
		tb.Fatal(err)
	}
	var enable []string
	for _, r := range rules.All() {
		enable = append(enable, r.ID)
	}
	// SD002 runs the external ShellCheck program, whose time is not
	// strata's analysis; every other rule runs.
	opts := rules.Options{Enable: enable, Ignore: []string{"SD002"}}
	if _, err := rules.Run(context.Background(), file, &rules.BuildContext{}, opts); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkStageChain lints files of 1,000, 5,000 and 10,000 chained
// stages and reports the time per stage, wall clock and CPU (the CPU
// figure is steadier on a shared machine); the larger files must stay
// within 1.5x of the smallest per stage (the x-of-1k metrics).
func BenchmarkStageChain(b *testing.B) {
	scaleBench(b, "stage", []int{1000, 5000, 10000}, chainedStages)
}

// scaleBench lints gen(n) for each n and reports the cost per unit of n
// and its ratio to the smallest n's.
func scaleBench(b *testing.B, unit string, sizes []int, gen func(int) []byte) {
	type cost struct{ wall, cpu float64 }
	first := map[string]cost{}
	for _, n := range sizes {
		src := gen(n)
		b.Run(fmt.Sprintf("%ss=%d", unit, n), func(b *testing.B) {
			runtime.GC()
			cpu0 := cpuTime()
			for b.Loop() {
				lintAll(b, src)
			}
			per := float64(b.N) * float64(n)
			c := cost{wall: float64(b.Elapsed().Nanoseconds()) / per, cpu: float64((cpuTime() - cpu0).Nanoseconds()) / per}
			b.ReportMetric(c.wall, "ns/"+unit)
			b.ReportMetric(c.cpu, "cpu-ns/"+unit)
			if f, ok := first[unit]; ok {
				b.ReportMetric(c.wall/f.wall, "x-of-smallest")
				b.ReportMetric(c.cpu/f.cpu, "cpu-x-of-smallest")
			} else {
				first[unit] = c
			}
		})
	}
}

// cpuTime returns the CPU time the process has used, all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// expandingFile returns a one-stage Dockerfile of n groups of lines whose
// ARG, ENV and RUN each expand variables of about 100 bytes.
func expandingFile(n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "ARG BASE=%s\nFROM alpine:3.19 AS s0\nARG BASE\n", strings.Repeat("b", 100))
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "ARG B%d=$BASE$BASE\nENV E%d=${B%d}-$BASE\nRUN echo $E%d ${BASE:-none} > /f%d\n", i, i, i, i, i)
	}
	return []byte(b.String())
}

// BenchmarkExpansion lints files of 1,000, 5,000 and 10,000 groups of
// lines that expand variables (ARG, ENV, RUN); the cost per group must
// stay flat. The bomb cases are ARG chains of 10, 100 and 1,000 levels,
// each naming the one before ten times: Parse refuses them at the line
// where the value could pass the limit, in time that does not grow with
// the levels. peak-MiB is the most heap in use while linting the file
// closest to the limits (expansion adding almost ExpansionBudget).
func BenchmarkExpansion(b *testing.B) {
	scaleBench(b, "group", []int{1000, 5000, 10000}, expandingFile)
	for _, levels := range []int{10, 100, 1000} {
		var src strings.Builder
		src.WriteString("ARG A0=xxxxxxxxxx\n")
		for i := 1; i <= levels; i++ {
			fmt.Fprintf(&src, "ARG A%d=%s\n", i, strings.Repeat(fmt.Sprintf("$A%d", i-1), 10))
		}
		fmt.Fprintf(&src, "FROM alpine\nARG A%d\nRUN echo $A%d\n", levels, levels)
		b.Run(fmt.Sprintf("bomb-levels=%d", levels), func(b *testing.B) {
			for b.Loop() {
				if _, err := dockerfile.Parse("Dockerfile", []byte(src.String())); err == nil {
					b.Fatal("the bomb parsed")
				}
			}
		})
	}
	b.Run("at-the-limits", func(b *testing.B) {
		src := nearLimits()
		for b.Loop() {
			b.ReportMetric(peakHeapMiB(func() { lintAll(b, src) }), "peak-MiB")
		}
		b.ReportMetric(float64(len(src))/(1<<20), "file-MiB")
	})
}

// nearLimits returns a Dockerfile whose expansions add almost
// ExpansionBudget bytes: a 60 KB value named by ARG, ENV and RUN.
func nearLimits() []byte {
	var b strings.Builder
	big := strings.Repeat("v", 60_000)
	fmt.Fprintf(&b, "ARG BIG=%s\nFROM alpine:3.19\nARG BIG\nENV E=$BIG$BIG\n", big)
	for i := 0; i < 26; i++ {
		fmt.Fprintf(&b, "RUN echo $BIG $BIG $BIG $BIG $BIG $BIG $BIG $BIG $BIG $BIG > /f%d\n", i)
	}
	return []byte(b.String())
}

// peakHeapMiB runs fn and returns the most heap it had in use above what
// was in use before, sampled every 100µs.
func peakHeapMiB(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	if p := peak.Load(); p > base {
		return float64(p-base) / (1 << 20)
	}
	return 0
}
