package main

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// strata compare gives the same figures, and the same file difference,
// whether the Engine builds or the standalone buildkitd does, its images
// pushed to the registry.
func TestIntegrationCompareDaemon(t *testing.T) {
	measureEngine(t)
	host := testenv.BuildKitHost(t)
	reg := testenv.Registry(t)
	dir := t.TempDir()
	const mb = 4 << 20
	a := writeFile(t, dir, "separate/Dockerfile", "FROM busybox:latest\nRUN head -c 4194304 /dev/urandom > /big.bin\nRUN rm /big.bin && echo a > /kept\n")
	b := writeFile(t, dir, "same/Dockerfile", "FROM busybox:latest\nRUN head -c 4194304 /dev/urandom > /big.bin && rm /big.bin && echo a > /kept\n")
	engine := decodeComparison(t, mustRun(t, 0, "compare", "--format", "json", "--no-startup", "--builder", build.BuilderBuildKit, a, b))
	daemon := decodeComparison(t, mustRun(t, 0, "compare", "--format", "json", "--no-startup", "--builder", host, "--push", reg+"/"+build.NewName("compare-test"), a, b))
	for _, name := range []string{"size", "wasted_bytes", "layers", "warm_cached_steps"} {
		e, d := figure(t, engine, name), figure(t, daemon, name)
		if e.A == nil || d.A == nil || *e.A != *d.A || *e.B != *d.B {
			t.Errorf("%s: Engine %v/%v, buildkitd %v/%v", name, deref(e.A), deref(e.B), deref(d.A), deref(d.B))
		}
	}
	if !within(daemon.A.Waste.Bytes, mb, 0.01) || daemon.B.Waste.Bytes > 1<<16 {
		t.Errorf("buildkitd: waste A %d, B %d; want 4 MiB and none", daemon.A.Waste.Bytes, daemon.B.Waste.Bytes)
	}
	if engine.Files == nil || daemon.Files == nil || engine.Files.Summary != daemon.Files.Summary {
		t.Errorf("file differences: Engine %+v, buildkitd %+v", engine.Files, daemon.Files)
	}
	// (The score also weighs build times, which differ from run to run.)
	if daemon.A.Builder != build.BuilderDaemon || daemon.B.Builder != build.BuilderDaemon {
		t.Errorf("buildkitd: builders %q and %q", daemon.A.Builder, daemon.B.Builder)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// execIn runs a command in a running container through the Engine.
func execIn(t *testing.T, containerName string, cmd ...string) (string, int) {
	t.Helper()
	engine := testenv.Engine(t)
	ctx := context.Background()
	ex, err := engine.ContainerExecCreate(ctx, containerName, container.ExecOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	att, err := engine.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer att.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := att.Reader.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	insp, err := engine.ContainerExecInspect(ctx, ex.ID)
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), insp.ExitCode
}
