package npm

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/estimate/estimatetest"
	"github.com/stratatools/strata/internal/estimate/fetch"
)

func TestMaxSatisfying(t *testing.T) {
	vs := []string{"1.2.3", "1.2.10", "1.3.0", "2.0.0", "2.1.0-beta.1", "2.1.0", "0.2.5", "0.2.9", "0.3.0", "3.0.0-rc.1"}
	for _, c := range []struct{ rng, want string }{
		{"^1.2.3", "1.3.0"},
		{"~1.2.3", "1.2.10"},
		{"1.2", "1.2.10"},
		{"1.x", "1.3.0"},
		{"*", "2.1.0"},
		{"", "2.1.0"},
		{">=1.2.4 <2", "1.3.0"},
		{"1.2.3 - 2.0.0", "2.0.0"},
		{"1.2.3 - 2", "2.1.0"},
		{"^0.2.5", "0.2.9"},
		{"^0.3", "0.3.0"},
		{"<1.2.5 || ^2", "2.1.0"},
		{"=1.2.3", "1.2.3"},
		{"^2.1.0-beta.0", "2.1.0"},
		{">2.1.0-alpha <2.1.0", "2.1.0-beta.1"},
		{"^4", ""},
		{"not a range", ""},
		{"^3.0.0-rc.0", "3.0.0-rc.1"},
	} {
		if got := maxSatisfying(vs, c.rng); got != c.want {
			t.Errorf("maxSatisfying(%q) = %q, want %q", c.rng, got, c.want)
		}
	}
}

func TestParseLock(t *testing.T) {
	v3 := `{"name":"app","lockfileVersion":3,"packages":{
		"":{"name":"app","version":"1.0.0"},
		"node_modules/express":{"version":"4.18.2","resolved":"https://r/express-4.18.2.tgz"},
		"node_modules/express/node_modules/debug":{"version":"2.6.9"},
		"node_modules/jest":{"version":"29.0.0","dev":true},
		"node_modules/fsevents":{"version":"2.3.3","optional":true,"devOptional":true},
		"node_modules/local":{"resolved":"../local","link":true},
		"packages/ws":{"name":"ws","version":"1.0.0"}}}`
	l, err := ParseLock([]byte(v3))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range l.Packages {
		s := p.Name + "@" + p.Version
		if p.Dev {
			s += "(dev)"
		}
		got = append(got, s)
	}
	if want := "express@4.18.2 debug@2.6.9 fsevents@2.3.3(dev) jest@29.0.0(dev) ws@1.0.0"; strings.Join(got, " ") != want {
		t.Errorf("v3 lock: %v, want %s", got, want)
	}
	v1 := `{"name":"app","lockfileVersion":1,"dependencies":{
		"express":{"version":"4.18.2","dependencies":{"debug":{"version":"2.6.9"}}},
		"jest":{"version":"29.0.0","dev":true},
		"bundled":{"version":"1.0.0","bundled":true}}}`
	l, err = ParseLock([]byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Packages) != 3 || l.Packages[1].Path != "node_modules/express/node_modules/debug" {
		t.Errorf("v1 lock: %+v", l.Packages)
	}
	for _, bad := range []string{`{`, `{"lockfileVersion":2}`} {
		if _, err := ParseLock([]byte(bad)); err == nil {
			t.Errorf("ParseLock(%s) succeeded", bad)
		}
	}
}

func client(m *estimatetest.Mirror, dir string) *Client {
	return &Client{Fetch: &fetch.Client{HTTP: m.Client, Timeout: 10 * time.Second}, Cache: fetch.Cache{Dir: dir}, Registry: "http://" + estimatetest.NpmHost}
}

func want(name, version string) NpmFixture {
	for _, p := range estimatetest.NpmPackages {
		if p.Name == name && p.Version == version {
			var n int64
			for _, s := range p.Files {
				n += int64(s)
			}
			return NpmFixture{n, p.DeclareUnpacked}
		}
	}
	return NpmFixture{}
}

// NpmFixture is what a fixture package weighs.
type NpmFixture struct {
	unpacked int64
	declared bool
}

func TestSizes(t *testing.T) {
	m := estimatetest.NewMirror(t)
	cache := t.TempDir()
	c := client(m, cache)
	pkgs := []Locked{{Name: "express", Version: "4.18.2"}, {Name: "debug", Version: "2.6.9"}, {Name: "@types/node", Version: "20.10.0"}, {Name: "nosuch", Version: "1.0.0"}}
	sizes, err := c.Sizes(context.Background(), pkgs)
	if err == nil || !strings.Contains(err.Error(), "nosuch@1.0.0") {
		t.Errorf("an unknown package gave no error: %v", err)
	}
	for i, p := range pkgs[:3] {
		w := want(p.Name, p.Version)
		s := sizes[i]
		if s.Unpacked != w.unpacked {
			t.Errorf("%s@%s: unpacked %d, want %d", p.Name, p.Version, s.Unpacked, w.unpacked)
		}
		if w.declared && s.From != "dist.unpackedSize" || !w.declared && (s.From != "tarball" || s.Tarball <= 0) {
			t.Errorf("%s@%s: from %q (tarball %d), declared %v", p.Name, p.Version, s.From, s.Tarball, w.declared)
		}
	}
	// Cached: the registry is not asked again.
	m.Down(estimatetest.NpmHost, 503)
	again, err := c.Sizes(context.Background(), pkgs[:3])
	if err != nil || again[1].Unpacked != sizes[1].Unpacked {
		t.Errorf("from the cache: %v %+v", err, again)
	}
}

func TestResolve(t *testing.T) {
	m := estimatetest.NewMirror(t)
	c := client(m, t.TempDir())
	got, err := c.Resolve(context.Background(), map[string]string{"express": "^4.17.0"})
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, p := range got {
		s = append(s, p.Name+"@"+p.Version)
	}
	// The newest 4.x (not the 5 beta), its dependencies, theirs.
	if strings.Join(s, " ") != "express@4.18.2 cookie@0.5.0 debug@2.6.9 ms@2.0.0" {
		t.Errorf("Resolve = %v", s)
	}
	if _, err := c.Resolve(context.Background(), map[string]string{"express": "^9"}); err == nil {
		t.Error("a range no version matches resolved")
	}
}

func TestTarballUnpacked(t *testing.T) {
	if _, err := TarballUnpacked(strings.NewReader("plain")); err == nil {
		t.Error("a tarball that is not gzip was read")
	}
}
