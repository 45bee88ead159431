package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// With KeepResults it also keeps what ShellCheck found in each file's
// scripts between runs, so that a file checked once is not checked again
// until one of its scripts, the program or strata's arguments to it
// change.
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
	binID   string // the program's path, size and modification time
	findErr error

	openStore func() (ResultStore, error)
	storeOnce sync.Once
	store     ResultStore

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

// ResultStore keeps records by key between runs (layercache.Cache is
// one).
type ResultStore interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte) error
}

// KeepResults makes s keep ShellCheck's findings on each file's scripts
// in the store open returns, opened when the first script is checked; a store
// that cannot be opened leaves s checking every script. Call it before
// the first file is linted.
func (s *ShellCheck) KeepResults(open func() (ResultStore, error)) {
	s.openStore = open
}

// results returns the store, nil when there is none.
func (s *ShellCheck) results() ResultStore {
	s.storeOnce.Do(func() {
		if s.openStore == nil {
			return
		}
		if st, err := s.openStore(); err == nil {
			s.store = st
		}
	})
	return s.store
}

// Close stops the processes still running, waits for them to end and
// closes the store.
func (s *ShellCheck) Close() {
	s.cancel()
	s.wg.Wait()
	s.storeOnce.Do(func() {}) // none is opened from here on
	if c, ok := s.store.(io.Closer); ok {
		_ = c.Close()
	}
}

// Available reports whether the shellcheck program is installed.
func (s *ShellCheck) Available() bool {
	_, err := s.program()
	return err == nil
}

// program returns the path of the shellcheck program.
func (s *ShellCheck) program() (string, error) {
	s.lookup.Do(func() {
		s.bin, s.findErr = s.find()
		if s.findErr == nil {
			if fi, err := os.Stat(s.bin); err == nil {
				s.binID = fmt.Sprintf("%s\x00%d\x00%d", s.bin, fi.Size(), fi.ModTime().UnixNano())
			}
		}
	})
	return s.bin, s.findErr
}

// shellcheckArgs are the options strata runs shellcheck with, before the
// files.
func shellcheckArgs() []string {
	return []string{"--norc", "--format=json1", "--severity=style", "--exclude=" + strings.Join(shellcheckExcluded, ",")}
}

// resultKey names the findings on the scripts of one file in the
// store: the program, the options and the texts decide them. A file is
// one record, not each script, as writing a record costs more than
// checking a small script again when one of its file's changes.
func (s *ShellCheck) resultKey(texts []string) string {
	var b strings.Builder
	b.WriteString("shellcheck\x00" + s.binID + "\x00" + strings.Join(shellcheckArgs(), "\x00"))
	for _, t := range texts {
		b.WriteString("\x00" + strconv.Itoa(len(t)) + "\x00" + t)
	}
	return b.String()
}

// recall returns the findings kept for the texts, or nil.
func recall(st ResultStore, key string, n int) [][]scComment {
	data, ok := st.Get(key)
	if !ok {
		return nil
	}
	var all [][]scComment
	if err := json.Unmarshal(data, &all); err != nil || len(all) != n {
		return nil
	}
	return all
}

// remember stores the findings on the inputs once ShellCheck has read
// them all; nothing is kept when one of them failed.
func remember(st ResultStore, key string, inputs []*scInput) {
	all := make([][]scComment, len(inputs))
	for i, in := range inputs {
		<-in.done
		if in.err != nil {
			return
		}
		all[i] = in.comments
		if all[i] == nil {
			all[i] = []scComment{}
		}
	}
	if data, err := json.Marshal(all); err == nil {
		_ = st.Put(key, data) // a record not written is made again next run
	}
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

// submit queues the texts of one file for checking and returns their
// inputs, in the same order; a text seen before shares its first input.
// With a store, the file's findings are taken from it when it keeps
// them, and kept in it once they are known otherwise.
func (s *ShellCheck) submit(texts []string) []*scInput {
	var st ResultStore
	var key string
	var kept [][]scComment
	if s.openStore != nil && len(texts) > 0 {
		if _, err := s.program(); err == nil && s.binID != "" {
			if st = s.results(); st != nil {
				key = s.resultKey(texts)
				kept = recall(st, key, len(texts))
			}
		}
	}
	out := make([]*scInput, len(texts))
	var fresh []*scInput
	s.mu.Lock()
	for i, t := range texts {
		in, ok := s.seen[t]
		if !ok {
			in = &scInput{text: t, done: make(chan struct{})}
			s.seen[t] = in
			if kept != nil {
				in.comments = kept[i]
				close(in.done)
			} else {
				fresh = append(fresh, in)
			}
		}
		out[i] = in
	}
	s.queue = append(s.queue, fresh...)
	s.startLocked()
	if st != nil && kept == nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			remember(st, key, out)
		}()
	}
	s.mu.Unlock()
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
	args := shellcheckArgs()
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
