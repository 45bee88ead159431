package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/testenv"
)

// busyboxLinks has a symbolic link in a RUN layer: the Engine's BuildKit
// leaves links out of the sizes it records, which strata must not show.
const busyboxLinks = `FROM busybox:latest
RUN echo one > /one && ln -s /one /one-link && mkdir /data && head -c 100000 /dev/zero > /data/zeros
COPY app.txt /srv/app.txt
RUN wc -c /srv/app.txt > /srv/size.txt
CMD ["cat", "/srv/size.txt"]
`

// builderRun is one way of building, as strata measure's flags say it.
type builderRun struct {
	name string
	args []string
}

// The same Dockerfile measured on the Engine (BuildKit and classic) and
// on the standalone buildkitd (loading into the Engine over its unix
// socket and over TCP with mutual TLS, and pushing to the registry) gives
// the same size and layers, and BuildKit's cached steps agree.
func TestIntegrationMeasureBuildersAgree(t *testing.T) {
	measureEngine(t)
	host := testenv.BuildKitHost(t)
	tcp, tlsFiles := testenv.BuildKitTCP(t)
	reg := testenv.Registry(t)
	push := reg + "/" + build.NewName("measure-test")
	runs := []builderRun{
		{"engine buildkit", []string{"--builder", build.BuilderBuildKit}},
		{"engine classic", []string{"--builder", build.BuilderClassic}},
		{"buildkitd unix (load)", []string{"--builder", host}},
		{"buildkitd tcp+tls (load)", []string{"--builder", tcp, "--tls-cacert", tlsFiles.CACert, "--tls-cert", tlsFiles.Cert, "--tls-key", tlsFiles.Key}},
		{"buildkitd unix (push)", []string{"--builder", host, "--push", push}},
	}
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", busyboxLinks)
	writeFile(t, dir, "app.txt", "hello\n")
	ms := make([]*measure.Measurement, len(runs))
	for i, br := range runs {
		args := append([]string{"measure", "--format", "json", "--network", "host"}, br.args...)
		ms[i] = decodeMeasurement(t, mustRun(t, 0, append(args, dir)...))
	}
	ref := ms[0]
	t.Logf("%-26s %10s %10s %6s %12s %8s %8s", "builder", "size", "compressed", "layers", "warm cached", "cold s", "warm s")
	for i, m := range ms {
		t.Logf("%-26s %10d %10d %6d %9d/%d %8.3f %8.3f", runs[i].name, m.Size, m.CompressedSize, m.LayerCount, m.Warm.CachedSteps, m.Warm.Steps, m.ColdBuild.Median, m.WarmBuild.Median)
		if m.Size != ref.Size || m.LayerCount != ref.LayerCount {
			t.Errorf("%s: size %d, %d layers; %s: %d, %d", runs[i].name, m.Size, m.LayerCount, runs[0].name, ref.Size, ref.LayerCount)
		}
		// Tar headers differ between builders (timestamps, the parent
		// directories a step lists); the compressed size follows.
		if d := math.Abs(float64(m.CompressedSize - ref.CompressedSize)); d > 0.01*float64(ref.CompressedSize) {
			t.Errorf("%s: compressed %d, %s %d", runs[i].name, m.CompressedSize, runs[0].name, ref.CompressedSize)
		}
		if m.StartupExitCode == nil || *m.StartupExitCode != 0 {
			t.Errorf("%s: start-up %+v (%s)", runs[i].name, m.StartupExitCode, m.StartupError)
		}
		if i == 1 {
			continue // the classic builder counts CMD as a step
		}
		if m.Warm == nil || m.Warm.Steps != 3 || m.Warm.CachedSteps != 1 {
			t.Errorf("%s: warm rebuild %+v, want 1 of 3 steps cached", runs[i].name, m.Warm)
		}
	}
	for _, m := range ms[2:] {
		if m.Builder != build.BuilderDaemon || m.BuilderAddress == "" || !strings.Contains(strings.Join(m.Notes, "\n"), "BuildKit daemon") {
			t.Errorf("builder %q at %q, notes %q", m.Builder, m.BuilderAddress, m.Notes)
		}
	}
	// What was pushed is gone from the registry.
	repo, err := name.NewRepository(push + "/" + engineImagePrefix())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := remote.Catalog(t.Context(), repo.Registry)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cat {
		if !strings.HasPrefix(r, strings.TrimPrefix(push, reg+"/")+"/") {
			continue
		}
		tags, err := remote.List(repo.Registry.Repo(r))
		if err == nil && len(tags) > 0 {
			t.Errorf("the registry still holds %s:%v", r, tags)
		}
	}
}

func engineImagePrefix() string { return "strata-measure" }

