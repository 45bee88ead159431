package e2e

import (
	"archive/tar"
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
	"github.com/docker/docker/pkg/stdcopy"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// Engine helpers for the examples test: builds that report their output
// and timing and honour .dockerignore as the docker CLI does, and
// containers on the host network.

const (
	buildTimeout   = 20 * time.Minute
	serveTimeout   = 90 * time.Second
	cleanupTimeout = 2 * time.Minute
)

// buildResult is one image build.
type buildResult struct {
	ID       string
	Size     int64
	Duration time.Duration
	Output   string
	Steps    []buildStep
}

// buildStep is one step of a classic-builder build.
type buildStep struct {
	Instruction string // as the builder prints it: "RUN apt-get update"
	Cached      bool
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

// buildImage builds the context directory dir (its Dockerfile, with its
// .dockerignore applied) with the classic builder on the host network,
// tags it tag, and removes the image when the test ends.
func buildImage(t *testing.T, cli *client.Client, dir, tag string) buildResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeContext(pw, dir)) }()
	defer pr.Close()

	start := time.Now()
	resp, err := cli.ImageBuild(ctx, pr, build.ImageBuildOptions{
		Tags:        []string{tag},
		Dockerfile:  "Dockerfile",
		NetworkMode: "host",
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		t.Fatalf("building %s: %v", tag, err)
	}
	defer resp.Body.Close()
	out, err := readBuild(resp.Body)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("building %s from %s: %v\nbuild output:\n%s", tag, dir, err, tail(out, 60))
	}
	insp, err := cli.ImageInspect(ctx, tag)
	if err != nil {
		t.Fatalf("inspecting %s after its build: %v", tag, err)
	}
	t.Cleanup(func() { removeImage(t, cli, insp.ID) })
	return buildResult{ID: insp.ID, Size: insp.Size, Duration: elapsed, Output: out, Steps: parseSteps(out)}
}

// readBuild reads the build's JSON message stream and returns its text,
// or the error the build reported.
func readBuild(r io.Reader) (string, error) {
	var out strings.Builder
	dec := json.NewDecoder(r)
	for {
		var m struct {
			Stream      string `json:"stream"`
			Error       string `json:"error"`
			ErrorDetail *struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out.String(), nil
		}
		if err != nil {
			return out.String(), fmt.Errorf("reading the build output: %w", err)
		}
		out.WriteString(m.Stream)
		msg := m.Error
		if msg == "" && m.ErrorDetail != nil {
			msg = m.ErrorDetail.Message
		}
		if msg != "" {
			return out.String(), fmt.Errorf("the build failed: %s", msg)
		}
	}
}

// parseSteps reads "Step N/M : INSTRUCTION" lines and whether the
// builder answered " ---> Using cache" for each.
func parseSteps(out string) []buildStep {
	var steps []buildStep
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "Step ") {
			if _, ins, ok := strings.Cut(line, " : "); ok {
				steps = append(steps, buildStep{Instruction: ins})
			}
			continue
		}
		if strings.TrimSpace(line) == "---> Using cache" && len(steps) > 0 {
			steps[len(steps)-1].Cached = true
		}
	}
	return steps
}

// writeContext writes dir as a build context tar stream, leaving out
// what its .dockerignore excludes (the Dockerfile and .dockerignore are
// always sent, as the docker CLI does).
func writeContext(w io.Writer, dir string) error {
	var pm *patternmatcher.PatternMatcher
	if f, err := os.Open(filepath.Join(dir, ".dockerignore")); err == nil {
		pats, err := ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("reading %s/.dockerignore: %w", dir, err)
		}
		if pm, err = patternmatcher.New(pats); err != nil {
			return fmt.Errorf("%s/.dockerignore: %w", dir, err)
		}
	}
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if pm != nil && rel != "Dockerfile" && rel != ".dockerignore" {
			skip, err := pm.MatchesOrParentMatches(rel)
			if err != nil {
				return fmt.Errorf("matching %s against .dockerignore: %w", rel, err)
			}
			if skip {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		hdr.Name = rel
		if d.IsDir() {
			hdr.Name += "/"
		}
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		return fmt.Errorf("archiving the build context %s: %w", dir, err)
	}
	return nil
}

func removeImage(t *testing.T, cli *client.Client, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	_, err := cli.ImageRemove(ctx, id, image.RemoveOptions{Force: true, PruneChildren: true})
	if err != nil && !errdefs.IsNotFound(err) {
		t.Errorf("removing image %s: %v", id, err)
	}
}

func removeContainer(t *testing.T, cli *client.Client, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	err := cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !errdefs.IsNotFound(err) {
		t.Errorf("removing container %s: %v", id, err)
	}
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
	defer removeContainer(t, cli, c.ID)
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
	defer removeContainer(t, cli, c.ID)
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

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
