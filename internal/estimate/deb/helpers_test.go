package deb_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// newServer serves fixed files by path; the map may change under mu.
func newServer(t *testing.T, files map[string][]byte) string {
	return newServerMu(t, files, &sync.Mutex{})
}

func newServerMu(t *testing.T, files map[string][]byte, mu *sync.Mutex) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b, ok := files[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