// BUILDKIT_HOST names the daemon when --builder is auto.
func TestIntegrationMeasureBuildKitHost(t *testing.T) {
	measureEngine(t)
	host := testenv.BuildKitHost(t)
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", busyboxApp)
	writeFile(t, dir, "app.txt", "hello\n")
	r := runStrata(t, "", map[string]string{build.EnvBuildKitHost: host}, false, "measure", "--format", "json", "--no-startup", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	m := decodeMeasurement(t, r)
	if m.Builder != build.BuilderDaemon || m.BuilderAddress != host || !strings.Contains(strings.Join(m.Notes, "\n"), build.EnvBuildKitHost) {
		t.Errorf("builder %q at %q; notes %q", m.Builder, m.BuilderAddress, m.Notes)
	}
	// --builder buildkit is the Engine's, whatever BUILDKIT_HOST says.
	r = runStrata(t, "", map[string]string{build.EnvBuildKitHost: host}, false, "measure", "--format", "json", "--no-startup", "--builder", "buildkit", dir)
	if m := decodeMeasurement(t, r); m.Builder != build.BuilderBuildKit {
		t.Errorf("--builder buildkit with BUILDKIT_HOST set built on %q", m.Builder)
	}
}

// docker-container://NAME reaches the daemon through buildctl dial-stdio
// in a container, as buildx's docker-container driver does; kube-pod://POD
// through kubectl exec into the pod, as buildx's kubernetes driver does.
// There is no cluster here: the kubectl on PATH is a stand-in that runs
// the same dial-stdio in the container, and records the arguments BuildKit's
// client gave it (context, namespace, container, pod).
func TestIntegrationMeasureDockerContainer(t *testing.T) {
	engine := measureEngine(t)
	host := testenv.BuildKitHost(t)
	buildctl := testenv.Buildctl(t)
	sock := strings.TrimPrefix(host, "unix://")
	nameC := build.NewName("strata-test-buildkit")
	ctx := context.Background()
	_, err := engine.ContainerCreate(ctx,
		&container.Config{Image: testenv.BusyboxImage, Cmd: []string{"sleep", "3600"}, Env: []string{"BUILDKIT_HOST=unix:///run/buildkit/buildkitd.sock"}},
		&container.HostConfig{NetworkMode: "none", Mounts: []mount.Mount{
			{Type: mount.TypeBind, Source: filepath.Dir(sock), Target: "/run/buildkit-dir"},
			{Type: mount.TypeBind, Source: buildctl, Target: "/usr/local/bin/buildctl", ReadOnly: true},
		}}, nil, nil, nameC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { testenv.RemoveContainer(t, engine, nameC) })
	if err := engine.ContainerStart(ctx, nameC, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	// The socket's folder is mounted; link the socket where buildctl
	// looks.
	if out, code := execIn(t, nameC, "sh", "-c", fmt.Sprintf("mkdir -p /run/buildkit && ln -s /run/buildkit-dir/%s /run/buildkit/buildkitd.sock", filepath.Base(sock))); code != 0 {
		t.Fatalf("linking the socket: %s", out)
	}
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", busyboxLinks)
	writeFile(t, dir, "app.txt", "hello\n")
	m := decodeMeasurement(t, mustRun(t, 0, "measure", "--format", "json", "--no-startup", "--builder", "docker-container://"+nameC, dir))
	e := decodeMeasurement(t, mustRun(t, 0, "measure", "--format", "json", "--no-startup", "--builder", host, dir))
	if m.Size != e.Size || m.Warm.CachedSteps != e.Warm.CachedSteps || m.BuilderAddress != "docker-container://"+nameC {
		t.Errorf("docker-container: size %d cached %d at %q; unix: size %d cached %d", m.Size, m.Warm.CachedSteps, m.BuilderAddress, e.Size, e.Warm.CachedSteps)
	}

	docker := os.Getenv("STRATA_DOCKER_CLI")
	if docker == "" {
		docker = "docker"
	}
	bin, log := t.TempDir(), filepath.Join(t.TempDir(), "kubectl.log")
	writeFile(t, bin, "kubectl", `#!/bin/sh
echo "$@" >> `+log+`
prev=
for a do
	[ "$a" = -- ] && break
	prev=$a
done
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
shift
exec `+docker+` exec -i "$prev" "$@"
`)
	if err := os.Chmod(filepath.Join(bin, "kubectl"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	addr := "kube-pod://" + nameC + "?namespace=ci&context=builders&container=buildkitd"
	k := decodeMeasurement(t, mustRun(t, 0, "measure", "--format", "json", "--no-startup", "--builder", addr, dir))
	if k.Size != e.Size || k.Warm.CachedSteps != e.Warm.CachedSteps || k.BuilderAddress != addr {
		t.Errorf("kube-pod: size %d cached %d at %q; unix: size %d cached %d", k.Size, k.Warm.CachedSteps, k.BuilderAddress, e.Size, e.Warm.CachedSteps)
	}
	args, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := "--context=builders --namespace=ci exec --container=buildkitd -i " + nameC + " -- buildctl dial-stdio"
	if !strings.Contains(string(args), want) {
		t.Errorf("kubectl ran with %q, want %q", args, want)
	}
}

// Addresses and settings that cannot work are refused with exit 2 and a
// message naming them; nothing is built.
func TestIntegrationMeasureDaemonErrors(t *testing.T) {
	measureEngine(t)
	host := testenv.BuildKitHost(t)
	tcp, _ := testenv.BuildKitTCP(t)
	dir := t.TempDir()
	writeFile(t, dir, "Dockerfile", busyboxApp)
	writeFile(t, dir, "app.txt", "hello\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--builder", "ssh://host"}, `unknown scheme "ssh"`},
		{[]string{"--builder", "unix:///nonexistent/buildkitd.sock"}, "unix:///nonexistent/buildkitd.sock"},
		{[]string{"--builder", tcp}, tcp},
		{[]string{"--builder", host, "--tls-cacert", "/nonexistent.pem"}, "tcp:// addresses only"},
		{[]string{"--push", "127.0.0.1:5000"}, "--push needs a BuildKit daemon"},
		{[]string{"--builder", "kube-pod://buildkitd-0?namespace=ci"}, "kube-pod://buildkitd-0"},
		{[]string{"--builder", host, "--network", "bridge"}, "--network \"bridge\""},
	} {
		r := runStrata(t, "", nil, false, append(append([]string{"measure", "--no-startup"}, c.args...), dir)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q in:\n%s", c.args, r.code, c.want, r.stderr)
		}
	}
}
