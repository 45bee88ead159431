package estimatetest

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Mirror serves the recorded sources over HTTP by host name.
type Mirror struct {
	// URL is the server's address; Client reaches it for every host
	// (deb.test, npm.test, ...).
	URL    string
	Client *http.Client
	dir    string

	requests atomic.Int64
	mu       sync.Mutex
	down     map[string]int
	hang     map[string]bool
}

// NewMirror serves testdata/mirror until the test ends.
func NewMirror(t testing.TB) *Mirror {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	m := &Mirror{dir: filepath.Join(dir, "mirror"), down: map[string]int{}, hang: map[string]bool{}}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	m.URL = srv.URL
	addr := srv.Listener.Addr().String()
	m.Client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
	return m
}

// Requests counts the requests served.
func (m *Mirror) Requests() int64 { return m.requests.Load() }

// Down makes host answer status to every request (0 restores it).
func (m *Mirror) Down(host string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if status == 0 {
		delete(m.down, host)
	} else {
		m.down[host] = status
	}
}

// Hang makes host accept requests and never answer them (until the
// request is cancelled).
func (m *Mirror) Hang(host string, on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hang[host] = on
}

func (m *Mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.requests.Add(1)
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	m.mu.Lock()
	status, hang := m.down[host], m.hang[host]
	m.mu.Unlock()
	if hang {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
		return
	}
	if status != 0 {
		http.Error(w, "down for the test", status)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	file := filepath.Join(m.dir, host, filepath.FromSlash(p))
	if !strings.HasPrefix(file, filepath.Join(m.dir, host)) {
		http.NotFound(w, r)
		return
	}
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		file = filepath.Join(file, "_doc.json")
	} else if err != nil {
		if _, err := os.Stat(file + ".json"); err == nil {
			file += ".json"
		}
	}
	f, err := os.Open(file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, "", fixedTime, f)
}

// Registry serves the fixture images from an in-memory registry until
// the test ends and returns its host:port; the images are
// HOST/fixture/NAME:latest.
func Registry(t testing.TB) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, im := range Images() {
		img, err := tarball.ImageFromPath(filepath.Join(dir, "images", im.Name+".tar"), nil)
		if err != nil {
			t.Fatalf("reading fixture image %s (go test ./internal/estimate/estimatetest -update makes it): %v", im.Name, err)
		}
		ref, err := name.NewTag(host + "/fixture/" + im.Name + ":latest")
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(ref, img); err != nil {
			t.Fatalf("pushing %s: %v", ref, err)
		}
	}
	return host
}
