package testenv

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
	"github.com/docker/docker/pkg/stdcopy"

	strbuild "github.com/stratatools/strata/internal/build"
)

const (
	buildTimeout   = 15 * time.Minute
	runTimeout     = 5 * time.Minute
	cleanupTimeout = 2 * time.Minute
)

// BuildImage builds dockerfile (the Dockerfile's text) with the engine's
// classic builder, host networking, and the files under contextDir as the
// build context ("" for none), and tags the result tag. The Dockerfile goes
// into the context as "Dockerfile", replacing any file of that name at its
// root; .dockerignore is not applied. It returns the image ID and removes
// the image when the test ends. A failed build fails the test with the
// build's output.
func BuildImage(t testing.TB, cli *client.Client, contextDir, dockerfile, tag string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()

	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(writeContext(pw, contextDir, dockerfile))
	}()
	defer pr.Close()

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
	output, err := ReadStream(resp.Body)
	if err != nil {
		t.Fatalf("building %s: %v\nbuild output:\n%s", tag, err, output)
	}

	inspect, err := cli.ImageInspect(ctx, tag)
	if err != nil {
		t.Fatalf("building %s: the build reported success but: %v\nbuild output:\n%s", tag, err, output)
	}
	id := inspect.ID
	t.Cleanup(func() { RemoveBuilt(t, cli, tag, id) })
	return id
}

// RemoveBuilt removes what a test's build made: its tag, then the image
// id if no other tag is left on it. Packages test in parallel on one
// engine, and two builds of the same Dockerfile running at once can share
// BuildKit's work and end as one image with two tags; removing that image
// by its ID, forced, would take the other test's tag and image with it.
func RemoveBuilt(t testing.TB, cli *client.Client, tag, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if _, err := cli.ImageRemove(ctx, tag, image.RemoveOptions{PruneChildren: true}); err != nil && !errdefs.IsNotFound(err) && !errdefs.IsConflict(err) {
		t.Errorf("removing image %s: %v", tag, err)
	}
	insp, err := cli.ImageInspect(ctx, id)
	switch {
	case errdefs.IsNotFound(err):
		return
	case err != nil:
		t.Errorf("inspecting image %s: %v", id, err)
		return
	case len(insp.RepoTags) > 0:
		return // another test's tag: its image
	}
	RemoveImage(t, cli, id)
}

// RemoveImage deletes the image id and the tags on it; one already gone is
// fine, and one a running container uses is logged and left.
func RemoveImage(t testing.TB, cli *client.Client, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	_, err := cli.ImageRemove(ctx, id, image.RemoveOptions{Force: true, PruneChildren: true})
	switch {
	case err == nil || errdefs.IsNotFound(err):
	case errdefs.IsConflict(err):
		// Packages test in parallel on one engine, and two builds of the
		// same Dockerfile running at once can share BuildKit's work and
		// end as the same image: another test's container may be running
		// it. The image is that test's to remove.
		t.Logf("image %s left to the test whose container runs it: %v", id, err)
	default:
		t.Errorf("removing image %s: %v", id, err)
	}
}

// buildMessage is one message of the JSON stream the build endpoint sends.
type buildMessage struct {
	Stream      string `json:"stream"`
	Status      string `json:"status"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

// ReadStream reads a JSON message stream of the engine (a build's or an
// image import's) to its end and returns its text, or the error it
// reported.
func ReadStream(r io.Reader) (string, error) {
	var out strings.Builder
	dec := json.NewDecoder(r)
	for {
		var m buildMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out.String(), nil
		}
		if err != nil {
			return out.String(), fmt.Errorf("reading the build's output: %w", err)
		}
		out.WriteString(m.Stream)
		if m.Status != "" {
			out.WriteString(m.Status + "\n")
		}
		msg := m.Error
		if msg == "" && m.ErrorDetail != nil {
			msg = m.ErrorDetail.Message
		}
		if msg != "" {
			return out.String(), fmt.Errorf("the engine reported: %s", msg)
		}
	}
}

// writeContext writes the build context as a tar stream: the tree under dir
// (none if dir is "") and dockerfile as "Dockerfile".
func writeContext(w io.Writer, dir, dockerfile string) error {
	tw := tar.NewWriter(w)
	if dir != "" {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			if rel == "." || rel == "Dockerfile" {
				return nil
			}
			return strbuild.WriteTarEntry(tw, path, filepath.ToSlash(rel))
		})
		if err != nil {
			return fmt.Errorf("archiving the build context %s: %w", dir, err)
		}
	}
	err := tw.WriteHeader(&tar.Header{
		Name:     "Dockerfile",
		Mode:     0o644,
		Size:     int64(len(dockerfile)),
		Typeflag: tar.TypeReg,
		ModTime:  time.Unix(0, 0),
	})
	if err == nil {
		_, err = io.WriteString(tw, dockerfile)
	}
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		return fmt.Errorf("archiving the build context: %w", err)
	}
	return nil
}

// RunContainer runs cmd in a new container of image, with no network, waits
// for it to exit, and returns what it wrote to standard output and its exit
// code. The container is removed afterwards; its standard error is logged.
func RunContainer(t testing.TB, cli *client.Client, image string, cmd ...string) (stdout string, exitCode int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), runTimeout)
	defer cancel()

	created, err := cli.ContainerCreate(ctx,
		&container.Config{Image: image, Cmd: cmd},
		&container.HostConfig{NetworkMode: "none"},
		nil, nil, "")
	if err != nil {
		t.Fatalf("creating a container of %s: %v", image, err)
	}
	defer RemoveContainer(t, cli, created.ID)

	if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		t.Fatalf("starting a container of %s: %v", image, err)
	}
	waitC, errC := cli.ContainerWait(ctx, created.ID, container.WaitConditionNotRunning)
	select {
	case res := <-waitC:
		if res.Error != nil {
			t.Fatalf("waiting for the container of %s: %s", image, res.Error.Message)
		}
		exitCode = int(res.StatusCode)
	case err := <-errC:
		t.Fatalf("waiting for the container of %s: %v", image, err)
	}

	logs, err := cli.ContainerLogs(ctx, created.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatalf("reading the output of the container of %s: %v", image, err)
	}
	defer logs.Close()
	var out, errOut bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errOut, logs); err != nil {
		t.Fatalf("reading the output of the container of %s: %v", image, err)
	}
	if errOut.Len() > 0 {
		t.Logf("%s %q wrote to stderr:\n%s", image, cmd, errOut.String())
	}
	return out.String(), exitCode
}

// RemoveContainer removes the container id, running or not; one already
// gone is fine.
func RemoveContainer(t testing.TB, cli *client.Client, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	err := cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !errdefs.IsNotFound(err) {
		t.Errorf("removing container %s: %v", id, err)
	}
}

// DanglingImagesSince counts the untagged images created since start
// whose history holds marker (a string of the test's own Dockerfile):
// other packages' tests share the engine and make untagged images of
// their own at the same time.
func DanglingImagesSince(t testing.TB, cli *client.Client, start time.Time, marker string) int {
	t.Helper()
	imgs, err := cli.ImageList(t.Context(), image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("dangling", "true"))})
	if err != nil {
		t.Fatalf("listing dangling images: %v", err)
	}
	n := 0
	for _, img := range imgs {
		if !time.Unix(img.Created, 0).After(start) {
			continue
		}
		hist, err := cli.ImageHistory(t.Context(), img.ID)
		if err != nil {
			continue // removed since it was listed
		}
		for _, h := range hist {
			if strings.Contains(h.CreatedBy, marker) {
				n++
				break
			}
		}
	}
	return n
}
