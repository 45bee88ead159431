package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// TestIntegrationMeasureInterrupt runs the strata binary on a slow build,
// sends SIGINT once the slow step runs, and checks that strata exits
// promptly and leaves no container or image behind.
func TestIntegrationMeasureInterrupt(t *testing.T) {
	engine := measureEngine(t)
	bin := strataBinary(t)
	// The standalone buildkitd too: the build stops on the daemon.
	for _, builder := range []string{build.BuilderBuildKit, build.BuilderClassic, testenv.BuildKitHost(t)} {
		t.Run(strings.ReplaceAll(builder, "/", "_"), func(t *testing.T) {
			start := time.Now().Add(-time.Second)
			// The slow step calls back on the host network when it starts.
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			port := l.Addr().(*net.TCPAddr).Port
			dir := t.TempDir()
			// marker names this build's images among those of the
			// tests that share the engine.
			marker := fmt.Sprintf("quick-%d", time.Now().UnixNano())
			writeFile(t, dir, "Dockerfile", fmt.Sprintf("FROM busybox:latest\nRUN echo %s > /quick\nRUN echo started | nc -w 5 127.0.0.1 %d; sleep 30\nRUN echo never\n", marker, port))

			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, "measure", "--builder", builder, dir)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			defer func() {
				if cmd.ProcessState == nil {
					_ = cmd.Process.Kill()
					<-exited
				}
			}()

			called := make(chan struct{})
			go func() {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 16)
				_, _ = conn.Read(buf)
				conn.Close()
				close(called)
			}()
			select {
			case <-called:
			case err := <-exited:
				t.Fatalf("strata exited before the slow step: %v\nstderr:\n%s", err, stderr.String())
			case <-time.After(3 * time.Minute):
				t.Fatalf("the slow step did not start in 3 minutes\nstderr:\n%s", stderr.String())
			}

			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			var waitErr error
			select {
			case waitErr = <-exited:
			case <-time.After(60 * time.Second):
				t.Fatalf("strata still runs 60s after SIGINT\nstderr:\n%s", stderr.String())
			}
			took := time.Since(sent)
			t.Logf("%s: strata exited %.2fs after SIGINT", builder, took.Seconds())
			if took > 20*time.Second {
				t.Errorf("strata took %s to exit after SIGINT (the slow step sleeps 30s)", took)
			}
			var ee *exec.ExitError
			if !errors.As(waitErr, &ee) || ee.ExitCode() != cli.ExitInterrupted {
				t.Errorf("exit: %v; want status %d", waitErr, cli.ExitInterrupted)
			}
			if !strings.Contains(stderr.String(), "interrupted") || stdout.Len() != 0 {
				t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
			}

			// Nothing remains: no image of the measurement (checked by
			// measureEngine), no container running the slow step, and no
			// untagged image from the classic builder's finished steps.
			ctx := context.Background()
			cs, err := engine.ContainerList(ctx, container.ListOptions{All: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if time.Unix(c.Created, 0).After(start) && strings.Contains(c.Command, "sleep 30") {
					t.Errorf("container %s (%s) of the interrupted build remains", c.ID, c.Command)
				}
			}
			if n := testenv.DanglingImagesSince(t, engine, start, marker); n > 0 {
				t.Errorf("%d untagged image(s) made during the interrupted build remain", n)
			}
			assertNoLeftovers(t, engine)
		})
	}
}

// strataBinary builds the strata command into a temporary directory.
func strataBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "strata")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runBinary runs the strata binary and fails the test unless it exits
// with code.
func runBinary(t *testing.T, bin string, code int, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", bin, err)
	}
	r := result{code: got, stdout: stdout.String(), stderr: stderr.String()}
	if got != code {
		t.Fatalf("strata %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, code, r.stdout, r.stderr)
	}
	return r
}
