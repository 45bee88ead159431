package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/audit/auditgen"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/testenv"
)

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

	// The proxy answers over plain HTTP: strata sends it credentials only
	// with --insecure, which every run below gives; without it, neither
	// the catalog nor a named repository gets them.
	t.Run("credentials over plain HTTP need --insecure", func(t *testing.T) {
		auth := base64.StdEncoding.EncodeToString([]byte(auditUser + ":" + auditPassword))
		dockerConfig(t, `{"auths": {"`+proxy+`": {"auth": "`+auth+`"}}}`)
		for _, args := range [][]string{{"audit", "--no-cache", target}, {"audit", "--no-cache", "--repo", "app-1", target}} {
			before := allowed.Load()
			r := runStrata(t, "", nil, false, args...)
			noSecret(t, r)
			if r.code != 2 || !strings.Contains(r.stdout+r.stderr, "--insecure") || allowed.Load() != before {
				t.Errorf("%v: exit %d, %d requests with credentials; want 2, none, and a hint at --insecure:\n%s%s", args, r.code, allowed.Load()-before, r.stdout, r.stderr)
			}
		}
	})

	var first audit.Report
	t.Run("config credentials, JSON", func(t *testing.T) {
		auth := base64.StdEncoding.EncodeToString([]byte(auditUser + ":" + auditPassword))
		dockerConfig(t, `{"auths": {"`+proxy+`": {"auth": "`+auth+`"}}}`)
		before, pinged := allowed.Load(), pings.Load()
		r := runStrata(t, "", nil, false, "audit", "--insecure", "--format", "json", "--cache-dir", cache, "-j", "2", target)
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
		r := runStrata(t, "", nil, false, "audit", "--insecure", "--cache-dir", cache, "--html", page, "--no-progress", target)
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
		r := runStrata(t, "", nil, false, "audit", "--insecure", "--format", "sarif", "--cache-dir", cache, "-o", out, target)
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
		r := runStrata(t, "", nil, false, "audit", "--insecure", "--format", "json", "--sort", "size", "--max-wasted-bytes", "1", "--cache-dir", cache, target)
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
		r := runStrata(t, "", nil, false, "audit", "--insecure", "--no-cache", "--repo", "app-1", "--repo", "no-such-repo", target)
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
