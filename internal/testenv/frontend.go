package testenv

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"
)

// frontendPackage is BuildKit's Dockerfile frontend command.
const frontendPackage = "github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend"

// DockerfileFrontend returns the name of an image in the engine that holds
// BuildKit's Dockerfile frontend at the version strata is built with (the
// github.com/moby/buildkit of go.mod). A Dockerfile whose first line is
// "# syntax=" and that name is converted by that frontend instead of the
// engine's older built-in one, so that a test builds exactly what
// internal/buildplan reads. The image is built once from the module's
// source (the test engine can pull nothing) and kept in the engine.
func DockerfileFrontend(t testing.TB, cli *client.Client) string {
	t.Helper()
	version := buildkitVersion()
	if version == "" {
		t.Fatal("cannot tell the version of github.com/moby/buildkit strata is built with")
	}
	ref := "strata-test/dockerfile-frontend:" + version
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	if _, err := cli.ImageInspect(ctx, ref); err == nil {
		return ref
	} else if !errdefs.IsNotFound(err) {
		t.Fatalf("inspecting %s: %v", ref, err)
	}

	// Build the frontend in a module of its own, so that strata's go.mod
	// does not take its dependencies.
	dir := t.TempDir()
	mod := fmt.Sprintf("module strata-frontend\n\ngo 1.26\n\nrequire github.com/moby/buildkit %s\n", version)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "ctx", "dockerfile-frontend")
	cmd := exec.CommandContext(ctx, "go", "build", "-mod=mod", "-trimpath", "-o", bin, frontendPackage)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building BuildKit's Dockerfile frontend %s: %v\n%s", version, err, out)
	}
	dockerfile := `FROM scratch
LABEL moby.buildkit.frontend.network.none="true"
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
COPY dockerfile-frontend /bin/dockerfile-frontend
ENTRYPOINT ["/bin/dockerfile-frontend"]
`
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeContext(pw, filepath.Join(dir, "ctx"), dockerfile)) }()
	defer pr.Close()
	resp, err := cli.ImageBuild(ctx, pr, build.ImageBuildOptions{
		Tags: []string{ref}, Dockerfile: "Dockerfile", Remove: true, ForceRemove: true, Version: build.BuilderV1,
	})
	if err != nil {
		t.Fatalf("building %s: %v", ref, err)
	}
	defer resp.Body.Close()
	if out, err := ReadStream(resp.Body); err != nil {
		t.Fatalf("building %s: %v\n%s", ref, err, out)
	}
	return ref
}

// buildkitVersion is the version of github.com/moby/buildkit strata is
// built with: the running binary's, or go.mod's (test binaries do not
// record their dependencies).
func buildkitVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/moby/buildkit" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/moby/buildkit").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
