package build_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// writeFiles creates files (relative path -> content) under a new
// temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// engine returns the test Engine with busybox in it and a tracker whose
// cleanup runs when the test ends and must succeed.
func engine(t *testing.T) (*client.Client, *build.Tracker) {
	t.Helper()
	cli := testenv.Engine(t)
	testenv.RequireImage(t, testenv.BusyboxImage)
	tr := build.NewTracker(cli)
	t.Cleanup(func() {
		if err := tr.Cleanup(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return cli, tr
}

// privateBase tags busybox under a name of the test's own and returns it.
// BuildKit shares a step between builds that run at once, and a no-cache
// build elsewhere (another package's tests on the same Engine) then turns
// the cache off for this test's build of the same step too; a base image
// name no other build uses keeps the steps apart.
func privateBase(t *testing.T, cli *client.Client) string {
	t.Helper()
	ref := build.NewName("strata-test-base") + ":latest"
	if err := cli.ImageTag(t.Context(), testenv.BusyboxImage, ref); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The tag goes; busybox stays under its own name.
		if _, err := cli.ImageRemove(context.Background(), ref, image.RemoveOptions{}); err != nil {
			t.Errorf("removing the tag %s: %v", ref, err)
		}
	})
	return ref
}

func TestIntegrationBuildCountsCachedSteps(t *testing.T) {
	for _, builder := range []string{build.BuilderBuildKit, build.BuilderClassic} {
		t.Run(builder, func(t *testing.T) {
			cli, tr := engine(t)
			dir := writeFiles(t, map[string]string{
				"Dockerfile":    "FROM " + privateBase(t, cli) + "\nRUN echo one > /one\nCOPY app.txt /app.txt\nRUN cat /app.txt > /copy.txt\n",
				"app.txt":       "v1\n",
				"ignored.txt":   "not sent\n",
				".dockerignore": "ignored.txt\n",
			})
			name := build.NewName("strata-test")
			spec := build.Spec{ContextDir: dir, Dockerfile: filepath.Join(dir, "Dockerfile"), Builder: builder, Tracker: tr}

			var steps []string
			spec.Tag, spec.NoCache = name+":cold", true
			spec.Progress = func(s build.Step) { steps = append(steps, s.Name) }
			tr.Image(spec.Tag)
			cold, err := build.Build(t.Context(), cli, spec)
			if err != nil {
				t.Fatalf("cold build: %v", err)
			}
			if cold.Steps != 3 || cold.CachedSteps != 0 {
				t.Errorf("cold build: %d steps, %d cached; want 3, 0", cold.Steps, cold.CachedSteps)
			}
			if !strings.HasPrefix(cold.ImageID, "sha256:") || cold.Builder != builder || cold.Duration <= 0 {
				t.Errorf("cold build result: %+v", cold)
			}
			if len(steps) < 3 || !strings.Contains(strings.Join(steps, "\n"), "COPY app.txt /app.txt") {
				t.Errorf("progress saw steps %q", steps)
			}

			// New content every test run: BuildKit's cache outlives images.
			if err := os.WriteFile(filepath.Join(dir, "app.txt"), []byte("v2 "+build.NewName("x")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			spec.Tag, spec.NoCache, spec.Progress = name+":warm", false, nil
			tr.Image(spec.Tag)
			warm, err := build.Build(t.Context(), cli, spec)
			if err != nil {
				t.Fatalf("warm build: %v", err)
			}
			if warm.Steps != 3 || warm.CachedSteps != 1 {
				t.Errorf("warm build after a source change: %d steps, %d cached; want 3, 1", warm.Steps, warm.CachedSteps)
			}
			if warm.ImageID == cold.ImageID {
				t.Error("the warm build gave the cold build's image")
			}
			out, code := testenv.RunContainer(t, cli, spec.Tag, "sh", "-c", "cat /copy.txt; ls /ignored.txt 2>&1 || true")
			if code != 0 || !strings.HasPrefix(out, "v2 ") || !strings.Contains(out, "No such file") {
				t.Errorf("warm image: exit %d, output %q; want v2 and no ignored.txt", code, out)
			}
		})
	}
}

func TestIntegrationBuildFailureNamesTheStep(t *testing.T) {
	for _, builder := range []string{build.BuilderBuildKit, build.BuilderClassic} {
		t.Run(builder, func(t *testing.T) {
			cli, tr := engine(t)
			dir := writeFiles(t, map[string]string{
				"Dockerfile": "FROM " + privateBase(t, cli) + "\nRUN echo fine\nRUN echo first-words && echo last-words >&2 && exit 3\n",
			})
			tag := build.NewName("strata-test") + ":fail"
			tr.Image(tag)
			_, err := build.Build(t.Context(), cli, build.Spec{
				ContextDir: dir, Dockerfile: filepath.Join(dir, "Dockerfile"), Tag: tag, NoCache: true, Builder: builder, Tracker: tr,
			})
			var be *build.Error
			if !errors.As(err, &be) {
				t.Fatalf("Build = %v, want a *build.Error", err)
			}
			if !strings.Contains(be.Step, "RUN echo first-words") {
				t.Errorf("failing step = %q", be.Step)
			}
			log := strings.Join(be.Log, "\n")
			if !strings.Contains(log, "first-words") || !strings.Contains(log, "last-words") {
				t.Errorf("failing step's log = %q", be.Log)
			}
			if !strings.Contains(be.Detail(), "last-words") || !strings.Contains(be.Error(), "Dockerfile") {
				t.Errorf("error text: %s", be.Detail())
			}
		})
	}
}

// TestIntegrationCancelledBuildLeavesNothing cancels a build in its slow
// step and checks that cleanup leaves no image of it behind.
func TestIntegrationCancelledBuildLeavesNothing(t *testing.T) {
	for _, builder := range []string{build.BuilderBuildKit, build.BuilderClassic} {
		t.Run(builder, func(t *testing.T) {
			cli, tr := engine(t)
			start := time.Now().Add(-time.Second)
			// The first step's words are this build's own, so that the
			// images it left can be told from those of other packages'
			// tests building on the shared Engine at the same time.
			marker := build.NewName("cancel-step")
			dir := writeFiles(t, map[string]string{
				"Dockerfile": "FROM " + privateBase(t, cli) + "\nRUN echo " + marker + " > /step\nRUN sleep 30\n",
			})
			tag := build.NewName("strata-test") + ":cancel"
			tr.Image(tag)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			spec := build.Spec{ContextDir: dir, Dockerfile: filepath.Join(dir, "Dockerfile"), Tag: tag, NoCache: true, Builder: builder, Tracker: tr}
			spec.Progress = func(s build.Step) {
				if strings.Contains(s.Name, "sleep 30") {
					time.AfterFunc(500*time.Millisecond, cancel)
				}
			}
			began := time.Now()
			_, err := build.Build(ctx, cli, spec)
			if err == nil || !errors.Is(err, context.Canceled) {
				t.Fatalf("Build = %v, want a cancellation", err)
			}
			if d := time.Since(began); d > 20*time.Second {
				t.Errorf("the cancelled build took %s to return", d)
			}
			if err := tr.Cleanup(); err != nil {
				t.Fatal(err)
			}
			if _, err := cli.ImageInspect(context.Background(), tag); !errdefs.IsNotFound(err) {
				t.Errorf("image %s after cleanup: %v", tag, err)
			}
			// The classic builder's intermediate image of the finished step
			// is gone too. (Only images made since the test started count:
			// other packages' tests share the Engine.)
			if n := danglingImagesOf(t, cli, start, marker); n > 0 {
				t.Errorf("%d dangling image(s) made during the build remain after cleanup", n)
			}
		})
	}
}

// danglingImagesOf counts the dangling images made since start by a
// build step whose command holds marker.
func danglingImagesOf(t *testing.T, cli *client.Client, start time.Time, marker string) int {
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
		insp, err := cli.ImageInspect(t.Context(), img.ID)
		if err != nil {
			continue // removed meanwhile by another test's cleanup
		}
		var words []string
		if c := insp.ContainerConfig; c != nil {
			words = append(words, c.Cmd...)
		}
		if c := insp.Config; c != nil {
			words = append(words, c.Cmd...)
		}
		if strings.Contains(strings.Join(words, " "), marker) {
			n++
		}
	}
	return n
}

func TestIntegrationRun(t *testing.T) {
	cli, tr := engine(t)
	ctx := t.Context()
	// This test's containers carry a label value of their own: other
	// packages' tests share the Engine and start containers meanwhile.
	by := "strata test " + build.NewName("run")

	t.Run("until exit", func(t *testing.T) {
		res, err := build.Run(ctx, cli, build.RunSpec{Image: testenv.BusyboxImage, Cmd: []string{"sh", "-c", "sleep 0.3; exit 4"}, Tracker: tr, CreatedBy: by})
		if err != nil {
			t.Fatal(err)
		}
		if res.Until != build.UntilExit || res.ExitCode != 4 || res.Duration < 300*time.Millisecond || res.Duration > 10*time.Second {
			t.Errorf("result %+v", res)
		}
	})

	t.Run("until a log line", func(t *testing.T) {
		res, err := build.Run(ctx, cli, build.RunSpec{
			Image: testenv.BusyboxImage, Cmd: []string{"sh", "-c", "echo starting; sleep 0.5; echo 'server ready on 8080' >&2; sleep 60"},
			ReadyLog: regexp.MustCompile(`ready on \d+`), Tracker: tr, CreatedBy: by,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Until != build.UntilLog || res.Line != "server ready on 8080" || res.Duration < 500*time.Millisecond || res.Duration > 10*time.Second {
			t.Errorf("result %+v", res)
		}
	})

	t.Run("until a port answers", func(t *testing.T) {
		port := freePort(t)
		res, err := build.Run(ctx, cli, build.RunSpec{
			Image: testenv.BusyboxImage, Cmd: []string{"sh", "-c", fmt.Sprintf("sleep 0.5; exec httpd -f -p 127.0.0.1:%d", port)},
			ReadyPort: port, Tracker: tr, CreatedBy: by,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Until != build.UntilPort || res.Duration < 500*time.Millisecond || res.Duration > 10*time.Second {
			t.Errorf("result %+v", res)
		}
	})

	t.Run("timeout", func(t *testing.T) {
		start := time.Now()
		_, err := build.Run(ctx, cli, build.RunSpec{
			Image: testenv.BusyboxImage, Cmd: []string{"sh", "-c", "echo waiting; sleep 60"},
			ReadyLog: regexp.MustCompile(`never`), Timeout: time.Second, Tracker: tr, CreatedBy: by,
		})
		var re *build.RunError
		if !errors.As(err, &re) || !re.Timeout {
			t.Fatalf("Run = %v, want a timeout", err)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("timeout of 1s took %s", d)
		}
		if !strings.Contains(strings.Join(re.Log, "\n"), "waiting") {
			t.Errorf("log of the timed-out container: %q", re.Log)
		}
	})

	t.Run("exits before ready", func(t *testing.T) {
		_, err := build.Run(ctx, cli, build.RunSpec{
			Image: testenv.BusyboxImage, Cmd: []string{"sh", "-c", "echo oops; exit 1"},
			ReadyLog: regexp.MustCompile(`ready`), Tracker: tr, CreatedBy: by,
		})
		var re *build.RunError
		if !errors.As(err, &re) || re.Timeout || !strings.Contains(re.Reason, "exited with status 1") {
			t.Fatalf("Run = %v, want an early exit", err)
		}
	})

	t.Run("unknown image", func(t *testing.T) {
		_, err := build.Run(ctx, cli, build.RunSpec{Image: "strata-test/no-such-image:none", Tracker: tr, CreatedBy: by})
		if err == nil || !strings.Contains(err.Error(), "strata-test/no-such-image:none") {
			t.Fatalf("Run = %v, want an error naming the image", err)
		}
	})

	// Every container Run made is gone.
	list, err := cli.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Labels[build.LabelCreatedBy] == by {
			t.Errorf("container %s (%v) was left behind", c.ID, c.Names)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
