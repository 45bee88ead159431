package audit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/audit/auditgen"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/imagetest"
	regsource "github.com/stratatools/strata/internal/image/source/registry"
	"github.com/stratatools/strata/internal/layercache"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

// pushFixture pushes 12 images in 4 repositories on 3 base layer sets
// (busybox with a generated layer, busybox alone, a generated base) under
// a fresh prefix.
func pushFixture(t *testing.T) (reg, prefix string, fx *auditgen.Fixture) {
	t.Helper()
	reg = testenv.Registry(t)
	prefix = build.NewName("audit-test")
	busybox := reg + "/library/" + testenv.BusyboxImage
	if _, err := remote.Head(mustRef(t, busybox)); err != nil {
		t.Fatalf("the test registry has no %s (scripts/test-env.sh pushes it): %v", busybox, err)
	}
	fx, err := auditgen.Push(t.Context(), auditgen.Spec{
		Registry: reg, Prefix: prefix, Images: 12, Repos: 4, AppFiles: 20, AppFileSize: 2000,
		Bases: []auditgen.Base{
			{Name: "runtime", Ref: busybox, Generated: 1, Files: 100, FileSize: 3000},
			{Name: "busybox", Ref: busybox},
			{Name: "scratch", Generated: 2, Files: 50, FileSize: 2000},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg, prefix, fx
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// caches opens a layer cache's two namespaces in dir.
func caches(t *testing.T, dir string) (*layercache.Cache, *layercache.Cache) {
	t.Helper()
	lns, rns := audit.CacheNamespaces("test", nil)
	var out [2]*layercache.Cache
	for i, ns := range []string{lns, rns} {
		c, err := layercache.Open(layercache.Options{Dir: dir, Namespace: ns})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		out[i] = c
	}
	return out[0], out[1]
}

// Every image is analysed and each distinct layer read once; a second run
// reads no layer; the figures are strata image's.
func TestIntegrationAudit(t *testing.T) {
	reg, prefix, fx := pushFixture(t)
	layers, results := caches(t, t.TempDir())
	opts := audit.Options{Target: reg + "/" + prefix, Jobs: 3, Layers: layers, Results: results}
	first, err := audit.Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	s := first.Stats
	t.Logf("first run: %+v", s)
	if len(first.Failures) > 0 || s.Images != 12 || s.Repositories != 4 || s.Tags != 12 {
		t.Fatalf("stats %+v, failures %v", s, first.Failures)
	}
	if s.DistinctLayers != len(fx.Layers) || s.LayersRead != len(fx.Layers) {
		t.Errorf("%d distinct layers pushed; the audit counted %d and read %d", len(fx.Layers), s.DistinctLayers, s.LayersRead)
	}
	// busybox's layer is under two base sets: 8 of the 12 images.
	if top := first.Layers[0]; top.Images != 8 || top.Repositories != 4 || !top.Base {
		t.Errorf("most shared layer: %+v, want a base layer in 8 images of 4 repositories", top)
	}
	if s.UnsharedBytes <= s.StoredBytes {
		t.Errorf("stored %d, unshared %d", s.StoredBytes, s.UnsharedBytes)
	}
	// Ranked by wasted bytes: the images with a clean-up layer first.
	if w := first.Images[0]; w.WastedBytes == 0 || !strings.Contains(strings.Join(w.Tags, ","), "v") {
		t.Errorf("top image %+v", w)
	}
	for i := 1; i < len(first.Images); i++ {
		if first.Images[i].WastedBytes > first.Images[i-1].WastedBytes {
			t.Fatalf("not ranked by wasted bytes at %d", i)
		}
	}
	// The same figures as strata image on the same image.
	img := first.Images[0]
	src, err := regsource.New(reg+"/"+img.Pinned(), regsource.Options{})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := image.Analyze(t.Context(), src, image.Options{Checks: check.All()})
	if err != nil {
		t.Fatal(err)
	}
	if direct.Waste.Total != img.WastedBytes || direct.Totals.Size != img.Size || len(direct.Findings) != len(img.Findings) || direct.Totals.Efficiency != img.Efficiency {
		t.Errorf("audit: wasted %d size %d findings %d; strata image: %d %d %d", img.WastedBytes, img.Size, len(img.Findings), direct.Waste.Total, direct.Totals.Size, len(direct.Findings))
	}

	second, err := audit.Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s := second.Stats; s.LayersRead != 0 || s.ImagesFromCache != 12 || len(second.Failures) > 0 {
		t.Errorf("second run: %+v", s)
	}
	for i := range first.Images {
		a, b := first.Images[i], second.Images[i]
		if a.Pinned() != b.Pinned() || a.WastedBytes != b.WastedBytes || a.Size != b.Size || len(a.Findings) != len(b.Findings) {
			t.Errorf("image %d differs between runs: %s %d, %s %d", i, a.Pinned(), a.WastedBytes, b.Pinned(), b.WastedBytes)
		}
	}

	// Without the image summaries, the layers come from the layer cache.
	_, fresh := caches(t, t.TempDir())
	opts.Results = fresh
	third, err := audit.Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if s := third.Stats; s.LayersRead != 0 || s.ImagesFromCache != 0 || s.LayersFromCache == 0 {
		t.Errorf("third run: %+v", s)
	}
	if third.Images[0].WastedBytes != first.Images[0].WastedBytes {
		t.Errorf("from the layer cache: wasted %d, first run %d", third.Images[0].WastedBytes, first.Images[0].WastedBytes)
	}

	// Two shards split the images: together all of them, none twice.
	seen := map[string]int{}
	for shard := range 2 {
		rep, err := audit.Run(t.Context(), audit.Options{Target: reg + "/" + prefix, Jobs: 3, Layers: layers, Results: results, Shard: shard, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Shard != fmt.Sprintf("%d/2", shard) {
			t.Errorf("shard %q", rep.Shard)
		}
		for _, img := range rep.Images {
			seen[img.Pinned()]++
			if audit.ShardOf(img.Repository, 2) != shard {
				t.Errorf("%s is in shard %d, not %d", img.Repository, audit.ShardOf(img.Repository, 2), shard)
			}
		}
	}
	if len(seen) != 12 {
		t.Errorf("the shards hold %d images, want 12", len(seen))
	}
	for ref, n := range seen {
		if n != 1 {
			t.Errorf("%s in %d shards", ref, n)
		}
	}
	if _, err := audit.Run(t.Context(), audit.Options{Target: reg + "/" + prefix, Shard: 2, Shards: 2}); err == nil || !vocab.IsInput(err) {
		t.Errorf("shard 2 of 2: %v", err)
	}

	// No cache at all: each layer is still read once.
	nocache, err := audit.Run(t.Context(), audit.Options{Target: reg + "/" + prefix, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s := nocache.Stats; s.LayersRead != len(fx.Layers) {
		t.Errorf("without a cache: read %d layers, %d distinct", s.LayersRead, len(fx.Layers))
	}
}

// A first run fetches each tag's manifest with one GET (no HEAD, and the
// image's analysis does not fetch it again); a second run asks for the
// tags it saw with a HEAD each, which registries such as Docker Hub do not
// count as pulls, and fetches no manifest or blob; a new tag is fetched
// with a GET.
func TestIntegrationAuditRequests(t *testing.T) {
	reg, prefix, _ := pushFixture(t)
	var mu sync.Mutex
	count := map[string]int{}
	p := newFaultProxy(t, reg, func(r *http.Request, _ int) int {
		var kind string
		switch {
		case strings.Contains(r.URL.Path, "/manifests/sha256:"):
			kind = "manifest by digest"
		case strings.Contains(r.URL.Path, "/manifests/"):
			kind = "manifest by tag"
		case isBlob(r):
			kind = "blob"
		default:
			return 0
		}
		mu.Lock()
		count[r.Method+" "+kind]++
		mu.Unlock()
		return 0
	})
	layers, results := caches(t, t.TempDir())
	opts := audit.Options{Target: p.host() + "/" + prefix, Jobs: 2, Layers: layers, Results: results}
	run := func(what string, images, tags, fromCache int, want map[string]int) *audit.Report {
		t.Helper()
		rep, err := audit.Run(t.Context(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if s := rep.Stats; len(rep.Failures) > 0 || s.Images != images || s.Tags != tags || s.ImagesFromCache != fromCache {
			t.Fatalf("%s: stats %+v, failures %v", what, s, rep.Failures)
		}
		mu.Lock()
		defer mu.Unlock()
		for k, n := range want {
			if count[k] != n {
				t.Errorf("%s: %d requests %q, want %d (all: %v)", what, count[k], k, n, count)
			}
		}
		count = map[string]int{}
		return rep
	}
	first := run("first run", 12, 12, 0, map[string]int{"GET manifest by tag": 12, "HEAD manifest by tag": 0, "GET manifest by digest": 0})
	run("second run", 12, 12, 12, map[string]int{"GET manifest by tag": 0, "HEAD manifest by tag": 12, "GET manifest by digest": 0, "GET blob": 0})

	// A new tag for an image already summarised.
	img := first.Images[0]
	desc, err := remote.Get(mustRef(t, reg+"/"+img.Pinned()))
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag(reg + "/" + img.Repository + ":new")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Tag(tag, desc); err != nil {
		t.Fatal(err)
	}
	run("with a new tag", 12, 13, 12, map[string]int{"GET manifest by tag": 1, "HEAD manifest by tag": 12, "GET manifest by digest": 0, "GET blob": 0})
	run("then", 12, 13, 12, map[string]int{"GET manifest by tag": 0, "HEAD manifest by tag": 13})

	// Without a result store, every tag is fetched with a GET.
	opts.Layers, opts.Results = nil, nil
	run("without a cache", 12, 13, 0, map[string]int{"GET manifest by tag": 13, "HEAD manifest by tag": 0, "GET manifest by digest": 0})
}

// faultProxy stands in front of the registry and answers some requests
// itself.
type faultProxy struct {
	*httptest.Server
	mu    sync.Mutex
	fault func(r *http.Request, seen int) int
	seen  map[string]int
}

func newFaultProxy(t *testing.T, registry string, fault func(r *http.Request, seen int) int) *faultProxy {
	t.Helper()
	target, _ := url.Parse("http://" + registry)
	p := &faultProxy{fault: fault, seen: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		key := r.Method + " " + r.URL.Path
		p.seen[key]++
		n := p.seen[key]
		p.mu.Unlock()
		if code := p.fault(r, n); code != 0 {
			if code == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			http.Error(w, http.StatusText(code), code)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *faultProxy) host() string { return strings.TrimPrefix(p.URL, "http://") }

func isBlob(r *http.Request) bool { return strings.Contains(r.URL.Path, "/blobs/") }

// Answers 429 and 503 are tried again; an image whose blob is missing is a
// failure and the others are analysed; a closed catalog asks for --repo.
func TestIntegrationAuditFaults(t *testing.T) {
	reg, prefix, _ := pushFixture(t)
	fast := func(o audit.Options) audit.Options { o.Backoff = 10 * time.Millisecond; o.Jobs = 2; return o }

	t.Run("retries", func(t *testing.T) {
		var mu sync.Mutex
		injected := 0
		p := newFaultProxy(t, reg, func(r *http.Request, seen int) int {
			code := 0
			switch {
			case isBlob(r) && seen == 1:
				code = http.StatusTooManyRequests
			case strings.Contains(r.URL.Path, "/manifests/") && seen == 1:
				code = http.StatusServiceUnavailable
			}
			if code != 0 {
				mu.Lock()
				injected++
				mu.Unlock()
			}
			return code
		})
		rep, err := audit.Run(t.Context(), fast(audit.Options{Target: p.host() + "/" + prefix}))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) > 0 || rep.Stats.Images != 12 || injected < 12 {
			t.Errorf("stats %+v after %d answers 429 or 503; failures %v", rep.Stats, injected, rep.Failures)
		}
	})

	t.Run("broken image", func(t *testing.T) {
		var once sync.Once
		var broken string
		p := newFaultProxy(t, reg, func(r *http.Request, _ int) int {
			if !isBlob(r) || !strings.Contains(r.URL.Path, "/app-1/") {
				return 0
			}
			once.Do(func() { broken = r.URL.Path })
			if r.URL.Path == broken {
				return http.StatusInternalServerError
			}
			return 0
		})
		rep, err := audit.Run(t.Context(), fast(audit.Options{Target: p.host() + "/" + prefix, Retries: 2}))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failures) == 0 || rep.Stats.Images == 0 || rep.Stats.Images+len(rep.Failures) != 12 {
			t.Fatalf("%d images, failures %v", rep.Stats.Images, rep.Failures)
		}
		f := rep.Failures[0]
		if !strings.Contains(f.Ref, "/app-1@sha256:") || f.Attempts != 3 || !strings.Contains(f.Error, "500") {
			t.Errorf("failure %+v", f)
		}
	})

	t.Run("closed catalog", func(t *testing.T) {
		p := newFaultProxy(t, reg, func(r *http.Request, _ int) int {
			if r.URL.Path == "/v2/_catalog" {
				return http.StatusUnauthorized
			}
			return 0
		})
		_, err := audit.Run(t.Context(), fast(audit.Options{Target: p.host() + "/" + prefix}))
		if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), "--repo") {
			t.Fatalf("closed catalog: %v", err)
		}
		rep, err := audit.Run(t.Context(), fast(audit.Options{Target: p.host() + "/" + prefix, Repos: []string{"app-0", "app-2", "no-such-repo"}}))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Stats.Images != 6 || len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0].Ref, "no-such-repo") {
			t.Errorf("with --repo: %d images, failures %v", rep.Stats.Images, rep.Failures)
		}
	})

	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		p := newFaultProxy(t, reg, func(r *http.Request, _ int) int {
			time.Sleep(30 * time.Millisecond)
			return 0
		})
		if _, err := audit.Run(ctx, audit.Options{Target: p.host() + "/" + prefix}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("interrupted audit: %v", err)
		}
	})
}

// Multi-platform indexes give the host's image, the platforms asked for,
// or all.
func TestIntegrationAuditPlatforms(t *testing.T) {
	reg := testenv.Registry(t)
	prefix := build.NewName("audit-platforms")
	ref, err := name.NewTag(reg + "/" + prefix + "/multi:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(ref, imagetest.MultiArch(t)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts audit.Options
		want []string
	}{
		{audit.Options{Platforms: []*v1.Platform{{OS: "linux", Architecture: "amd64"}}}, []string{"linux/amd64"}},
		{audit.Options{Platforms: []*v1.Platform{{OS: "linux", Architecture: "arm64", Variant: "v8"}}}, []string{"linux/arm64/v8"}},
		{audit.Options{AllPlatforms: true}, []string{"linux/amd64", "linux/arm64/v8"}},
	} {
		c.opts.Target = reg + "/" + prefix
		rep, err := audit.Run(t.Context(), c.opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, img := range rep.Images {
			got = append(got, img.Platform)
			if img.IndexDigest == "" || !strings.Contains(img.Ref(), "(") {
				t.Errorf("image from an index: %+v", img)
			}
		}
		if strings.Join(sorted(got), ",") != strings.Join(c.want, ",") {
			t.Errorf("%+v: platforms %v, want %v", c.opts.Platforms, got, c.want)
		}
	}
	// The index is fetched with a GET by tag the first time, asked for
	// with a HEAD the second: the same images.
	_, results := caches(t, t.TempDir())
	for run, fromCache := range []int{0, 2} {
		rep, err := audit.Run(t.Context(), audit.Options{Target: reg + "/" + prefix, AllPlatforms: true, Results: results})
		if err != nil {
			t.Fatal(err)
		}
		if s := rep.Stats; s.Images != 2 || s.ImagesFromCache != fromCache || len(rep.Failures) > 0 || rep.Images[0].IndexDigest == "" {
			t.Errorf("run %d with a cache: %+v, failures %v", run+1, s, rep.Failures)
		}
	}
	rep, err := audit.Run(t.Context(), audit.Options{Target: reg + "/" + prefix, Platforms: []*v1.Platform{{OS: "windows", Architecture: "amd64"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Images) != 0 || len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0].Error, "windows/amd64") {
		t.Errorf("no image for the platform: %+v", rep.Failures)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
