package deb_test

import (
	"bytes"
	"testing"

	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/estimate/estimatetest"
)

// FuzzParsePackages: any bytes parse or fail with an error; never a
// panic, and what parses resolves.
func FuzzParsePackages(f *testing.F) {
	f.Add(mirrorFile(f, estimatetest.DebHost+"/debian/dists/fixture/main/binary-amd64/Packages"))
	f.Add([]byte(estimatetest.DebStatus()))
	f.Add([]byte("Package: a\nDepends: b | c (>= 1), d:any\n continued\nProvides: e\n\nPackage: b\nInstalled-Size: 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix := deb.NewIndex("amd64")
		var names []string
		_ = deb.ParsePackages(bytes.NewReader(data), func(p *deb.Package) error {
			ix.Add(p)
			names = append(names, p.Name)
			return nil
		})
		ps, _ := deb.ParseStatus(bytes.NewReader(data))
		ix.Resolve(names, deb.NewInstalled(ps), true)
	})
}

func FuzzParseRelease(f *testing.F) {
	f.Add(mirrorFile(f, estimatetest.DebHost+"/debian/dists/fixture/InRelease"))
	f.Add(mirrorFile(f, estimatetest.DebHost+"/debian/dists/fixture/Release"))
	f.Add([]byte("-----BEGIN PGP SIGNED MESSAGE-----\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rel, err := deb.ParseRelease(data)
		if err == nil && len(rel.Files) == 0 {
			t.Fatal("a Release without files parsed")
		}
	})
}

func FuzzParseSources(f *testing.F) {
	f.Add([]byte("deb [arch=amd64] http://a.test/debian bookworm main\n"))
	f.Add([]byte("Types: deb\nURIs: http://a.test\nSuites: s\nComponents: main\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range append(deb.ParseSourcesList(data), deb.ParseDeb822Sources(data)...) {
			if s.URI == "" || s.Suite == "" {
				t.Fatalf("a source without URI or suite: %+v", s)
			}
		}
	})
}

func FuzzCompareVersions(f *testing.F) {
	f.Add("1:2.3~rc1-4", "2.3-4")
	f.Fuzz(func(t *testing.T, a, b string) {
		if x, y := deb.CompareVersions(a, b), deb.CompareVersions(b, a); sign(x) != -sign(y) {
			t.Fatalf("CompareVersions(%q, %q) = %d but reversed %d", a, b, x, y)
		}
	})
}
