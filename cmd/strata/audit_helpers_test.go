package main

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// Credentials the registry proxy of the audit tests asks for.
const (
	auditUser     = "strata-ci"
	auditPassword = "pa55-w0rd-not-for-output"
)

// authProxy stands in front of the test registry and asks for HTTP Basic
// credentials, as a private registry does; it counts the requests it
// let through, and the pings (GET /v2/) among them.
func authProxy(t *testing.T, registry string) (host string, allowed, pings *atomic.Int64) {
	t.Helper()
	target, err := url.Parse("http://" + registry)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(auditUser+":"+auditPassword))
	allowed, pings = &atomic.Int64{}, &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			pings.Add(1)
		}
		if r.Header.Get("Authorization") != want {
			w.Header().Set("WWW-Authenticate", `Basic realm="strata test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		allowed.Add(1)
		r.Header.Del("Authorization")
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), allowed, pings
}

// dockerConfig writes a Docker configuration folder and points
// DOCKER_CONFIG at it.
func dockerConfig(t *testing.T, config string) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "config.json", config)
	t.Setenv("DOCKER_CONFIG", dir)
}
