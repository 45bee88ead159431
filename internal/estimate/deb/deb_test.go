package deb_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/estimate/estimatetest"
	"github.com/stratatools/strata/internal/estimate/fetch"
)

func mirrorFile(t testing.TB, p string) []byte {
	t.Helper()
	dir, err := estimatetest.Dir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "mirror", filepath.FromSlash(p)))
	if err != nil {
		t.Fatalf("%v (go test ./internal/estimate/estimatetest -update makes the fixtures)", err)
	}
	return b
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.0", "1.0", 0},
		{"1.0", "1.1", -1},
		{"1.10", "1.9", 1},
		{"1:1.0", "2.0", 1},
		{"1.0~rc1", "1.0", -1},
		{"1.0", "1.0+b1", -1},
		{"3.0.11-1", "3.0.15-1~deb12u1", -1},
		{"2.36-9", "2.36-9+deb12u1", -1},
		{"1.0-1", "1.0-1~bpo1", 1},
		{"0:1.0", "1.0", 0},
		{"1.0a", "1.0", 1},
		{"7.88.1-10", "7.88.1-10+deb12u15", -1},
	} {
		if got := deb.CompareVersions(c.a, c.b); sign(got) != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := deb.CompareVersions(c.b, c.a); sign(got) != -c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.b, c.a, got, -c.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func fixtureIndex(t testing.TB) *deb.Index {
	ix := deb.NewIndex("amd64")
	for _, suite := range estimatetest.DebSuites {
		b := mirrorFile(t, estimatetest.DebHost+"/debian/dists/"+suite+"/main/binary-amd64/Packages")
		if err := deb.ParsePackages(bytes.NewReader(b), func(p *deb.Package) error { ix.Add(p); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

func fixtureInstalled(t testing.TB) *deb.Installed {
	ps, err := deb.ParseStatus(strings.NewReader(estimatetest.DebStatus()))
	if err != nil {
		t.Fatal(err)
	}
	return deb.NewInstalled(ps)
}

func TestParsePackagesAndStatus(t *testing.T) {
	ix := fixtureIndex(t)
	want := 0
	for _, p := range estimatetest.DebPackages {
		if p.Arch == "" && p.Suite == "" {
			want++
		}
	}
	if ix.Len() != want {
		t.Errorf("index holds %d packages, want %d (one version each, amd64 and all only)", ix.Len(), want)
	}
	if p := ix.Lookup("hello-arm"); p != nil {
		t.Errorf("an arm64 package is in the amd64 index: %+v", p)
	}
	ssl := ix.Lookup("libssl3")
	if ssl == nil || ssl.Version != "3.0.15-1~deb12u1" || ssl.InstalledSize != 6100*1024 || ssl.Size != 2050000 {
		t.Errorf("libssl3 = %+v, want the updates suite's newer version with its sizes", ssl)
	}
	mta := ix.Providers("mail-transport-agent")
	if len(mta) != 2 {
		t.Errorf("mail-transport-agent has %d providers, want 2", len(mta))
	}
	inst := fixtureInstalled(t)
	if inst.Len() != 6 || !inst.HasReal("libssl3") || inst.HasReal("curl") {
		t.Errorf("status: %v", inst.Names())
	}
	// A half-installed package and a removed one with its configuration
	// kept are not installed.
	ps, err := deb.ParseStatus(strings.NewReader("Package: a\nStatus: install ok half-configured\n\nPackage: b\nStatus: deinstall ok config-files\n\nPackage: c\nStatus: hold ok installed\nInstalled-Size: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Name != "c" || ps[0].InstalledSize != 3072 {
		t.Errorf("status parsed as %+v, want only c", ps)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"Package: a\nInstalled-Size: lots\n",
		"Package: a\nSize: -3\n",
		"Version: 1\n",
		"Package a\n",
	} {
		err := deb.ParsePackages(strings.NewReader(in), func(*deb.Package) error { return nil })
		if err == nil {
			t.Errorf("ParsePackages(%q) succeeded, want an error", in)
		}
	}
}

func TestRelations(t *testing.T) {
	got := deb.Relations("a (>= 1), b:any | c [amd64], d <profile>, e (<<2.0~)")
	if len(got) != 4 || got[0][0].Name != "a" || got[0][0].Op != ">=" || got[0][0].Version != "1" || got[1][0].Name != "b" || got[1][0].Arch != "any" || got[1][1].Name != "c" || got[2][0].Name != "d" || got[3][0].Op != "<<" || got[3][0].Version != "2.0~" {
		t.Errorf("Relations = %+v", got)
	}
	a := got[0][0]
	if !a.Allows("1") || !a.Allows("1.1") || a.Allows("0.9") || a.Allows("") || !got[2][0].Allows("") {
		t.Error("Allows")
	}
}

func TestParseRelease(t *testing.T) {
	for _, name := range []string{"InRelease", "Release"} {
		b := mirrorFile(t, estimatetest.DebHost+"/debian/dists/fixture/"+name)
		rel, err := deb.ParseRelease(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rel.Suite != "fixture" || !rel.NoArchAll || rel.Date.IsZero() || len(rel.Components) != 1 {
			t.Errorf("%s: %+v", name, rel)
		}
		for _, p := range []string{"main/binary-amd64/Packages", "main/binary-amd64/Packages.gz", "main/i18n/Translation-en"} {
			fi, ok := rel.Files[p]
			data := mirrorFile(t, estimatetest.DebHost+"/debian/dists/fixture/"+p)
			if !ok || fi.Size != int64(len(data)) || len(fi.SHA256) != 64 {
				t.Errorf("%s lists %s as %+v, the file has %d bytes", name, p, fi, len(data))
			}
		}
	}
	if _, err := deb.ParseRelease([]byte("Origin: x\n")); err == nil {
		t.Error("a Release without files parsed")
	}
	if _, err := deb.ParseRelease([]byte("SHA256:\n abc notanumber main/x\n")); err == nil {
		t.Error("a Release with a bad size parsed")
	}
}

func TestSources(t *testing.T) {
	got := deb.ParseSourcesList([]byte("# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://a.test/debian/ bookworm main contrib\ndeb-src http://a.test/debian bookworm main\ndeb http://b.test/flat ./\n deb http://c.test/ubuntu jammy-security main # trailing\n"))
	if len(got) != 2 || got[0].URI != "http://a.test/debian" || got[0].Suite != "bookworm" || len(got[0].Components) != 2 || got[1].Suite != "jammy-security" {
		t.Errorf("ParseSourcesList = %+v", got)
	}
	got = deb.ParseDeb822Sources([]byte("Types: deb deb-src\nURIs: http://a.test/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://b.test/x\nSuites: off\nComponents: main\nEnabled: no\n\nTypes: deb-src\nURIs: http://c.test\nSuites: s\nComponents: main\n"))
	if len(got) != 2 || got[1].Suite != "bookworm-updates" {
		t.Errorf("ParseDeb822Sources = %+v", got)
	}
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

func names(ps []*deb.Package) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestResolve(t *testing.T) {
	ix := fixtureIndex(t)
	for _, c := range []struct {
		req        []string
		recommends bool
		want       []string
		missing    []string
		already    []string
	}{
		// Depends on python3:any, python3's own dependencies, and the
		// Recommends only when asked.
		{req: []string{"python3-flask"}, recommends: true,
			want: []string{"python3-flask", "python3-click", "python3", "python3.11", "libpython3.11-stdlib", "media-types", "libpython3-stdlib", "python3-jinja2", "python3-markupsafe", "python3-dotenv"}},
		{req: []string{"python3-flask"}, recommends: false,
			want: []string{"python3-flask", "python3-click", "python3", "python3.11", "libpython3.11-stdlib", "media-types", "libpython3-stdlib", "python3-jinja2", "python3-markupsafe"}},
		// libssl3 | libssl1.1 is satisfied by the installed libssl3; the
		// recommended ca-certificates brings openssl.
		{req: []string{"curl"}, recommends: true, want: []string{"curl", "libcurl4", "ca-certificates", "openssl"}},
		{req: []string{"curl"}, recommends: false, want: []string{"curl", "libcurl4"}},
		// default-mta | mail-transport-agent: no default-mta; of the
		// virtual package's providers of equal priority, apt takes the
		// one read last.
		{req: []string{"mailx"}, want: []string{"mailx", "exim4-daemon-light"}},
		// Provides: node-yamlish (= 1.10.2) does not meet node-yamlish
		// (>= 2.0.1~): the real package comes too.
		{req: []string{"node-tapper"}, want: []string{"node-tapper", "node-yamlish"}},
		// A virtual package requested directly.
		{req: []string{"libc-dev"}, want: []string{"libc6-dev"}},
		{req: []string{"gcc", "make"}, recommends: true, want: []string{"gcc", "cpp", "cpp-12", "gcc-12", "libc6-dev", "make"}},
		{req: []string{"nosuchpackage", "bash"}, missing: []string{"nosuchpackage"}, already: []string{"bash"}},
	} {
		inst := fixtureInstalled(t)
		res := ix.Resolve(c.req, inst, c.recommends)
		if strings.Join(sorted(names(res.New)), " ") != strings.Join(sorted(c.want), " ") {
			t.Errorf("Resolve(%v, recommends=%v) adds %v, want %v", c.req, c.recommends, names(res.New), c.want)
		}
		if strings.Join(res.Missing, " ") != strings.Join(c.missing, " ") || strings.Join(res.Already, " ") != strings.Join(c.already, " ") {
			t.Errorf("Resolve(%v): missing %v already %v, want %v %v", c.req, res.Missing, res.Already, c.missing, c.already)
		}
		var size int64
		for _, p := range res.New {
			size += p.InstalledSize
			if !inst.HasReal(p.Name) {
				t.Errorf("Resolve(%v) did not mark %s installed", c.req, p.Name)
			}
		}
		if size != res.InstalledSize {
			t.Errorf("Resolve(%v): InstalledSize %d, the packages sum to %d", c.req, res.InstalledSize, size)
		}
	}
	// What is installed is not installed again.
	inst := fixtureInstalled(t)
	ix.Resolve([]string{"python3"}, inst, true)
	res := ix.Resolve([]string{"python3-flask"}, inst, false)
	for _, p := range res.New {
		if p.Name == "python3" || p.Name == "python3.11" {
			t.Errorf("python3-flask after python3 installs %s again", p.Name)
		}
	}
}

func loader(m *estimatetest.Mirror, dir string, timeout time.Duration) *deb.Loader {
	return &deb.Loader{Client: &fetch.Client{HTTP: m.Client, Timeout: timeout}, Cache: fetch.Cache{Dir: dir}}
}

var fixtureSources = []deb.Source{
	{URI: "http://" + estimatetest.DebHost + "/debian", Suite: "fixture", Components: []string{"main"}},
	{URI: "http://" + estimatetest.DebHost + "/debian", Suite: "fixture-updates", Components: []string{"main"}},
}

func TestLoad(t *testing.T) {
	m := estimatetest.NewMirror(t)
	cache := t.TempDir()
	ctx := context.Background()
	l, err := loader(m, cache, 10*time.Second).Load(ctx, fixtureSources, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Complete() || l.Index.Lookup("python3") == nil || l.Index.Lookup("libssl3").Version != "3.0.15-1~deb12u1" {
		t.Fatalf("loaded %+v", l.Suites)
	}
	var want, pk int64
	for _, s := range estimatetest.DebSuites {
		for _, f := range []string{"InRelease", "main/binary-amd64/Packages", "main/i18n/Translation-en"} {
			want += int64(len(mirrorFile(t, estimatetest.DebHost+"/debian/dists/"+s+"/"+f)))
		}
		pk += int64(len(mirrorFile(t, estimatetest.DebHost+"/debian/dists/"+s+"/main/binary-amd64/Packages")))
	}
	if l.ListsSize() != want || len(l.Lists) != 6 || l.PackagesSize != pk {
		t.Errorf("lists %v (%d bytes), packages %d; want 6 files of %d bytes and %d", l.Lists, l.ListsSize(), l.PackagesSize, want, pk)
	}
	if n := l.Lists[0].Name; n != "deb.test_debian_dists_fixture_InRelease" {
		t.Errorf("list file named %q, as apt does not", n)
	}
	// Compressed lists and no translations.
	l2, err := loader(m, t.TempDir(), 10*time.Second).Load(ctx, fixtureSources[:1], deb.ListOptions{GzipIndexes: true, NoLanguages: true})
	if err != nil {
		t.Fatal(err)
	}
	raw := int64(len(mirrorFile(t, estimatetest.DebHost+"/debian/dists/fixture/main/binary-amd64/Packages")))
	inrel := int64(len(mirrorFile(t, estimatetest.DebHost+"/debian/dists/fixture/InRelease")))
	if len(l2.Lists) != 2 || l2.ListsSize() != int64(float64(raw)*deb.LZ4Ratio)+inrel || !l2.ListsModelled() || !strings.HasSuffix(l2.Lists[1].Name, "Packages.lz4") {
		t.Errorf("compressed indexes without languages: %v, want InRelease and apt's lz4 copy of Packages", l2.Lists)
	}

	// The cache answers without the mirror while it is fresh...
	m.Down(estimatetest.DebHost, http.StatusServiceUnavailable)
	before := m.Requests()
	l3, err := loader(m, cache, 10*time.Second).Load(ctx, fixtureSources, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Requests() != before || !l3.Complete() || !l3.Suites[0].FromCache || l3.Index.Len() != l.Index.Len() {
		t.Errorf("fresh cache: %d requests, suites %+v", m.Requests()-before, l3.Suites)
	}
	// ...and, once stale, stands in for a mirror that does not answer.
	old := loader(m, cache, 10*time.Second)
	old.Now = func() time.Time { return time.Now().Add(48 * time.Hour) }
	l4, err := old.Load(ctx, fixtureSources, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !l4.Complete() || !l4.Suites[0].Stale || l4.Index.Len() != l.Index.Len() || !strings.Contains(l4.Describe(), "cached; mirror unreachable") {
		t.Errorf("stale cache with the mirror down: %+v %q", l4.Suites, l4.Describe())
	}
	// Without a cache, the source is reported, not guessed.
	l5, err := loader(m, t.TempDir(), 10*time.Second).Load(ctx, fixtureSources, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l5.Complete() || l5.Index.Len() != 0 || l5.Suites[0].Err == nil || !strings.Contains(l5.Suites[0].Err.Error(), "503") {
		t.Errorf("mirror down, no cache: %+v", l5.Suites)
	}
	m.Down(estimatetest.DebHost, 0)
}

// TestLoadTimeout: a mirror that accepts and never answers costs the
// client's timeout, not a hang.
func TestLoadTimeout(t *testing.T) {
	m := estimatetest.NewMirror(t)
	m.Hang(estimatetest.DebHost, true)
	start := time.Now()
	l, err := loader(m, t.TempDir(), 300*time.Millisecond).Load(context.Background(), fixtureSources, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a hanging mirror took %v", d)
	}
	if l.Complete() || !strings.Contains(l.Suites[0].Err.Error(), "deadline") {
		t.Errorf("hanging mirror: %+v", l.Suites)
	}
	// Cancelling the context ends the load.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := loader(m, t.TempDir(), time.Minute).Load(ctx, fixtureSources, deb.ListOptions{}); err == nil {
		t.Error("a cancelled load succeeded")
	}
}

// TestLoadChecksum: a Packages file that is not the one the Release
// lists is refused.
func TestLoadChecksum(t *testing.T) {
	pk := mirrorFile(t, estimatetest.DebHost+"/debian/dists/fixture/main/binary-amd64/Packages.gz")
	rel := mirrorFile(t, estimatetest.DebHost+"/debian/dists/fixture/InRelease")
	srv := newServer(t, map[string][]byte{
		"/debian/dists/fixture/InRelease":                     rel,
		"/debian/dists/fixture/main/binary-amd64/Packages.gz": append([]byte(nil), pk[:len(pk)-1]...),
	})
	l, err := (&deb.Loader{Client: &fetch.Client{}}).Load(context.Background(), []deb.Source{{URI: srv + "/debian", Suite: "fixture", Components: []string{"main"}}}, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Complete() || l.Suites[0].Err == nil {
		t.Fatalf("a truncated Packages.gz was accepted: %+v", l.Suites)
	}
}

// TestLoadRefreshesRelease: a cached Release whose Packages file the
// mirror has since replaced is fetched again.
func TestLoadRefreshesRelease(t *testing.T) {
	archive := func(pk string) map[string][]byte {
		var gzb bytes.Buffer
		zw := gzip.NewWriter(&gzb)
		zw.Write([]byte(pk))
		zw.Close()
		sum, raw := sha256.Sum256(gzb.Bytes()), sha256.Sum256([]byte(pk))
		rel := fmt.Sprintf("Suite: s\nDate: Sun, 01 Jun 2025 12:00:00 UTC\nSHA256:\n %x %d main/binary-amd64/Packages\n %x %d main/binary-amd64/Packages.gz\n", raw, len(pk), sum, gzb.Len())
		return map[string][]byte{"/d/dists/s/InRelease": []byte(rel), "/d/dists/s/main/binary-amd64/Packages.gz": gzb.Bytes()}
	}
	var mu sync.Mutex
	files := archive("Package: one\nVersion: 1\nInstalled-Size: 1\n")
	srv := newServerMu(t, files, &mu)
	cache := t.TempDir()
	l := &deb.Loader{Client: &fetch.Client{}, Cache: fetch.Cache{Dir: cache}}
	src := []deb.Source{{URI: srv + "/d", Suite: "s", Components: []string{"main"}}}
	if got, err := l.Load(context.Background(), src, deb.ListOptions{}); err != nil || got.Index.Lookup("one") == nil {
		t.Fatalf("first load: %v %+v", err, got)
	}
	// The parsed index is dropped from the cache, the Release kept; the
	// mirror publishes a new index.
	old, _ := filepath.Glob(filepath.Join(cache, "packages-*"))
	for _, p := range old {
		os.Remove(p)
	}
	mu.Lock()
	for k, v := range archive("Package: two\nVersion: 2\nInstalled-Size: 2\n") {
		files[k] = v
	}
	mu.Unlock()
	got, err := l.Load(context.Background(), src, deb.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Complete() || got.Index.Lookup("two") == nil || got.Suites[0].FromCache {
		t.Errorf("after the mirror moved on: %+v", got.Suites)
	}
}
