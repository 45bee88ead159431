package source_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

// The registry source against registries that misbehave on purpose: one
// that never answers, one that stops in the middle of a blob, one that
// echoes credentials in its errors, one that asks for credentials over
// plain HTTP, one that serves a blob that is not what its digest says.
// Each is go-containerregistry's registry (holding imagetest.Sample as
// test/app:1) behind a handler that misbehaves.

const (
	testUser     = "strata-user"
	testPassword = "s3cret-Passw0rd"
	testToken    = "tok-0123456789abcdef"
)

// hostileRegistry serves the image behind wrap and returns its host.
func hostileRegistry(t *testing.T, wrap func(next http.Handler) http.Handler) string {
	t.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	push := httptest.NewServer(reg)
	defer push.Close()
	u, _ := url.Parse(push.URL)
	ref, err := name.ParseReference(u.Host + "/test/app:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, imagetest.Sample(t)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(wrap(reg))
	t.Cleanup(srv.Close)
	u, _ = url.Parse(srv.URL)
	return u.Host
}

// dockerConfig points the Docker configuration at a file holding
// credentials for host.
func dockerConfig(t *testing.T, host string) {
	t.Helper()
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	cfg := fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, auth)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
}

func openRegistry(t *testing.T, ref string, opts source.Options) image.Source {
	t.Helper()
	src, err := source.Open(ref, opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// analyzeWithin analyzes src, failing the test if it takes longer than d.
func analyzeWithin(t *testing.T, src image.Source, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	_, err := image.Analyze(ctx, src, image.Options{})
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		t.Fatalf("%s: still waiting after %v: %v", src, d, err)
	}
	return err
}

// TestRegistryNeverAnswers connects to a server that accepts connections
// and never writes a byte: the error names the registry and the timeout.
func TestRegistryNeverAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			conns.Add(1)
			go func() { defer conns.Done(); io.Copy(io.Discard, c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		conns.Wait()
	})
	host := ln.Addr().String()
	err = analyzeWithin(t, openRegistry(t, "docker://"+host+"/test/app:1", source.Options{Timeout: 300 * time.Millisecond}), 30*time.Second)
	if err == nil || !strings.Contains(err.Error(), "registry "+host+" did not answer within 300ms") {
		t.Fatalf("err = %v", err)
	}
}

// TestRegistryStallsInABlob answers everything but stops sending a layer
// blob half way: the error names the layer, the registry and the timeout.
func TestRegistryStallsInABlob(t *testing.T) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	host := hostileRegistry(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/blobs/") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if len(body) < 100000 { // the configuration: serve it
				for k, v := range rec.Header() {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.Code)
				w.Write(body)
				return
			}
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
			select {
			case <-stop:
			case <-r.Context().Done():
			}
		})
	})
	err := analyzeWithin(t, openRegistry(t, "docker://"+host+"/test/app:1", source.Options{Timeout: 300 * time.Millisecond}), 30*time.Second)
	var le *image.LayerError
	if err == nil || !errors.As(err, &le) || !strings.Contains(err.Error(), "registry "+host+" did not answer within 300ms") {
		t.Fatalf("err = %v", err)
	}
}

// TestRegistryEchoesCredentials asks for Basic credentials, then answers
// every authenticated request with an error that quotes the request's
// Authorization header and a token: no credential reaches the message.
func TestRegistryEchoesCredentials(t *testing.T) {
	var saw atomic.Bool
	host := hostileRegistry(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := r.Header.Get("Authorization")
			if a == "" {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			saw.Store(true)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"errors":[{"code":"DENIED","message":"you sent Authorization: %s","detail":{"token":%q,"url":"https://%s:%s@%s/v2/"}}]}`,
				a, testToken, testUser, testPassword, r.Host)
		})
	})
	dockerConfig(t, host)
	err := analyzeWithin(t, openRegistry(t, "docker://"+host+"/test/app:1", source.Options{Insecure: true}), 30*time.Second)
	if !saw.Load() {
		t.Fatalf("the credentials were never sent: %v", err)
	}
	if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), host) {
		t.Fatalf("err = %v (want bad input naming the registry)", err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	for _, secret := range []string{basic, testPassword, testToken} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the message shows a credential (%s): %v", secret, err)
		}
	}
}

// TestRegistryNoCredentialsOverPlainHTTP serves plain HTTP on the loopback
// address and asks for credentials: without Insecure none is sent, and
// the error says why; with Insecure they are sent and the image is read.
func TestRegistryNoCredentialsOverPlainHTTP(t *testing.T) {
	var got atomic.Value
	host := hostileRegistry(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := r.Header.Get("Authorization")
			if a == "" {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			got.Store(a)
			next.ServeHTTP(w, r)
		})
	})
	dockerConfig(t, host)
	err := analyzeWithin(t, openRegistry(t, "docker://"+host+"/test/app:1", source.Options{}), 30*time.Second)
	if got.Load() != nil {
		t.Fatalf("credentials went over plain HTTP: %v", got.Load())
	}
	if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), "--insecure") || !strings.Contains(err.Error(), host) {
		t.Fatalf("err = %v", err)
	}
	r, err := analyze(openRegistry(t, "docker://"+host+"/test/app:1", source.Options{Insecure: true}), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	if got.Load() == nil {
		t.Fatal("with --insecure the credentials were not sent")
	}
}

// TestRegistryServesAnotherBlob answers the request for a layer with the
// bytes of another layer (a valid blob): the layer does not match its
// digest, bad input naming it.
func TestRegistryServesAnotherBlob(t *testing.T) {
	img := imagetest.Sample(t)
	layers, _ := img.Layers()
	d2, _ := layers[1].Digest()
	d3, _ := layers[2].Digest()
	host := hostileRegistry(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/blobs/"+d2.String()) {
				r2 := r.Clone(r.Context())
				r2.URL.Path = strings.TrimSuffix(r.URL.Path, d2.String()) + d3.String()
				next.ServeHTTP(w, r2)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	err := analyzeWithin(t, openRegistry(t, "docker://"+host+"/test/app:1", source.Options{}), 30*time.Second)
	var le *image.LayerError
	if err == nil || !vocab.IsInput(err) || !errors.As(err, &le) || le.Index != 1 || !strings.Contains(err.Error(), "does not match its digest") {
		t.Fatalf("err = %v (want bad input naming layer 2 and its digest)", err)
	}
}
