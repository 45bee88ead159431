// Package testenv gives tests the real environment strata is checked
// against: a Docker Engine, a registry, and the base images, all brought up by
// scripts/test-env.sh.
//
// When the environment is missing, a test using it is skipped with a hint on
// how to start it, except on CI (CI=true), where it fails: there the
// environment is required and a skip would hide a broken set-up.
package testenv

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/build"
)

// Base images scripts/test-env.sh creates in the engine. Tests can also build
// FROM scratch.
const (
	DebianImage = "debian:bookworm"
	// DebianSlimImage is DebianImage made slim as Debian's slim images
	// are: documentation, man pages and locales removed, and dpkg told to
	// leave them out of later installs.
	DebianSlimImage = "debian:bookworm-slim"
	BusyboxImage    = "busybox:latest"
)

// Environment variables scripts/test-env.sh exports.
const (
	// EnvDockerHost names the engine's API socket.
	EnvDockerHost = "DOCKER_HOST"
	// EnvRegistry holds the registry's host:port; it speaks plain HTTP.
	EnvRegistry = "STRATA_REGISTRY"
)

// StartHint tells how to run tests with the environment up.
const StartHint = "start it with: scripts/test-env.sh run -- go test ./..."

const (
	connectTimeout = 30 * time.Second
	probeTimeout   = 10 * time.Second
)

// onCI reports whether the tests run on CI, where the environment is required.
func onCI() bool {
	ci, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && ci
}

// unavailable stops the test because the environment is missing: Fatal on CI,
// Skip elsewhere. Callers return right after it.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if onCI() {
		t.Fatalf("test environment missing on CI: %s; CI must run the tests through scripts/test.sh (or %s)", reason, StartHint)
		return
	}
	t.Skipf("test environment missing: %s; %s", reason, StartHint)
}

// Engine returns a client connected to the engine named by DOCKER_HOST, closed
// when the test ends.
func Engine(t testing.TB) *client.Client {
	t.Helper()
	host := os.Getenv(EnvDockerHost)
	if host == "" {
		unavailable(t, "%s is not set", EnvDockerHost)
		return nil
	}
	ctx, cancel := context.WithTimeout(t.Context(), connectTimeout)
	defer cancel()
	cli, err := build.Connect(ctx)
	if err != nil {
		unavailable(t, "no Docker Engine: %v", err)
		return nil
	}
	t.Cleanup(func() { _ = cli.Close() })
	return cli
}

// Registry returns the host:port of the registry named by STRATA_REGISTRY,
// after checking it answers the registry API. It speaks plain HTTP.
func Registry(t testing.TB) string {
	t.Helper()
	addr := os.Getenv(EnvRegistry)
	if addr == "" {
		unavailable(t, "%s is not set", EnvRegistry)
		return ""
	}
	ctx, cancel := context.WithTimeout(t.Context(), probeTimeout)
	defer cancel()
	if err := probeRegistry(ctx, addr); err != nil {
		unavailable(t, "no registry: %v", err)
		return ""
	}
	return addr
}

// probeRegistry checks that addr (host:port) serves the registry API over
// plain HTTP.
func probeRegistry(ctx context.Context, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("registry address %q is not host:port: %w", addr, err)
	}
	url := "http://" + addr + "/v2/"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("probing %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("probing %s: %w", url, err)
	}
	defer resp.Body.Close()
	if v := resp.Header.Get("Docker-Distribution-Api-Version"); !strings.HasPrefix(v, "registry/2") {
		return fmt.Errorf("probing %s: %s answered without the registry API header", url, resp.Status)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnauthorized {
		return fmt.Errorf("probing %s: %s", url, resp.Status)
	}
	return nil
}

// RequireImage checks that the engine has the image ref (one of the base
// images scripts/test-env.sh creates, say).
func RequireImage(t testing.TB, ref string) {
	t.Helper()
	cli := Engine(t)
	if cli == nil {
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), probeTimeout)
	defer cancel()
	_, err := cli.ImageInspect(ctx, ref)
	switch {
	case errdefs.IsNotFound(err):
		unavailable(t, "the engine at %s has no image %s (scripts/test-env.sh creates the base images)", cli.DaemonHost(), ref)
	case err != nil:
		t.Fatalf("inspecting image %s: %v", ref, err)
	}
}

// ModuleRoot returns the folder of strata's go.mod, found upwards from
// the test's working directory (its package's folder).
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
