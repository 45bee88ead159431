package build

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConnectNamesTheUnreachableHost(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "no-engine.sock")
	t.Setenv("DOCKER_HOST", "unix://"+sock)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	cli, err := Connect(ctx)
	if err == nil {
		_ = cli.Close()
		t.Fatal("Connect succeeded with no engine listening")
	}
	if !strings.Contains(err.Error(), "connecting to the Docker Engine at unix://"+sock) {
		t.Errorf("error does not name the host: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Connect took %v to fail on a missing socket", elapsed)
	}
}

func TestConnectRejectsABadDockerHost(t *testing.T) {
	t.Setenv("DOCKER_HOST", "not a url")
	cli, err := Connect(context.Background())
	if err == nil {
		_ = cli.Close()
		t.Fatal("Connect accepted DOCKER_HOST=\"not a url\"")
	}
	if !strings.Contains(err.Error(), "creating a Docker Engine client") {
		t.Errorf("unexpected error: %v", err)
	}
}

func TestConnectRejectsAServerThatIsNotAnEngine(t *testing.T) {
	// An HTTP server that answers /_ping without the Engine's headers.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("OK"))
	}))
	defer srv.Close()
	t.Setenv("DOCKER_HOST", "tcp://"+strings.TrimPrefix(srv.URL, "http://"))

	cli, err := Connect(context.Background())
	if err == nil {
		_ = cli.Close()
		t.Fatal("Connect accepted a server that is not a Docker Engine")
	}
	if !strings.Contains(err.Error(), "no API version") {
		t.Errorf("unexpected error: %v", err)
	}
}

func TestConnectHonoursTheCallersDeadline(t *testing.T) {
	// A server that accepts the connection but never answers.
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	t.Setenv("DOCKER_HOST", "tcp://"+strings.TrimPrefix(srv.URL, "http://"))

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	cli, err := Connect(ctx)
	if err == nil {
		_ = cli.Close()
		t.Fatal("Connect succeeded against a server that never answers")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Connect ignored the deadline: took %v", elapsed)
	}
}
