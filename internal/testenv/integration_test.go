package testenv_test

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/stratatools/strata/internal/testenv"
)

// TestIntegrationBuildRunPushPull proves the whole chain on the real parts:
// build on debian:bookworm with an apt-get install, run the result, push it
// to the registry, and read it back.
func TestIntegrationBuildRunPushPull(t *testing.T) {
	cli := testenv.Engine(t)
	testenv.RequireImage(t, testenv.DebianImage)
	reg := testenv.Registry(t)

	dockerfile := fmt.Sprintf(`FROM %s
RUN apt-get update \
 && apt-get install -y --no-install-recommends hello \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY greeting.txt /etc/greeting.txt
CMD ["hello"]
`, testenv.DebianImage)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "greeting.txt"), []byte("from the build context\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("strata-test/hello:%d", time.Now().UnixNano())
	id := testenv.BuildImage(t, cli, dir, dockerfile, tag)

	out, code := testenv.RunContainer(t, cli, tag)
	if code != 0 || out != "Hello, world!\n" {
		t.Fatalf("running %s: exit %d, output %q; want exit 0, %q", tag, code, out, "Hello, world!\n")
	}
	out, code = testenv.RunContainer(t, cli, tag, "sh", "-c", "cat /etc/greeting.txt; exit 3")
	if code != 3 || out != "from the build context\n" {
		t.Fatalf("reading the copied file: exit %d, output %q; want exit 3, %q", code, out, "from the build context\n")
	}

	local := testenv.EngineImage(t, cli, tag)
	localConfig, err := local.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	if localConfig.String() != id {
		t.Fatalf("saved image's config digest %s differs from the engine's image ID %s", localConfig, id)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	ref, err := name.ParseReference(reg+"/strata-test/hello:latest", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, local, remote.WithContext(ctx)); err != nil {
		t.Fatalf("pushing to %s: %v", ref, err)
	}

	pulled, err := remote.Image(ref, remote.WithContext(ctx))
	if err != nil {
		t.Fatalf("reading %s back: %v", ref, err)
	}
	localDigest, err := local.Digest()
	if err != nil {
		t.Fatal(err)
	}
	pulledDigest, err := pulled.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if pulledDigest != localDigest {
		t.Errorf("manifest digest: registry has %s, pushed %s", pulledDigest, localDigest)
	}
	pulledConfig, err := pulled.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	if pulledConfig.String() != id {
		t.Errorf("config digest: registry has %s, engine image ID is %s", pulledConfig, id)
	}
	cfg, err := pulled.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Config.Cmd, " "); got != "hello" {
		t.Errorf("pulled config's Cmd = %q, want %q", got, "hello")
	}

	localLayers, err := local.Layers()
	if err != nil {
		t.Fatal(err)
	}
	pulledLayers, err := pulled.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(pulledLayers) != len(localLayers) || len(pulledLayers) < 2 {
		t.Fatalf("layers: registry has %d, engine has %d (want the base plus the build's)", len(pulledLayers), len(localLayers))
	}
	for i := range pulledLayers {
		want, err := localLayers[i].DiffID()
		if err != nil {
			t.Fatal(err)
		}
		got, err := pulledLayers[i].DiffID()
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("layer %d: registry has diff ID %s, engine has %s", i, got, want)
		}
	}

	// The layers' content made the round trip: the installed program and the
	// copied file are in the layers the build added on top of the base.
	found := filesIn(t, pulledLayers[1:], "usr/bin/hello", "etc/greeting.txt")
	for _, f := range []string{"usr/bin/hello", "etc/greeting.txt"} {
		if !found[f] {
			t.Errorf("the pulled image's layers have no /%s", f)
		}
	}
}

// filesIn reports which of names are regular files in the layers.
func filesIn(t *testing.T, layers []v1.Layer, names ...string) map[string]bool {
	t.Helper()
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	found := make(map[string]bool, len(names))
	for i, layer := range layers {
		rc, err := layer.Uncompressed()
		if err != nil {
			t.Fatalf("reading layer %d: %v", i, err)
		}
		tr := tar.NewReader(rc)
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				_ = rc.Close()
				t.Fatalf("reading layer %d: %v", i, err)
			}
			name := strings.TrimPrefix(strings.TrimPrefix(hdr.Name, "./"), "/")
			if want[name] && hdr.Typeflag == tar.TypeReg {
				found[name] = true
			}
		}
		if err := rc.Close(); err != nil {
			t.Fatalf("reading layer %d: %v", i, err)
		}
	}
	return found
}

// TestIntegrationBaseImages checks the other bases tests build on: busybox,
// and scratch with a static binary copied in.
func TestIntegrationBaseImages(t *testing.T) {
	cli := testenv.Engine(t)
	testenv.RequireImage(t, testenv.BusyboxImage)

	out, code := testenv.RunContainer(t, cli, testenv.BusyboxImage, "sh", "-c", "echo $((6 * 7)); ls /bin/sh")
	if code != 0 || out != "42\n/bin/sh\n" {
		t.Fatalf("busybox sh: exit %d, output %q", code, out)
	}

	stamp := time.Now().UnixNano()
	tag := fmt.Sprintf("strata-test/scratch:%d", stamp)
	dockerfile := fmt.Sprintf(`FROM %s AS tools
RUN echo built > /built.txt
FROM scratch
COPY --from=tools /bin/busybox /busybox
COPY --from=tools /built.txt /built.txt
ENTRYPOINT ["/busybox"]
`, testenv.BusyboxImage)
	testenv.BuildImage(t, cli, "", dockerfile, tag)

	out, code = testenv.RunContainer(t, cli, tag, "cat", "/built.txt")
	if code != 0 || out != "built\n" {
		t.Fatalf("scratch image: exit %d, output %q", code, out)
	}
	out, _ = testenv.RunContainer(t, cli, tag, "ls", "/")
	root := map[string]bool{}
	for _, f := range strings.Fields(out) {
		root[f] = true
	}
	if !root["built.txt"] || !root["busybox"] || root["bin"] || root["usr"] {
		t.Errorf("scratch image's root holds %q; want the copied files and no base system", out)
	}
}

// TestIntegrationStorageDriver checks that the engine runs on the storage
// driver scripts/test-env.sh chose and reported, and that on a kernel that
// mounts overlay (the probe chose overlay2) it is overlay2, not the vfs
// fallback that copies the whole filesystem for every layer.
func TestIntegrationStorageDriver(t *testing.T) {
	cli := testenv.Engine(t)
	info, err := cli.Info(context.Background())
	if err != nil {
		t.Fatalf("engine info: %v", err)
	}
	want := os.Getenv("STRATA_ENGINE_DRIVER")
	if want == "" {
		t.Fatal("STRATA_ENGINE_DRIVER is not set: the engine was not started by scripts/test-env.sh")
	}
	if info.Driver != want {
		t.Fatalf("engine storage driver %q, test-env reported %q", info.Driver, want)
	}
	if info.Driver != "overlay2" && info.Driver != "vfs" {
		t.Fatalf("unexpected storage driver %q", info.Driver)
	}
	t.Logf("storage driver: %s", info.Driver)
}
