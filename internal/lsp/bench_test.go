package lsp

import (
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// cpuTime is the processor time the test process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestBigDockerfile checks the benchmark's input: 500 lines that parse,
// with findings of several rule families.
func TestBigDockerfile(t *testing.T) {
	src := bigDockerfile(500)
	if n := strings.Count(src, "\n"); n != 500 {
		t.Fatalf("bigDockerfile(500) has %d lines", n)
	}
	c := startServer(t, Options{})
	c.initialize(protocol.ClientCapabilities{})
	uri := fileURI(filepath.Join(t.TempDir(), "Dockerfile"))
	c.open(uri, src)
	ds := c.diagnosticsFor(uri, 1, nil)
	for _, want := range []string{"DL3008", "DL3003", "DL4006", "SD701", "DL3025", "FromAsCasing"} {
		if !has(ds, want) {
			t.Errorf("no %s among %d diagnostics", want, len(ds))
		}
	}
}

// BenchmarkDiagnosticsLatency measures the time from a change to a
// 500-line Dockerfile to the diagnostics of the changed text, over the
// protocol and with the default debounce included: each iteration edits
// a package name in a RUN (as typing does) and waits for the
// publication of that version. Target: a median under 100 ms; the
// benchmark fails above it.
func BenchmarkDiagnosticsLatency(b *testing.B) {
	src := bigDockerfile(500)
	c := startServer(b, Options{})
	c.initialize(protocol.ClientCapabilities{})
	uri := fileURI(filepath.Join(b.TempDir(), "Dockerfile"))
	c.open(uri, src)
	// Let ShellCheck's first run finish: typing starts on an open file.
	c.diagnosticsFor(uri, 1, func(ds []protocol.Diagnostic) bool { return has(ds, "SC2086") })
	lines := strings.Split(src, "\n")
	line := slices.Index(lines, "    curl ca-certificates")
	if line < 0 {
		b.Fatal("no RUN line to edit")
	}
	words := []string{"wget", "curl"}
	var lat []time.Duration
	version := int32(1)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		version++
		r := protocol.Range{Start: protocol.Position{Line: uint32(line), Character: 4}, End: protocol.Position{Line: uint32(line), Character: 8}}
		t0 := time.Now()
		c.change(uri, version, r, words[i%2])
		ds := c.diagnosticsFor(uri, version, nil)
		lat = append(lat, time.Since(t0))
		if len(ds) == 0 {
			b.Fatal("no diagnostics")
		}
	}
	b.StopTimer()
	cpu := cpuTime(b) - cpu0
	slices.Sort(lat)
	median, worst := lat[len(lat)/2], lat[len(lat)-1]
	b.ReportMetric(float64(median.Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(median)/float64(100*time.Millisecond), "median/target")
	// The processor time per change (the client's decoding included)
	// does not depend on what else the machine runs; the wall-clock
	// latency does.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/change")
	b.Logf("%d changes: median %v, max %v, %.1f ms of processor time per change", len(lat), median, worst, float64(cpu.Microseconds())/1000/float64(len(lat)))
	if median > 100*time.Millisecond {
		b.Errorf("median latency %v over %d changes, want under 100ms", median, len(lat))
	}
}
