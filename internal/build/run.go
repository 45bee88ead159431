package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/stratatools/strata/internal/vocab"
)

// Ways a start-up measurement ends.
const (
	UntilExit = "exit" // the container exits
	UntilLog  = "log"  // a log line matches
	UntilPort = "port" // a TCP port answers
)

// DefaultStartupTimeout bounds a start-up measurement unless told
// otherwise.
const DefaultStartupTimeout = 30 * time.Second

// portPollInterval is how often a TCP port is tried.
const portPollInterval = 10 * time.Millisecond

// RunSpec describes one start-up measurement.
type RunSpec struct {
	Image string
	// Cmd replaces the image's command when set.
	Cmd []string
	// Network is the container's network mode; "" means DefaultNetwork.
	Network string
	// ReadyLog ends the measurement at the first output line (standard
	// output or error) it matches.
	ReadyLog *regexp.Regexp
	// ReadyPort ends the measurement when 127.0.0.1:ReadyPort accepts a
	// TCP connection (the container shares the host's network).
	ReadyPort int
	// Timeout bounds the wait; 0 means DefaultStartupTimeout.
	Timeout time.Duration
	// Name names the container; "" picks a fresh strata-run-… name.
	Name string
	// Tracker records the container so that an interrupted run still
	// removes it.
	Tracker *Tracker
	// CreatedBy is the value of the container's LabelCreatedBy label;
	// "" means "strata".
	CreatedBy string
}

// Until says what ends the measurement.
func (s RunSpec) Until() string {
	switch {
	case s.ReadyLog != nil:
		return UntilLog
	case s.ReadyPort > 0:
		return UntilPort
	}
	return UntilExit
}

// RunResult is one start-up measurement.
type RunResult struct {
	// Duration runs from the start request until the container exited,
	// printed the ready line, or answered on the port.
	Duration time.Duration
	Until    string
	// ExitCode is the container's exit status when Until is UntilExit.
	ExitCode int
	// Line is the log line that matched, with UntilLog.
	Line string
}

// RunError is a start-up that did not reach its goal: a timeout, or a
// container that exited before it was ready.
type RunError struct {
	Image   string
	Reason  string
	Timeout bool
	// Log holds the container's last output lines.
	Log []string
}

func (e *RunError) Error() string {
	return fmt.Sprintf("start-up of %s: %s", e.Image, e.Reason)
}

// Run creates a container of spec.Image, starts it and measures the time
// until it exits or is ready. The container is removed before Run returns,
// also when ctx is cancelled.
func Run(ctx context.Context, cli *client.Client, spec RunSpec) (res *RunResult, err error) {
	if spec.Network == "" {
		spec.Network = DefaultNetwork
	}
	if spec.Timeout <= 0 {
		spec.Timeout = DefaultStartupTimeout
	}
	if spec.Name == "" {
		spec.Name = NewName("strata-run")
	}
	if spec.CreatedBy == "" {
		spec.CreatedBy = "strata"
	}
	until := spec.Until()
	portAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(spec.ReadyPort))
	if until == UntilPort && portAnswers(ctx, portAddr) {
		return nil, vocab.Inputf("start-up of %s: %s already answers before the container starts; pick a port nothing else uses", spec.Image, portAddr)
	}

	if spec.Tracker != nil {
		spec.Tracker.Container(spec.Name)
	}
	created, err := cli.ContainerCreate(ctx,
		&container.Config{Image: spec.Image, Cmd: spec.Cmd, Labels: map[string]string{LabelCreatedBy: spec.CreatedBy}},
		&container.HostConfig{NetworkMode: container.NetworkMode(spec.Network)},
		nil, nil, spec.Name)
	if err != nil {
		return nil, fmt.Errorf("creating a container of %s: %w", spec.Image, err)
	}
	id := created.ID
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), CleanupTimeout)
		defer cancel()
		if rerr := cli.ContainerRemove(rctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true}); rerr != nil && !isNotFound(rerr) && err == nil {
			res, err = nil, fmt.Errorf("removing the container of %s: %w", spec.Image, rerr)
		}
	}()

	runCtx, cancel := context.WithTimeout(ctx, spec.Timeout)
	defer cancel()
	// Ask for the exit before starting, so that a quick exit is not missed.
	waitC, waitErrC := cli.ContainerWait(runCtx, id, container.WaitConditionNextExit)

	ready := make(chan readySignal, 1)
	var logWG sync.WaitGroup
	start := time.Now()
	if err := cli.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		return nil, fmt.Errorf("starting a container of %s: %w", spec.Image, err)
	}
	switch until {
	case UntilLog:
		logWG.Add(1)
		go func() {
			defer logWG.Done()
			watchLog(runCtx, cli, id, spec.ReadyLog, ready)
		}()
	case UntilPort:
		go watchPort(runCtx, portAddr, ready)
	}

	select {
	case r := <-ready:
		return &RunResult{Duration: r.at.Sub(start), Until: until, Line: r.line}, nil
	case w := <-waitC:
		exited := time.Now()
		if until == UntilExit {
			if w.Error != nil {
				return nil, fmt.Errorf("waiting for the container of %s: %s", spec.Image, w.Error.Message)
			}
			return &RunResult{Duration: exited.Sub(start), Until: until, ExitCode: int(w.StatusCode)}, nil
		}
		// The ready line may have been the container's last words: the
		// log stream ends soon after the container does.
		logWG.Wait()
		select {
		case r := <-ready:
			return &RunResult{Duration: r.at.Sub(start), Until: until, Line: r.line}, nil
		default:
		}
		return nil, &RunError{Image: spec.Image, Reason: fmt.Sprintf("the container exited with status %d before it was ready (%s)", w.StatusCode, readyWhat(spec)), Log: lastLogs(cli, id)}
	case err := <-waitErrC:
		if ctx.Err() != nil {
			return nil, fmt.Errorf("start-up of %s: %w", spec.Image, context.Cause(ctx))
		}
		if errors.Is(err, context.DeadlineExceeded) || runCtx.Err() != nil {
			return nil, &RunError{Image: spec.Image, Timeout: true, Reason: fmt.Sprintf("not done after %s (waiting for %s)", spec.Timeout, readyWhat(spec)), Log: lastLogs(cli, id)}
		}
		return nil, fmt.Errorf("waiting for the container of %s: %w", spec.Image, err)
	}
}

