package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ShellCheck runs the shellcheck program for the RUN scripts of the files
// of one lint run. It looks the program up once, checks a script it has
// already seen (the same text, so the same dialect and exported names)
// only once, and merges the scripts of the files linted at the same time
// into few processes: each process reads many scripts, one file each, and
// up to GOMAXPROCS of them run at once. A process starts as soon as a
// slot is free, so a single file is never kept waiting for others.
//
// Share one ShellCheck between the files of a run through
// Options.ShellCheck and Close it at the end; without one, SD002 makes
// its own for each file.
type ShellCheck struct {
	find    func() (string, error)
	timeout time.Duration
	procs   int

	lookup  sync.Once
	bin     string
	findErr error

	ctx    context.Context // cancelled by Close: kills the processes
	cancel context.CancelFunc

	mu      sync.Mutex
	seen    map[string]*scInput // by text
	queue   []*scInput
	running int
	wg      sync.WaitGroup
}

// Limits of one shellcheck process, and what a script costs it: ShellCheck
// spends about a millisecond on each script and 25 µs on each byte, and
// some milliseconds to start (shellcheckSplitCost). Scripts waiting while
// cores are free are spread over as many processes as keeps each one's
// work above its start-up.
const (
	shellcheckBatchBytes = 256 << 10 // script bytes per process
	shellcheckBatchFiles = 400       // scripts per process
	shellcheckSplitCost  = 5 * time.Millisecond
)

// shellcheckCost estimates ShellCheck's time on a script.
func shellcheckCost(text string) time.Duration {
	return time.Millisecond + time.Duration(len(text))*25*time.Microsecond
}

// NewShellCheck returns a ShellCheck that finds shellcheck on PATH.
func NewShellCheck() *ShellCheck {
	return newShellCheck(func() (string, error) { return exec.LookPath("shellcheck") }, 20*time.Second)
}

// newShellCheck returns a ShellCheck that finds the program with find and
// gives each process timeout to finish.
func newShellCheck(find func() (string, error), timeout time.Duration) *ShellCheck {
	ctx, cancel := context.WithCancel(context.Background())
	return &ShellCheck{find: find, timeout: timeout, procs: max(1, runtime.GOMAXPROCS(0)),
		ctx: ctx, cancel: cancel, seen: map[string]*scInput{}}
}

// Close stops the processes still running and waits for them to end.
func (s *ShellCheck) Close() {
	s.cancel()
	s.wg.Wait()
}

// Available reports whether the shellcheck program is installed.
func (s *ShellCheck) Available() bool {
	_, err := s.program()
	return err == nil
}

// program returns the path of the shellcheck program.
func (s *ShellCheck) program() (string, error) {
	s.lookup.Do(func() { s.bin, s.findErr = s.find() })
	return s.bin, s.findErr
}

// scInput is one script text to check, shared by every job with the same
// text.
type scInput struct {
	text     string
	done     chan struct{} // closed when comments and err are set
	comments []scComment   // File is unset
	err      error
}

// wait returns the input's findings once shellcheck has read it.
func (in *scInput) wait(ctx context.Context) ([]scComment, error) {
	select {
	case <-in.done:
		return in.comments, in.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// submit queues the texts for checking and returns their inputs, in the
// same order; a text seen before shares its first input.
func (s *ShellCheck) submit(texts []string) []*scInput {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*scInput, len(texts))
	for i, t := range texts {
		in, ok := s.seen[t]
		if !ok {
			in = &scInput{text: t, done: make(chan struct{})}
			s.seen[t] = in
			s.queue = append(s.queue, in)
		}
		out[i] = in
	}
	s.startLocked()
	return out
}

// startLocked starts processes for the queued inputs while slots are
// free. A queue big enough is spread over the free slots.
func (s *ShellCheck) startLocked() {
	for s.running < s.procs && len(s.queue) > 0 {
		if s.ctx.Err() != nil {
			for _, in := range s.queue {
				in.err = errors.New("shellcheck was stopped")
				close(in.done)
			}
			s.queue = nil
			return
		}
		var queued time.Duration
		for _, in := range s.queue {
			queued += shellcheckCost(in.text)
		}
		parts := min(s.procs-s.running, len(s.queue), max(1, int(queued/shellcheckSplitCost)))
		limit := (queued + time.Duration(parts) - 1) / time.Duration(parts)
		n, size := 0, 0
		var cost time.Duration
		for n < len(s.queue) && n < shellcheckBatchFiles {
			c := shellcheckCost(s.queue[n].text)
			if n > 0 && (cost+c > limit || size+len(s.queue[n].text) > shellcheckBatchBytes) {
				break
			}
			cost += c
			size += len(s.queue[n].text)
			n++
		}
		batch := s.queue[:n:n]
		s.queue = s.queue[n:]
		s.running++
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			comments, err := s.run(batch)
			for i, in := range batch {
				in.comments, in.err = comments[i], err
				close(in.done)
			}
			s.mu.Lock()
			s.running--
			s.startLocked()
			s.mu.Unlock()
		}()
	}
}

// scComment is one finding in shellcheck's json1 output.
type scComment struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	EndLine   int    `json:"endLine"`
	Column    int    `json:"column"`
	EndColumn int    `json:"endColumn"`
	Level     string `json:"level"`
	Code      int    `json:"code"`
	Message   string `json:"message"`
}

// run checks the inputs with one shellcheck process, each input a file
// of its own whose #! line gives the dialect, and returns the findings of
// each input (always len(inputs) slices).
func (s *ShellCheck) run(inputs []*scInput) ([][]scComment, error) {
	res := make([][]scComment, len(inputs))
	bin, err := s.program()
	if err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp("", "strata-shellcheck-")
	if err != nil {
		return res, fmt.Errorf("shellcheck: %w", err)
	}
	defer os.RemoveAll(dir)
	args := []string{"--norc", "--format=json1", "--severity=style", "--exclude=" + strings.Join(shellcheckExcluded, ",")}
	index := make(map[string]int, len(inputs))
	for i, in := range inputs {
		name := filepath.Join(dir, strconv.Itoa(i)+".sh")
		if err := os.WriteFile(name, []byte(in.text), 0o600); err != nil {
			return res, fmt.Errorf("shellcheck: %w", err)
		}
		args = append(args, name)
		index[name] = i
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if s.ctx.Err() != nil {
		return res, errors.New("shellcheck was stopped")
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("shellcheck did not finish within %s", s.timeout)
	}
	var out struct {
		Comments []scComment `json:"comments"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" && runErr != nil {
			msg = runErr.Error()
		}
		if msg == "" {
			msg = err.Error()
		}
		return res, errors.New(firstLine(msg))
	}
	for _, c := range out.Comments {
		if i, ok := index[c.File]; ok {
			c.File = ""
			res[i] = append(res[i], c)
		}
	}
	return res, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
