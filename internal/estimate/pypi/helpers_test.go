package pypi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

var (
	filesMu sync.Mutex
	files   = map[string][]byte{}
)

func addFile(t *testing.T, p string, b []byte) {
	filesMu.Lock()
	defer filesMu.Unlock()
	files[p] = b
}

// serveBytes serves b at p, and what addFile adds, with range requests.
func serveBytes(t *testing.T, p string, b []byte) string {
	t.Helper()
	addFile(t, p, b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		filesMu.Lock()
		data, ok := files[r.URL.Path]
		filesMu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func itoa(n int) string { return strconv.Itoa(n) }