// readyWhat describes what a measurement waits for.
func readyWhat(spec RunSpec) string {
	switch spec.Until() {
	case UntilLog:
		return fmt.Sprintf("a log line matching %q", spec.ReadyLog.String())
	case UntilPort:
		return fmt.Sprintf("TCP port %d to answer", spec.ReadyPort)
	}
	return "the container to exit"
}

type readySignal struct {
	at   time.Time
	line string
}

// watchLog follows the container's output and signals the first line re
// matches.
func watchLog(ctx context.Context, cli *client.Client, id string, re *regexp.Regexp, ready chan<- readySignal) {
	rc, err := cli.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: true})
	if err != nil {
		return
	}
	defer rc.Close()
	var once sync.Once
	match := func(line string) {
		if re.MatchString(line) {
			once.Do(func() { ready <- readySignal{at: time.Now(), line: line} })
		}
	}
	stdout, stderr := &lineWriter{fn: match}, &lineWriter{fn: match}
	_, _ = stdcopy.StdCopy(stdout, stderr, rc)
	stdout.flush()
	stderr.flush()
}

// watchPort signals when addr accepts a TCP connection.
func watchPort(ctx context.Context, addr string, ready chan<- readySignal) {
	t := time.NewTicker(portPollInterval)
	defer t.Stop()
	for {
		if portAnswers(ctx, addr) {
			ready <- readySignal{at: time.Now()}
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func portAnswers(ctx context.Context, addr string) bool {
	d := net.Dialer{Timeout: 200 * time.Millisecond}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// lastLogs returns the container's last output lines, for an error.
func lastLogs(cli *client.Client, id string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rc, err := cli.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: strconv.Itoa(logTail)})
	if err != nil {
		return nil
	}
	defer rc.Close()
	var lines []string
	w := &lineWriter{fn: func(l string) { lines = appendTail(lines, l) }}
	_, _ = stdcopy.StdCopy(w, w, rc)
	w.flush()
	return lines
}

// lineWriter calls fn with every complete line written to it.
type lineWriter struct {
	fn  func(string)
	buf bytes.Buffer
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	for {
		i := bytes.IndexByte(w.buf.Bytes(), '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(w.buf.Next(i+1)), "\r\n")
		w.fn(line)
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if w.buf.Len() > 0 {
		w.fn(strings.TrimRight(w.buf.String(), "\r\n"))
		w.buf.Reset()
	}
}
