package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:secret@mirror.test/debian": "https://xxxxx@mirror.test/debian",
		"https://mirror.test/x?token=abc":        "https://mirror.test/x?…",
		"http://deb.test/debian":                 "http://deb.test/debian",
		"https://user:pa%zz@host.test/x":         "https://xxxxx@host.test/x",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if h := Host("https://u:p@deb.test:8080/x"); h != "deb.test" {
		t.Errorf("Host = %q", h)
	}
}

func TestGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.Write([]byte("0123456789"))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
		case "/size":
			w.Header().Set("Content-Length", "42")
			if r.Method != http.MethodHead {
				w.Write(make([]byte, 42))
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := &Client{Timeout: 300 * time.Millisecond}
	ctx := context.Background()
	if b, err := c.Get(ctx, srv.URL+"/ok", 10); err != nil || string(b) != "0123456789" {
		t.Errorf("Get = %q, %v", b, err)
	}
	if _, err := c.Get(ctx, srv.URL+"/ok", 9); err == nil {
		t.Error("a body over the limit was read")
	}
	_, err := c.Get(ctx, "http://user:secret@"+strings.TrimPrefix(srv.URL, "http://")+"/missing", 10)
	if !NotFound(err) || strings.Contains(err.Error(), "secret") {
		t.Errorf("404: %v", err)
	}
	start := time.Now()
	if _, err := c.Get(ctx, srv.URL+"/slow", 10); err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("a server that does not answer: %v after %v", err, time.Since(start))
	}
	if n, err := c.Size(ctx, srv.URL+"/size"); err != nil || n != 42 {
		t.Errorf("Size = %d, %v", n, err)
	}
	off := &Client{Offline: true}
	if _, err := off.Get(ctx, srv.URL+"/ok", 10); !errors.Is(err, ErrOffline) {
		t.Errorf("offline Get: %v", err)
	}
	if _, err := off.Size(ctx, srv.URL+"/ok"); !errors.Is(err, ErrOffline) {
		t.Errorf("offline Size: %v", err)
	}
}

func TestCache(t *testing.T) {
	c := Cache{Dir: filepath.Join(t.TempDir(), "sub")}
	if _, _, err := c.Read("k", 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("empty cache: %v", err)
	}
	if err := c.Write("k", []byte("value")); err != nil {
		t.Fatal(err)
	}
	b, when, err := c.Read("k", 10)
	if err != nil || string(b) != "value" || time.Since(when) > time.Minute {
		t.Errorf("Read = %q %v %v", b, when, err)
	}
	if _, _, err := c.Read("k", 2); err == nil {
		t.Error("a cache file over the limit was read")
	}
	for _, bad := range []string{"", "a/b", "..", `a\b`} {
		if err := c.Write(bad, nil); err == nil {
			t.Errorf("key %q was accepted", bad)
		}
	}
	entries, _ := os.ReadDir(c.Dir)
	if len(entries) != 1 {
		t.Errorf("the cache folder holds %d files, want 1 (no temporary file left)", len(entries))
	}
	if err := (Cache{}).Write("k", []byte("x")); err != nil {
		t.Errorf("a disabled cache: %v", err)
	}
}
