package main

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

func TestIntegrationMeasureStartupReady(t *testing.T) {
	measureEngine(t)
	t.Run("ready log", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "Dockerfile", "FROM busybox:latest\nCMD [\"sh\", \"-c\", \"echo booting; sleep 0.4; echo 'listening on :8080' >&2; sleep 60\"]\n")
		m := decodeMeasurement(t, mustRun(t, 0, "measure", "--format", "json", "--runs", "2", "--ready-log", `listening on :\d+`, dir))
		t.Logf("ready-log start-up: %v s", m.Startup.Samples)
		checkStats(t, "start-up", m.Startup, 2, 0.4, 10)
		if m.StartupUntil != build.UntilLog || m.StartupExitCode != nil || m.Warm.Touched != "" {
			t.Errorf("until %q, exit %v, warm %+v", m.StartupUntil, m.StartupExitCode, m.Warm)
		}
	})
	t.Run("ready port", func(t *testing.T) {
		port := freeLoopbackPort(t)
		dir := t.TempDir()
		writeFile(t, dir, "Dockerfile", "FROM busybox:latest\nARG PORT\nENV PORT=$PORT\nCMD sh -c 'sleep 0.4; exec httpd -f -p 127.0.0.1:$PORT'\n")
		m := decodeMeasurement(t, mustRun(t, 0, "measure", "--format", "json", "--build-arg", fmt.Sprintf("PORT=%d", port), "--ready-port", fmt.Sprint(port), dir))
		t.Logf("ready-port start-up: %v s", m.Startup.Samples)
		checkStats(t, "start-up", m.Startup, 1, 0.4, 10)
		if m.StartupUntil != build.UntilPort {
			t.Errorf("until %q", m.StartupUntil)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "Dockerfile", "FROM busybox:latest\nCMD [\"sh\", \"-c\", \"echo still starting; sleep 60\"]\n")
		r := mustRun(t, cli.ExitFindings, "measure", "--format", "json", "--ready-log", "never printed", "--timeout", "1s", dir)
		m := decodeMeasurement(t, r)
		if m.Startup != nil || !strings.Contains(m.StartupError, "not done after 1s") || !strings.Contains(m.StartupError, "still starting") {
			t.Errorf("start-up %+v, error %q", m.Startup, m.StartupError)
		}
	})
}

func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestIntegrationMeasureFailedBuild(t *testing.T) {
	engine := measureEngine(t)
	for _, builder := range []string{build.BuilderBuildKit, build.BuilderClassic} {
		t.Run(builder, func(t *testing.T) {
			start := time.Now().Add(-time.Second)
			dir := t.TempDir()
			// marker names this build's images among those of the
			// tests that share the engine.
			marker := fmt.Sprintf("fine-%d", time.Now().UnixNano())
			writeFile(t, dir, "Dockerfile", "FROM busybox:latest\nRUN echo "+marker+"\nRUN echo 'compiling widget.c' && echo 'widget.c:3: error: expected ;' >&2 && exit 7\nRUN echo never\n")
			r := mustRun(t, cli.ExitUsage, "measure", "--builder", builder, dir)
			for _, want := range []string{"step", "RUN echo 'compiling widget.c'", "failed", "compiling widget.c", "widget.c:3: error: expected ;", "Dockerfile"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout after a failed build: %q", r.stdout)
			}
			// The classic builder keeps the images of the steps that
			// succeeded; strata removes them.
			if n := testenv.DanglingImagesSince(t, engine, start, marker); n > 0 {
				t.Errorf("%d untagged image(s) made by the failed build remain", n)
			}
		})
	}
}

func TestIntegrationMeasureBadInputOnTheEngine(t *testing.T) {
	measureEngine(t)
	dir := t.TempDir()
	df := writeFile(t, dir, "Dockerfile", "FROM busybox:latest\nRUN true\n")
	r := mustRun(t, cli.ExitUsage, "compare", df, "strata-test/no-such-image:nope")
	if !strings.Contains(r.stderr, `B: "strata-test/no-such-image:nope" is neither a file nor an image`) {
		t.Errorf("stderr %q", r.stderr)
	}
	r = mustRun(t, cli.ExitUsage, "measure", "--target", "nope", dir)
	if !strings.Contains(r.stderr, `no build stage named "nope"`) {
		t.Errorf("stderr %q", r.stderr)
	}
	r = mustRun(t, cli.ExitUsage, "measure", "--touch", "missing.txt", dir)
	if !strings.Contains(r.stderr, "--touch missing.txt") {
		t.Errorf("stderr %q", r.stderr)
	}
}
