package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/audit/auditgen"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
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

// strata audit through a registry that asks for credentials: found in the
// Docker configuration, or through a credential helper; never printed.
// Every format, the HTML page, the gate's exit 1, a failure's exit 2 after
// the report, bad input's exit 2, and a second run that reads no layer.
func TestIntegrationAuditCommand(t *testing.T) {
	reg := testenv.Registry(t)
	prefix := build.NewName("audit-cmd")
	busybox := reg + "/library/" + testenv.BusyboxImage
	fx, err := auditgen.Push(t.Context(), auditgen.Spec{
		Registry: reg, Prefix: prefix, Images: 6, Repos: 2, AppFiles: 10, AppFileSize: 2000,
		Bases: []auditgen.Base{
			{Name: "busybox", Ref: busybox},
			{Name: "runtime", Ref: busybox, Generated: 1, Files: 40, FileSize: 2000},
		},
	})
	if err != nil {
		t.Fatalf("pushing the images (the registry must hold %s, as scripts/test-env.sh leaves it): %v", busybox, err)
	}
	proxy, allowed, pings := authProxy(t, reg)
	target := proxy + "/" + prefix
	cache := t.TempDir()
	noSecret := func(t *testing.T, r result) {
		t.Helper()
		enc := base64.StdEncoding.EncodeToString([]byte(auditUser + ":" + auditPassword))
		for _, s := range []string{auditPassword, enc} {
			if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
				t.Errorf("the output shows the credentials:\n%s\n%s", r.stdout, r.stderr)
			}
		}
	}

	t.Run("no credentials", func(t *testing.T) {
		dockerConfig(t, `{}`)
		r := runStrata(t, "", nil, false, "audit", "--no-cache", target)
		if r.code != 2 || !strings.Contains(r.stderr, "--repo") || !strings.Contains(r.stderr, proxy) {
			t.Errorf("exit %d, want 2 and a hint to name repositories:\n%s", r.code, r.stderr)
		}
	})

	var first audit.Report
	t.Run("config credentials, JSON", func(t *testing.T) {
		auth := base64.StdEncoding.EncodeToString([]byte(auditUser + ":" + auditPassword))
		dockerConfig(t, `{"auths": {"`+proxy+`": {"auth": "`+auth+`"}}}`)
		before, pinged := allowed.Load(), pings.Load()
		r := runStrata(t, "", nil, false, "audit", "--format", "json", "--cache-dir", cache, "-j", "2", target)
		noSecret(t, r)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if err := json.Unmarshal([]byte(r.stdout), &first); err != nil {
			t.Fatalf("%v\n%s", err, r.stdout)
		}
		s := first.Stats
		if s.Images != 6 || s.Repositories != 2 || s.LayersRead != len(fx.Layers) || s.DistinctLayers != len(fx.Layers) || len(first.Failures) != 0 {
			t.Errorf("stats %+v, %d distinct layers pushed; failures %v", s, len(fx.Layers), first.Failures)
		}
		if allowed.Load() == before {
			t.Error("no request went through with the credentials")
		}
		// One ping for the catalog and one per repository, however many
		// images and requests.
		if n := pings.Load() - pinged; n > 1+2 {
			t.Errorf("%d pings for 2 repositories of 6 images and %d requests", n, allowed.Load()-before)
		}
		if first.RankedBy != audit.ByWasted || first.Images[0].WastedBytes == 0 || first.Layers[0].Images != 6 {
			t.Errorf("ranked by %s, top image wastes %d, top layer in %d images", first.RankedBy, first.Images[0].WastedBytes, first.Layers[0].Images)
		}
	})

	t.Run("credential helper, text, HTML, second run", func(t *testing.T) {
		bin := t.TempDir()
		// A credential helper as the Docker CLI runs it: "get", the
		// server on stdin, the credentials as JSON on stdout.
		writeFile(t, bin, "docker-credential-strata-test", "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread server\nprintf '{\"ServerURL\":\"%s\",\"Username\":\""+auditUser+"\",\"Secret\":\""+auditPassword+"\"}\\n' \"$server\"\n")
		if err := os.Chmod(filepath.Join(bin, "docker-credential-strata-test"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		dockerConfig(t, `{"credHelpers": {"`+proxy+`": "strata-test"}}`)
		page := filepath.Join(t.TempDir(), "audit.html")
		r := runStrata(t, "", nil, false, "audit", "--cache-dir", cache, "--html", page, "--no-progress", target)
		noSecret(t, r)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		for _, want := range []string{"6 images in 2 repositories", "layers read 0", "images from the cache 6", "Shared layers", prefix + "/app-0:v0"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("the text report lacks %q:\n%s", want, r.stdout)
			}
		}
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(html), "<h2>Shared layers</h2>") || strings.Count(string(html), `<tr class="image">`) != 6 {
			t.Errorf("the page has %d image rows", strings.Count(string(html), `<tr class="image">`))
		}
	})

	auth := base64.StdEncoding.EncodeToString([]byte(auditUser + ":" + auditPassword))
	dockerConfig(t, `{"auths": {"`+proxy+`": {"auth": "`+auth+`"}}}`)

	t.Run("SARIF", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "audit.sarif")
		r := runStrata(t, "", nil, false, "audit", "--format", "sarif", "--cache-dir", cache, "-o", out, target)
		if r.code != 0 || r.stdout != "" {
			t.Fatalf("exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
		}
		sarif, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(sarif, &doc); err != nil {
			t.Fatal(err)
		}
		findings := 0
		for _, img := range first.Images {
			findings += len(img.Findings)
		}
		if len(doc.Runs) != 1 || len(doc.Runs[0].Results) != findings || findings == 0 {
			t.Fatalf("%d results, the JSON report has %d findings", len(doc.Runs[0].Results), findings)
		}
		uri := doc.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI
		if !strings.HasPrefix(uri, "docker://"+proxy+"/"+prefix+"/app-") || !strings.Contains(uri, "@sha256:") {
			t.Errorf("location %q", uri)
		}
	})

	t.Run("sort and gate", func(t *testing.T) {
		r := runStrata(t, "", nil, false, "audit", "--format", "json", "--sort", "size", "--max-wasted-bytes", "1", "--cache-dir", cache, target)
		if r.code != 1 {
			t.Fatalf("gate: exit %d, want 1\n%s", r.code, r.stderr)
		}
		var rep audit.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		wasting := 0
		for i, img := range rep.Images {
			if i > 0 && img.Size > rep.Images[i-1].Size {
				t.Errorf("not ranked by size at %d", i)
			}
			if img.WastedBytes > 1 {
				wasting++
			}
			if img.Gate == nil || img.Gate.Pass != (img.WastedBytes <= 1) {
				t.Errorf("%s wastes %d; verdict %+v", img.Ref(), img.WastedBytes, img.Gate)
			}
		}
		if rep.RankedBy != audit.BySize || rep.Stats.GateFailed != wasting || wasting == 0 {
			t.Errorf("ranked by %s, %d fail the gate, %d waste", rep.RankedBy, rep.Stats.GateFailed, wasting)
		}
	})

	t.Run("a repository that cannot be read", func(t *testing.T) {
		r := runStrata(t, "", nil, false, "audit", "--no-cache", "--repo", "app-1", "--repo", "no-such-repo", target)
		if r.code != 2 || !strings.Contains(r.stderr, "could not be read") {
			t.Errorf("exit %d, want 2:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "3 images in 1 repositories") || !strings.Contains(r.stdout, "no-such-repo") {
			t.Errorf("the report lacks the images read or the failure:\n%s", r.stdout)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		for _, args := range [][]string{
			{"audit", "not a registry/x"},
			{"audit", "--format", "xml", target},
			{"audit", "--sort", "age", target},
			{"audit", "--platform", "linux/amd64/v1/extra", target},
			{"audit", "--cache-max-size", "lots", target},
			{"audit", "--jobs", "-1", target},
			{"audit", "--shard", "2/2", target},
			{"audit", "--shard", "one/two", target},
			{"audit", "-o", filepath.Join(t.TempDir(), "missing", "out.json"), target},
			{"audit", "--html", filepath.Join(t.TempDir(), "no", "such", "dir", "a.html"), target},
		} {
			if r := runStrata(t, "", nil, false, args...); r.code != 2 || r.stderr == "" {
				t.Errorf("%v: exit %d, want 2 with a message\n%s", args, r.code, r.stderr)
			}
		}
	})
}

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
		if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted || stdout.Len() != 0 || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("exit %v, stdout %q, stderr %q; want status %d", err, stdout.String(), stderr.String(), exitInterrupted)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("strata audit still runs 10s after SIGINT")
	}
}
