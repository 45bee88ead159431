package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/measure/engine"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

// measureEngine returns the test Engine with the busybox image, and checks
// when the test ends that strata measure left nothing behind.
func measureEngine(t *testing.T) *client.Client {
	t.Helper()
	cli := testenv.Engine(t)
	testenv.RequireImage(t, testenv.BusyboxImage)
	t.Cleanup(func() { assertNoLeftovers(t, cli) })
	return cli
}

// assertNoLeftovers fails the test if an image strata measure built or a
// container it started still exists.
func assertNoLeftovers(t *testing.T, cli *client.Client) {
	t.Helper()
	ctx := context.Background()
	imgs, err := cli.ImageList(ctx, image.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("reference", engine.ImageNamePrefix+"-*"))})
	if err != nil {
		t.Fatalf("listing images: %v", err)
	}
	for _, img := range imgs {
		t.Errorf("image %v (%s) was left behind", img.RepoTags, img.ID)
	}
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", build.LabelCreatedBy+"="+engine.ContainerLabel))})
	if err != nil {
		t.Fatalf("listing containers: %v", err)
	}
	for _, c := range cs {
		t.Errorf("container %v (%s) was left behind", c.Names, c.ID)
	}
}

func decodeMeasurement(t *testing.T, r result) *measure.Measurement {
	t.Helper()
	var m measure.Measurement
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("decoding the JSON output: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	return &m
}

func decodeComparison(t *testing.T, r result) *measure.Comparison {
	t.Helper()
	var c measure.Comparison
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatalf("decoding the JSON output: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	return &c
}

// mustRun runs strata and fails the test unless it exits with code.
func mustRun(t *testing.T, code int, args ...string) result {
	t.Helper()
	r := runStrata(t, "", nil, false, args...)
	if r.code != code {
		t.Fatalf("strata %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

func checkStats(t *testing.T, name string, s *measure.Stats, runs int, lo, hi float64) {
	t.Helper()
	switch {
	case s == nil:
		t.Errorf("%s: not measured", name)
	case len(s.Samples) != runs:
		t.Errorf("%s: %d samples, want %d", name, len(s.Samples), runs)
	case s.Min > s.Median || s.Median > s.Max:
		t.Errorf("%s: min %v median %v max %v out of order", name, s.Min, s.Median, s.Max)
	case s.Min < lo || s.Max > hi:
		t.Errorf("%s: samples %v outside [%v, %v]", name, s.Samples, lo, hi)
	}
}

const busyboxApp = `FROM busybox:latest
RUN echo one > /one
COPY app.txt /srv/app.txt
RUN wc -c /srv/app.txt > /srv/size.txt
CMD ["cat", "/srv/size.txt"]
`

func TestIntegrationMeasureBusybox(t *testing.T) {
	measureEngine(t)
	for _, builder := range []string{build.BuilderBuildKit, build.BuilderClassic} {
		t.Run(builder, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "Dockerfile", busyboxApp)
			writeFile(t, dir, "app.txt", "hello\n")
			writeFile(t, dir, "notes.md", "not copied\n")
			runs := map[string]int{build.BuilderBuildKit: 2, build.BuilderClassic: 1}[builder]
			r := mustRun(t, 0, "measure", "--format", "json", "--runs", fmt.Sprint(runs), "--builder", builder, dir)
			if r.stderr != "" {
				t.Errorf("stderr on a non-terminal: %q", r.stderr)
			}
			m := decodeMeasurement(t, r)
			t.Logf("busybox (%s): cold %v s, warm %v s, size %d, compressed %d, layers %d, start-up %v s",
				builder, m.ColdBuild.Samples, m.WarmBuild.Samples, m.Size, m.CompressedSize, m.LayerCount, m.Startup.Samples)
			if m.Builder != builder || m.Kind != measure.SubjectDockerfile || m.Runs != runs || !strings.HasPrefix(m.ImageID, "sha256:") {
				t.Errorf("header: %+v", m)
			}
			checkStats(t, "cold build", m.ColdBuild, runs, 0.01, 120)
			checkStats(t, "warm rebuild", m.WarmBuild, runs, 0.01, 120)
			checkStats(t, "start-up", m.Startup, runs, 0.001, 30)
			// BuildKit runs RUN, COPY, RUN; the classic builder also counts
			// CMD as a step.
			steps := map[string]int{build.BuilderBuildKit: 3, build.BuilderClassic: 4}[builder]
			if m.Warm == nil || m.Warm.Touched != "app.txt" || m.Warm.Steps != steps || m.Warm.CachedSteps != 1 {
				t.Errorf("warm rebuild: %+v; want app.txt changed, 1 of %d steps cached", m.Warm, steps)
			}
			if m.StartupUntil != build.UntilExit || m.StartupExitCode == nil || *m.StartupExitCode != 0 {
				t.Errorf("start-up until %q, exit %v", m.StartupUntil, m.StartupExitCode)
			}
			// busybox-static is about 2 MB; the app adds a few bytes.
			if m.Size < 1_000_000 || m.Size > 5_000_000 || m.CompressedSize <= 0 || m.CompressedSize >= m.Size {
				t.Errorf("size %d, compressed %d", m.Size, m.CompressedSize)
			}
			if m.LayerCount != 4 || len(m.Layers) != 4 || !m.Layers[0].Base || !strings.HasPrefix(m.Layers[2].CreatedBy, "COPY ") {
				t.Errorf("layers %d: %+v", m.LayerCount, m.Layers)
			}
			var sum int64
			for _, l := range m.Layers {
				sum += l.CompressedSize
			}
			if sum != m.CompressedSize {
				t.Errorf("compressed layers sum to %d, total %d", sum, m.CompressedSize)
			}
			if !m.Root || !hasRule(m.LintFindings, "DL3007") || !hasRule(m.ImageFindings, "SI030") {
				t.Errorf("root %v, lint %v, image %v", m.Root, ruleIDs(m.LintFindings), ruleIDs(m.ImageFindings))
			}
		})
	}

	t.Run("text", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "Dockerfile", busyboxApp)
		writeFile(t, dir, "app.txt", "hello\n")
		r := mustRun(t, 0, "measure", "--touch", "app.txt", dir)
		for _, want := range []string{"builder: buildkit", "cold build", "warm rebuild", "app.txt changed; 1 of 3 steps from cache", "image size", "compressed", "start-up", "until exit, status 0", "Layers", "COPY app.txt /srv/app.txt", "Lint findings", "DL3007"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("text output lacks %q:\n%s", want, r.stdout)
			}
		}
	})
}

