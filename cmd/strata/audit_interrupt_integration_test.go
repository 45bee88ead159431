package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/audit/auditgen"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

// Ctrl-C stops strata audit promptly with status 130 and no report.
func TestIntegrationAuditInterrupt(t *testing.T) {
	reg := testenv.Registry(t)
	prefix := build.NewName("audit-interrupt")
	if _, err := auditgen.Push(t.Context(), auditgen.Spec{
		Registry: reg, Prefix: prefix, Images: 4, Repos: 2, AppFiles: 5, AppFileSize: 500,
		Bases: []auditgen.Base{{Name: "scratch", Generated: 1, Files: 10, FileSize: 500}},
	}); err != nil {
		t.Fatal(err)
	}
	bin := strataBinary(t)
	target, _ := url.Parse("http://" + reg)
	rp := httputil.NewSingleHostReverseProxy(target)
	slow := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/blobs/") {
			select {
			case slow <- struct{}{}:
			default:
			}
			select {
			case <-time.After(30 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "audit", "--no-cache", strings.TrimPrefix(srv.URL, "http://")+"/"+prefix)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-slow:
	case err := <-exited:
		t.Fatalf("strata exited before reading a blob: %v\n%s", err, stderr.String())
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("no blob was asked for in a minute")
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != cli.ExitInterrupted || stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("exit %v, stdout %q, stderr %q; want status %d", err, stdout.String(), stderr.String(), cli.ExitInterrupted)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("strata audit still runs 10s after SIGINT")
	}
}
