package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	strbuild "github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// Engine helpers for the examples test: BuildKit builds that report their
// output, timing and cached steps, and containers on the host network.

const (
	buildTimeout   = 20 * time.Minute
	serveTimeout   = 90 * time.Second
	cleanupTimeout = 2 * time.Minute
	pruneTimeout   = 15 * time.Minute
)

// buildResult is one image build.
type buildResult struct {
	ID       string
	Size     int64
	Duration time.Duration
	Steps    []buildStep
}

// buildStep is one Dockerfile step of a build, FROM excluded.
type buildStep struct {
	Instruction string // "RUN apt-get update"
	Cached      bool
	Duration    time.Duration // as BuildKit timed it; 0 when cached
}

// stepTime adds up the time of the steps that ran (stages that build at
// the same time may make it more than the build's).
func (b buildResult) stepTime() time.Duration {
	var d time.Duration
	for _, s := range b.Steps {
		d += s.Duration
	}
	return d
}

// cached counts the steps the builder took from its cache.
func (b buildResult) cached() int {
	n := 0
	for _, s := range b.Steps {
		if s.Cached {
			n++
		}
	}
	return n
}

// buildImage builds the context directory dir (its Dockerfile and
// .dockerignore) with BuildKit, as strata measure does (internal/build),
// on the host network, without the cache when cold, tags it tag, and
// removes the image when owner ends (testenv.RemoveBuilt). BuildKit,
// Docker's default builder, is needed: the fixed Dockerfiles may use RUN
// --mount cache mounts, which the classic builder rejects. A build without
// the cache still fills it for the next.
func buildImage(t, owner *testing.T, cli *client.Client, dir, tag string, cold bool) buildResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	res, err := strbuild.Build(ctx, cli, strbuild.Spec{
		ContextDir: dir,
		Dockerfile: filepath.Join(dir, "Dockerfile"),
		Tag:        tag,
		NoCache:    cold,
		Builder:    strbuild.BuilderBuildKit,
	})
	if err != nil {
		var be *strbuild.Error
		if errors.As(err, &be) {
			t.Fatalf("building %s from %s: %v\n%s", tag, dir, err, be.Detail())
		}
		t.Fatalf("building %s from %s: %v", tag, dir, err)
	}
	insp, err := cli.ImageInspect(ctx, res.ImageID)
	if err != nil {
		t.Fatalf("inspecting %s after its build: %v", tag, err)
	}
	owner.Cleanup(func() { testenv.RemoveBuilt(owner, cli, tag, insp.ID) })
	out := buildResult{ID: insp.ID, Size: insp.Size, Duration: res.Duration}
	for _, st := range res.StepList {
		out.Steps = append(out.Steps, buildStep{Instruction: st.Instruction(), Cached: st.Cached, Duration: st.Duration})
	}
	return out
}

// pruneBuildCache removes the BuildKit cache no build is using, on the
// vfs storage driver, where every cached step is a full copy of the file
// system (the examples leave some 40 GB behind). On overlay2 they leave
// some 6 to 10 GB, the prune took 4.5 minutes on a busy machine, and
// scripts/test-env.sh deletes a data root that large anyway, at teardown
// or at the next start. It is housekeeping, not a check: failing to
// finish in time is only logged.
func pruneBuildCache(t *testing.T, cli *client.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), pruneTimeout)
	defer cancel()
	info, err := cli.Info(ctx)
	if err != nil {
		t.Logf("asking the engine for its storage driver: %v", err)
		return
	}
	if info.Driver != "vfs" {
		t.Logf("build cache left to scripts/test-env.sh (storage driver %s)", info.Driver)
		return
	}
	start := time.Now()
	rep, err := cli.BuildCachePrune(ctx, build.CachePruneOptions{All: true})
	if err != nil {
		t.Logf("pruning the build cache: %v", err)
		return
	}
	t.Logf("pruned %d MB of build cache in %v", rep.SpaceReclaimed>>20, time.Since(start).Round(time.Second))
}

// logs returns what the container wrote.
func logs(ctx context.Context, cli *client.Client, id string) string {
	rc, err := cli.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return fmt.Sprintf("(no logs: %v)", err)
	}
	defer rc.Close()
	var out, errOut strings.Builder
	if _, err := stdcopy.StdCopy(&out, &errOut, rc); err != nil {
		return fmt.Sprintf("(reading logs: %v)", err)
	}
	return out.String() + errOut.String()
}

// runOutput runs the image's own command with args appended as its CMD
// (none: the image's CMD) and returns its standard output once it exits
// with status 0.
func runOutput(t *testing.T, cli *client.Client, img string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), serveTimeout)
	defer cancel()
	c, err := cli.ContainerCreate(ctx, &container.Config{Image: img}, &container.HostConfig{NetworkMode: "none"}, nil, nil, "")
	if err != nil {
		t.Fatalf("creating a container of %s: %v", img, err)
	}
	defer testenv.RemoveContainer(t, cli, c.ID)
	if err := cli.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		t.Fatalf("starting a container of %s: %v", img, err)
	}
	waitC, errC := cli.ContainerWait(ctx, c.ID, container.WaitConditionNotRunning)
	select {
	case res := <-waitC:
		if res.StatusCode != 0 {
			t.Fatalf("%s exited with status %d:\n%s", img, res.StatusCode, logs(ctx, cli, c.ID))
		}
	case err := <-errC:
		t.Fatalf("waiting for %s: %v", img, err)
	}
	rc, err := cli.ContainerLogs(ctx, c.ID, container.LogsOptions{ShowStdout: true})
	if err != nil {
		t.Fatalf("reading the output of %s: %v", img, err)
	}
	defer rc.Close()
	var out strings.Builder
	if _, err := stdcopy.StdCopy(&out, io.Discard, rc); err != nil {
		t.Fatalf("reading the output of %s: %v", img, err)
	}
	return out.String()
}

// serve starts the image on the host network with env, waits until
// http://127.0.0.1:port/path answers 200, and returns the body. The
// container is removed before serve returns.
func serve(t *testing.T, cli *client.Client, img string, port int, path string, env []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), serveTimeout)
	defer cancel()
	c, err := cli.ContainerCreate(ctx, &container.Config{Image: img, Env: env}, &container.HostConfig{NetworkMode: "host"}, nil, nil, "")
	if err != nil {
		t.Fatalf("creating a container of %s: %v", img, err)
	}
	defer testenv.RemoveContainer(t, cli, c.ID)
	if err := cli.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		t.Fatalf("starting a container of %s: %v", img, err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + path
	hc := &http.Client{Timeout: 5 * time.Second}
	var last error
	for ctx.Err() == nil {
		insp, err := cli.ContainerInspect(ctx, c.ID)
		if err == nil && insp.State != nil && !insp.State.Running {
			t.Fatalf("%s exited (status %d) before answering on %s:\n%s", img, insp.State.ExitCode, url, logs(ctx, cli, c.ID))
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := hc.Do(req)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK {
				return string(body)
			}
			last = fmt.Errorf("%s answered %s: %s", url, resp.Status, body)
		} else {
			last = err
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("%s did not answer on %s within %v: %v\n%s", img, url, serveTimeout, last, logs(context.Background(), cli, c.ID))
	return ""
}

// freePort returns a TCP port nothing listens on at the moment.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// portFree reports whether nothing listens on port.
func portFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