func hasRule(fs []vocab.Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

func ruleIDs(fs []vocab.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func TestIntegrationMeasureDebian(t *testing.T) {
	cli := measureEngine(t)
	testenv.RequireImage(t, testenv.DebianImage)
	base, err := cli.ImageInspect(t.Context(), testenv.DebianImage)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// One layer on the base: on the test Engine's vfs driver every layer
	// copies the whole Debian root.
	writeFile(t, dir, "Dockerfile", `FROM debian:bookworm
COPY --chown=nobody hello.sh /opt/hello.sh
USER nobody
CMD ["bash", "/opt/hello.sh"]
`)
	writeFile(t, dir, "hello.sh", "echo \"hello from $(id -un)\"\n")
	// The strata binary, built without the race detector: compressing a
	// Debian root under it takes a minute.
	m := decodeMeasurement(t, runBinary(t, strataBinary(t), 0, "measure", "--format", "json", dir))
	t.Logf("debian: cold %.3f s, warm %.3f s (%d of %d cached), size %d (base %d), compressed %d, layers %d, start-up %.3f s",
		m.ColdBuild.Median, m.WarmBuild.Median, m.Warm.CachedSteps, m.Warm.Steps, m.Size, base.Size, m.CompressedSize, m.LayerCount, m.Startup.Median)
	checkStats(t, "cold build", m.ColdBuild, 1, 0.01, 300)
	checkStats(t, "warm rebuild", m.WarmBuild, 1, 0.01, 300)
	checkStats(t, "start-up", m.Startup, 1, 0.001, 30)
	if m.Warm.Touched != "hello.sh" || m.Warm.Steps != 1 || m.Warm.CachedSteps != 0 {
		t.Errorf("warm rebuild %+v: want hello.sh changed and its COPY run again", m.Warm)
	}
	// The image is the base plus a small script.
	if m.Size < base.Size || m.Size > base.Size+2_000_000 {
		t.Errorf("size %d, base %d", m.Size, base.Size)
	}
	if m.CompressedSize < base.Size/5 || m.CompressedSize > base.Size/2 {
		t.Errorf("compressed %d of a %d-byte image: gzip of a Debian root is about a third", m.CompressedSize, m.Size)
	}
	if m.Root || m.User != "nobody" || m.LayerCount != 2 {
		t.Errorf("user %q root %v layers %d", m.User, m.Root, m.LayerCount)
	}
	if m.StartupExitCode == nil || *m.StartupExitCode != 0 {
		t.Errorf("start-up exit %v", m.StartupExitCode)
	}
}

// within reports whether got is want ± tolerance (a fraction of want).
func within(got, want int64, tolerance float64) bool {
	return math.Abs(float64(got-want)) <= tolerance*float64(want)
}
