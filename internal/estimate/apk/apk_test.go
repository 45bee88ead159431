package apk_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/estimatetest"
	"github.com/stratatools/strata/internal/estimate/fetch"
)

const repo = "http://" + estimatetest.ApkHost + "/alpine/v3/main"

func indexFile(t testing.TB) []byte {
	t.Helper()
	dir, err := estimatetest.Dir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "mirror", estimatetest.ApkHost, "alpine/v3/main/x86_64/APKINDEX.tar.gz"))
	if err != nil {
		t.Fatalf("%v (go test ./internal/estimate/estimatetest -update makes the fixtures)", err)
	}
	return b
}

func TestParseIndexArchive(t *testing.T) {
	ps, err := apk.ParseIndexArchive(bytes.NewReader(indexFile(t)), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(estimatetest.ApkPackages) {
		t.Fatalf("%d packages, want %d", len(ps), len(estimatetest.ApkPackages))
	}
	byName := map[string]*apk.Package{}
	for _, p := range ps {
		byName[p.Name] = p
	}
	c := byName["curl"]
	if c == nil || c.InstalledSize != 300000 || c.Size != 160000 || len(c.Depends) != 3 || c.Provides[0] != "cmd:curl" {
		t.Errorf("curl = %+v", c)
	}
	if _, err := apk.ParseIndexArchive(strings.NewReader("not gzip"), 1<<20); err == nil {
		t.Error("a file that is not gzip parsed")
	}
}

func TestParseDBErrors(t *testing.T) {
	for _, in := range []string{"P:a\nI:many\n", "V:1\n", "no colon here\n"} {
		if err := apk.ParseDB(strings.NewReader(in), func(*apk.Package) error { return nil }); err == nil {
			t.Errorf("ParseDB(%q) succeeded", in)
		}
	}
}

func TestResolve(t *testing.T) {
	ps, err := apk.ParseIndexArchive(bytes.NewReader(indexFile(t)), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	ix := apk.NewIndex()
	for _, p := range ps {
		ix.Add(p)
	}
	var base []*apk.Package
	if err := apk.ParseDB(strings.NewReader(estimatetest.ApkInstalled()), func(p *apk.Package) error { base = append(base, p); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		req, want, missing []string
	}{
		// so:libcurl.so.4 is provided by libcurl, which needs so:libz.so.1
		// (zlib); the bundle and musl are installed.
		{req: []string{"curl"}, want: []string{"curl", "libcurl", "zlib"}},
		// A conflict (!python2) is no dependency.
		{req: []string{"python3"}, want: []string{"python3", "zlib"}},
		{req: []string{"build-base", "nosuch"}, want: []string{"build-base", "gcc", "make"}, missing: []string{"nosuch"}},
		{req: []string{"busybox", "cmd:sh"}},
	} {
		res := ix.Resolve(c.req, apk.NewInstalled(base))
		got := apk.Names(res.New)
		want := append([]string(nil), c.want...)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") || strings.Join(res.Missing, " ") != strings.Join(c.missing, " ") {
			t.Errorf("Resolve(%v) = %v missing %v, want %v missing %v", c.req, got, res.Missing, want, c.missing)
		}
	}
}

func TestRepositories(t *testing.T) {
	got := apk.ParseRepositories([]byte("https://a.test/alpine/v3.19/main/\n# off\n@edge https://a.test/edge\n\nhttps://a.test/alpine/v3.19/community\n"))
	if len(got) != 2 || got[0] != "https://a.test/alpine/v3.19/main" {
		t.Errorf("ParseRepositories = %v", got)
	}
}

func TestLoad(t *testing.T) {
	m := estimatetest.NewMirror(t)
	cache := t.TempDir()
	l := &apk.Loader{Client: &fetch.Client{HTTP: m.Client, Timeout: 10 * time.Second}, Cache: fetch.Cache{Dir: cache}}
	got, err := l.Load(context.Background(), []string{repo})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Complete() || got.Index.Lookup("curl") == nil || got.IndexSize() != int64(len(indexFile(t))) {
		t.Fatalf("loaded %+v", got.Repos)
	}
	m.Down(estimatetest.ApkHost, http.StatusBadGateway)
	again, err := l.Load(context.Background(), []string{repo})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Complete() || !again.Repos[0].FromCache {
		t.Errorf("from the cache with the repository down: %+v", again.Repos)
	}
	cold := &apk.Loader{Client: &fetch.Client{HTTP: m.Client}, Cache: fetch.Cache{Dir: t.TempDir()}}
	none, err := cold.Load(context.Background(), []string{repo})
	if err != nil {
		t.Fatal(err)
	}
	if none.Complete() || none.Index.Len() != 0 {
		t.Errorf("repository down and no cache: %+v", none.Repos)
	}
}
