package build_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// daemon connects to the test buildkitd, loading into the test Engine.
func daemon(t *testing.T) (*build.Daemon, *build.Tracker) {
	t.Helper()
	cli, tr := engine(t)
	host := testenv.BuildKitHost(t)
	d, err := build.DialDaemon(t.Context(), build.DaemonOptions{Address: host, Engine: cli})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d, tr
}

// A build on the daemon reports its steps as it goes, loads the image into
// the Engine under its tag, and a rebuild takes the steps from the cache.
func TestIntegrationDaemonBuild(t *testing.T) {
	d, tr := daemon(t)
	cli := testenv.Engine(t)
	dir := writeFiles(t, map[string]string{
		"Dockerfile": "FROM busybox:latest\nARG GREETING=hi\nRUN echo $GREETING > /greeting\nCOPY a.txt /a.txt\n",
		"a.txt":      "a\n",
	})
	var mu sync.Mutex
	var seen []string
	hello := "hello"
	spec := build.Spec{
		ContextDir: dir, Dockerfile: dir + "/Dockerfile", NoCache: true, Network: "host",
		BuildArgs: map[string]*string{"GREETING": &hello},
		Progress: func(s build.Step) {
			mu.Lock()
			seen = append(seen, s.Instruction())
			mu.Unlock()
		},
	}
	spec.Tag = build.NewName("strata-test-daemon") + ":1"
	tr.Image(spec.Tag)
	res, err := d.Build(t.Context(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if res.Builder != build.BuilderDaemon || res.Tag != spec.Tag || res.Steps != 2 || res.CachedSteps != 0 || !strings.HasPrefix(res.ImageID, "sha256:") {
		t.Errorf("result %+v", res)
	}
	insp, err := cli.ImageInspect(t.Context(), spec.Tag)
	if err != nil || insp.ID != res.ImageID {
		t.Fatalf("the Engine has %q (%v), the build made %s", insp.ID, err, res.ImageID)
	}
	out, code := testenv.RunContainer(t, cli, spec.Tag, "cat", "/greeting")
	if code != 0 || out != "hello\n" {
		t.Errorf("the build argument did not reach the build: %q (exit %d)", out, code)
	}
	mu.Lock()
	if len(seen) < 2 || !strings.HasPrefix(seen[len(seen)-1], "COPY") {
		t.Errorf("progress heard %q", seen)
	}
	mu.Unlock()

	again := spec
	again.NoCache, again.Progress = false, nil
	again.Tag = build.NewName("strata-test-daemon") + ":2"
	tr.Image(again.Tag)
	res2, err := d.Build(t.Context(), again)
	if err != nil {
		t.Fatal(err)
	}
	if res2.CachedSteps != 2 || res2.ImageID != res.ImageID {
		t.Errorf("rebuild: %d of %d steps cached, image %s (first %s)", res2.CachedSteps, res2.Steps, res2.ImageID, res.ImageID)
	}
}

// A failing step is an *Error with the step and its last output lines.
func TestIntegrationDaemonBuildError(t *testing.T) {
	d, tr := daemon(t)
	dir := writeFiles(t, map[string]string{
		"Dockerfile": "FROM busybox:latest\nRUN echo first line && echo boom >&2 && exit 3\n",
	})
	spec := build.Spec{ContextDir: dir, Dockerfile: dir + "/Dockerfile", Tag: build.NewName("strata-test-daemon") + ":fail", NoCache: true}
	tr.Image(spec.Tag)
	_, err := d.Build(t.Context(), spec)
	var be *build.Error
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want a *build.Error", err)
	}
	if be.Builder != build.BuilderDaemon || !strings.Contains(be.Step, "RUN echo first line") || !strings.Contains(strings.Join(be.Log, "\n"), "boom") {
		t.Errorf("error %+v\n%s", be, be.Detail())
	}
	// A Dockerfile the frontend cannot parse.
	bad := writeFiles(t, map[string]string{"Dockerfile": "FROM busybox:latest\nNOPE x\n"})
	_, err = d.Build(t.Context(), build.Spec{ContextDir: bad, Dockerfile: bad + "/Dockerfile", Tag: build.NewName("strata-test-daemon") + ":bad"})
	if !errors.As(err, &be) || !strings.Contains(be.Message, "nope") && !strings.Contains(strings.ToLower(be.Message), "unknown instruction") {
		t.Errorf("unknown instruction: %v", err)
	}
}

// Cancelling the context stops the build on the daemon quickly.
func TestIntegrationDaemonBuildCancel(t *testing.T) {
	d, tr := daemon(t)
	dir := writeFiles(t, map[string]string{"Dockerfile": "FROM busybox:latest\nRUN sleep 60\n"})
	spec := build.Spec{ContextDir: dir, Dockerfile: dir + "/Dockerfile", Tag: build.NewName("strata-test-daemon") + ":cancel", NoCache: true}
	tr.Image(spec.Tag)
	ctx, cancel := context.WithCancel(t.Context())
	spec.Progress = func(s build.Step) {
		if strings.HasPrefix(s.Instruction(), "RUN") {
			time.AfterFunc(500*time.Millisecond, cancel)
		}
	}
	start := time.Now()
	_, err := d.Build(ctx, spec)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled build: %v", err)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("the build took %s to stop", el)
	}
}
