package testenv

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stratatools/strata/internal/build"
)

// Environment variables of the BuildKit daemon scripts/test-env.sh runs.
const (
	// EnvBuildKitHost is the daemon's unix socket address.
	EnvBuildKitHost = "STRATA_BUILDKIT_HOST"
	// EnvBuildKitTCP is the same daemon on tcp://127.0.0.1:PORT with
	// mutual TLS; EnvBuildKitTLSDir holds ca.pem, cert.pem and key.pem.
	EnvBuildKitTCP    = "STRATA_BUILDKIT_TCP"
	EnvBuildKitTLSDir = "STRATA_BUILDKIT_TLS_DIR"
	// EnvBuildctl is the buildctl built with the daemon.
	EnvBuildctl = "STRATA_BUILDCTL"
)

// BuildKitHost returns the address of the test environment's buildkitd
// (unix://...), after checking that it answers. The daemon finds docker.io
// images in the test registry, which holds the base images (so FROM
// busybox:latest and FROM debian:bookworm work), and allows network.host.
func BuildKitHost(t testing.TB) string {
	t.Helper()
	addr := os.Getenv(EnvBuildKitHost)
	if addr == "" {
		unavailable(t, "%s is not set", EnvBuildKitHost)
		return ""
	}
	probeDaemon(t, addr, build.TLSFiles{})
	return addr
}

// BuildKitTCP returns the test buildkitd's TCP address and the client's
// TLS files for it.
func BuildKitTCP(t testing.TB) (string, build.TLSFiles) {
	t.Helper()
	addr, dir := os.Getenv(EnvBuildKitTCP), os.Getenv(EnvBuildKitTLSDir)
	if addr == "" || dir == "" {
		unavailable(t, "%s or %s is not set", EnvBuildKitTCP, EnvBuildKitTLSDir)
		return "", build.TLSFiles{}
	}
	tlsFiles := build.TLSFiles{
		CACert: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"),
	}
	probeDaemon(t, addr, tlsFiles)
	return addr, tlsFiles
}

// Buildctl returns the path of the buildctl built with the test daemon.
func Buildctl(t testing.TB) string {
	t.Helper()
	p := os.Getenv(EnvBuildctl)
	if p == "" {
		unavailable(t, "%s is not set", EnvBuildctl)
		return ""
	}
	if _, err := os.Stat(p); err != nil {
		unavailable(t, "buildctl: %v", err)
		return ""
	}
	return p
}

// probeDaemon checks that the daemon at addr answers.
func probeDaemon(t testing.TB, addr string, tlsFiles build.TLSFiles) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), connectTimeout)
	defer cancel()
	d, err := build.DialDaemon(ctx, build.DaemonOptions{Address: addr, TLS: tlsFiles, Push: "127.0.0.1:1/probe"})
	if err != nil {
		unavailable(t, "no BuildKit daemon at %s: %v", addr, err)
		return
	}
	_ = d.Close()
}
