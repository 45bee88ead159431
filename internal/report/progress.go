package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Progress is the live one-line display of a long command (strata
// measure, compare and image) on a terminal's standard error: what it is
// doing, for how long, and the step at hand, redrawn in place and cleared
// by Stop. A Progress that is off draws nothing. Its methods are safe for
// concurrent use and on an off Progress.
type Progress struct {
	w     io.Writer // nil when off; set once, never changed
	color bool
	done  chan struct{}
	stop  sync.Once

	mu      sync.Mutex
	stopped bool
	status  Status
	since   time.Time
}

// Status is what a long command is doing.
type Status struct {
	// Phase names the work ("cold build 1/3", "reading layers"); the
	// clock shown after it restarts when it changes.
	Phase string
	// Count, if set, follows the phase without restarting the clock
	// ("2/5" layers read).
	Count string
	// Detail is the step at hand (a build step, bytes read).
	Detail string
	// Cached marks a build step taken from the cache; it is shown as
	// "CACHED step", as BuildKit shows it.
	Cached bool
}

// ProgressOptions decide whether the line is drawn and how.
type ProgressOptions struct {
	// Terminal is true when the writer is an interactive terminal;
	// nothing is drawn on anything else (a file, a pipe, a CI log).
	Terminal bool
	// Getenv reads the environment (nil reads nothing): TERM=dumb means
	// a terminal that cannot redraw a line, so nothing is drawn; NO_COLOR
	// draws the line without colour.
	Getenv func(string) string
	// Off turns the line off: --no-progress, or output meant for a
	// program (--format json).
	Off bool
	// NoColor draws the line without colour (--no-color).
	NoColor bool
}

const (
	// progressWidth is the longest line drawn, in characters, so that a
	// line never wraps on an ordinary terminal (a wrapped line cannot be
	// redrawn in place).
	progressWidth = 100
	// progressTick is how often the line is redrawn while nothing is
	// reported, to keep the clock running.
	progressTick = 250 * time.Millisecond
	// clearLine returns to the start of the line and erases it.
	clearLine = "\r\x1b[K"
)

// NewProgress starts a progress line on w, or an off Progress when opts
// say so. Stop must be called when the work ends.
func NewProgress(w io.Writer, opts ProgressOptions) *Progress {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	p := &Progress{}
	if w == nil || opts.Off || !opts.Terminal || getenv("TERM") == "dumb" {
		return p
	}
	p.w, p.color, p.done = w, !opts.NoColor && getenv("NO_COLOR") == "", make(chan struct{})
	go p.tick()
	return p
}

// On reports whether the line is drawn.
func (p *Progress) On() bool { return p.w != nil }

func (p *Progress) tick() {
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// Update shows s.
func (p *Progress) Update(s Status) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	if s.Phase != p.status.Phase {
		p.since = time.Now()
	}
	p.status = s
	p.draw()
}

// Stop clears the line and ends the display. Calling it again does
// nothing.
func (p *Progress) Stop() {
	if p.w == nil {
		return
	}
	p.stop.Do(func() {
		close(p.done)
		p.mu.Lock()
		defer p.mu.Unlock()
		fmt.Fprint(p.w, clearLine)
		p.stopped = true
	})
}

// draw rewrites the line; the caller holds mu.
func (p *Progress) draw() {
	if p.stopped || p.status.Phase == "" {
		return
	}
	fmt.Fprint(p.w, clearLine+p.line(time.Since(p.since)))
}

// line renders the status after elapsed: "phase count  12s  detail", cut
// to progressWidth characters (the detail first).
func (p *Progress) line(elapsed time.Duration) string {
	s := p.status
	head := progressText(s.Phase)
	if c := progressText(s.Count); c != "" {
		head += " " + c
	}
	clock := fmt.Sprintf("%4.0fs", elapsed.Seconds())
	head = fitText(head, progressWidth-1-len(clock))
	line := head + " " + Palette{On: p.color}.paint(sgrDim, clock)
	detail := progressText(s.Detail)
	if s.Cached && detail != "" {
		detail = "CACHED " + detail
	}
	room := progressWidth - utf8.RuneCountInString(head) - 1 - len(clock) - 2
	if detail != "" && room > 1 {
		line += "  " + fitText(detail, room)
	}
	return line
}

// progressText puts s on one line: runs of white space become one space
// and control characters are spelled out, so that nothing in a step's
// text (a Dockerfile's, say) can move the cursor.
func progressText(s string) string {
	return displayText(strings.Join(strings.Fields(s), " "))
}

// fitText cuts s to at most n characters, ending in "…" when cut.
func fitText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
