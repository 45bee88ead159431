package rules_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
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
	alloc := func(n int) uint64 {
		src := chainedStages(n)
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
		t.Errorf("linting 1,000 chained stages allocates %.1fx what 250 do (%d and %d bytes); linear is 4x", ratio, large, small)
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
