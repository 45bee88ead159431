package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// lockedBuffer is a terminal stand-in the ticker may write to while the
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestProgressOnATerminal(t *testing.T) {
	var w lockedBuffer
	p := NewProgress(&w, ProgressOptions{Terminal: true, Getenv: env("TERM", "xterm")})
	if !p.On() {
		t.Fatal("the line is off on a terminal")
	}
	p.Update(Status{Phase: "cold build 1/1", Detail: "[2/3] RUN apt-get   update"})
	p.Update(Status{Phase: "cold build 1/1", Detail: "[3/3] COPY . /app", Cached: true})
	p.Stop()
	p.Stop()
	p.Update(Status{Phase: "after stop"})
	out := w.String()
	plain := sgr.ReplaceAllString(out, "")
	for _, want := range []string{"\r\x1b[Kcold build 1/1", "[2/3] RUN apt-get update", "CACHED [3/3] COPY . /app"} {
		if !strings.Contains(plain, want) {
			t.Errorf("progress output %q lacks %q", out, want)
		}
	}
	if !strings.HasSuffix(out, "\r\x1b[K") || strings.Contains(out, "after stop") {
		t.Errorf("progress output %q does not end by clearing the line", out)
	}
	if !strings.Contains(out, "\x1b[2m") {
		t.Errorf("no colour on a colour terminal: %q", out)
	}
}

// TestProgressOff covers every reason not to draw: the options, the
// terminal and the environment.
func TestProgressOff(t *testing.T) {
	for _, c := range []struct {
		name string
		opts ProgressOptions
	}{
		{"not a terminal", ProgressOptions{Terminal: false, Getenv: env("TERM", "xterm")}},
		{"--no-progress or JSON output", ProgressOptions{Terminal: true, Off: true}},
		{"TERM=dumb", ProgressOptions{Terminal: true, Getenv: env("TERM", "dumb")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var w lockedBuffer
			p := NewProgress(&w, c.opts)
			p.Update(Status{Phase: "cold build 1/1", Detail: "[2/3] RUN x"})
			p.Stop()
			if p.On() || w.String() != "" {
				t.Errorf("progress written: %q", w.String())
			}
		})
	}
}

func TestProgressWithoutColour(t *testing.T) {
	for _, opts := range []ProgressOptions{
		{Terminal: true, Getenv: env("TERM", "xterm", "NO_COLOR", "1")},
		{Terminal: true, Getenv: env("TERM", "xterm"), NoColor: true},
	} {
		var w lockedBuffer
		p := NewProgress(&w, opts)
		p.Update(Status{Phase: "reading layers", Count: "2/2", Detail: "3.00 MB"})
		p.Stop()
		out := w.String()
		if !strings.Contains(out, "\r\x1b[Kreading layers 2/2    0s  3.00 MB") || sgr.MatchString(out) {
			t.Errorf("NO_COLOR %q, NoColor %v: %q", opts.Getenv("NO_COLOR"), opts.NoColor, out)
		}
	}
}

func TestProgressLine(t *testing.T) {
	p := &Progress{status: Status{Phase: "warm rebuild 2/3", Detail: "[4/5] RUN make", Cached: true}}
	if got, want := p.line(12400*time.Millisecond), "warm rebuild 2/3   12s  CACHED [4/5] RUN make"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	// A hostile step cannot reach the terminal raw, and a long one is cut
	// so that the line never wraps.
	p.status = Status{Phase: "cold build 1/1", Detail: "RUN echo \x1b]0;title\x07 " + strings.Repeat("é", 300)}
	got := p.line(time.Second)
	if strings.ContainsAny(got, "\x1b\x07") || utf8.RuneCountInString(got) != progressWidth || !strings.HasSuffix(got, "…") {
		t.Errorf("line %q (%d characters)", got, utf8.RuneCountInString(got))
	}
	p.status = Status{Phase: strings.Repeat("p", 300), Detail: "dropped"}
	if got := p.line(time.Second); utf8.RuneCountInString(got) != progressWidth || strings.Contains(got, "dropped") || !strings.HasSuffix(got, "…    1s") {
		t.Errorf("long phase: %q", got)
	}
	// The clock restarts with a new phase, not with a new count.
	var w lockedBuffer
	q := NewProgress(&w, ProgressOptions{Terminal: true})
	defer q.Stop()
	q.Update(Status{Phase: "reading layers", Count: "1/2"})
	start := q.since
	q.Update(Status{Phase: "reading layers", Count: "2/2"})
	if q.since != start {
		t.Error("a new count restarted the clock")
	}
	time.Sleep(time.Millisecond)
	q.Update(Status{Phase: "analysing"})
	if q.since == start {
		t.Error("a new phase kept the clock")
	}
}

// TestProgressConcurrentUpdates runs updates from several goroutines
// with the ticker drawing, for the race detector.
func TestProgressConcurrentUpdates(t *testing.T) {
	var w lockedBuffer
	p := NewProgress(&w, ProgressOptions{Terminal: true})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				p.Update(Status{Phase: "reading layers", Count: fmt.Sprintf("%d/200", i*50+j)})
			}
		}()
	}
	time.Sleep(progressTick + 50*time.Millisecond)
	wg.Wait()
	p.Stop()
	if !strings.HasSuffix(w.String(), "\r\x1b[K") {
		t.Errorf("output does not end cleared: %q", w.String())
	}
}
