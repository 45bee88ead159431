package baseimage

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/estimate/estimatetest"
	"github.com/stratatools/strata/internal/estimate/fetch"
)

func fixture(name string) estimatetest.Image {
	for _, im := range estimatetest.Images() {
		if im.Name == name {
			return im
		}
	}
	panic(name)
}

func TestFactsFromRegistry(t *testing.T) {
	host := estimatetest.Registry(t)
	r := &Resolver{Registry: true, Cache: fetch.Cache{Dir: t.TempDir()}}
	ctx := context.Background()

	f, err := r.Facts(ctx, host+"/fixture/debian:latest", Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.From != FromRegistry || !f.FilesRead || !f.SizeKnown || f.Size != fixture("debian").Size() || f.Layers != 2 || f.Compressed <= 0 {
		t.Fatalf("debian: from %s files %v size %d (want %d) layers %d compressed %d", f.From, f.FilesRead, f.Size, fixture("debian").Size(), f.Layers, f.Compressed)
	}
	if f.OS.ID != "debian" || f.OS.Codename != "fixture" || !f.OS.IsDebian() || len(f.Dpkg) != 6 || len(f.AptSources) != 2 || f.AptSources[1].Suite != "fixture-updates" {
		t.Errorf("debian: os %+v, %d packages, sources %+v", f.OS, len(f.Dpkg), f.AptSources)
	}
	if f.Apt != (AptConfig{}) || len(f.DpkgExcludes) != 0 || f.Sizes["var/cache/debconf/templates.dat"] != 500_000 || f.Sizes["var/lib/dpkg/status"] == 0 {
		t.Errorf("debian: apt %+v excludes %v sizes %v", f.Apt, f.DpkgExcludes, f.Sizes)
	}
	if len(f.Env) != 1 {
		t.Errorf("debian: env %v", f.Env)
	}
	// Folder and large-file sizes, after the second layer's whiteout.
	if n, ok := f.PathSize("/usr/bin/bash"); !ok || n != 1_200_000 {
		t.Errorf("/usr/bin/bash: %d %v", n, ok)
	}
	if n, ok := f.PathSize("/usr"); !ok || n != 3_200_000 {
		t.Errorf("/usr: %d %v, want bash and libc without the deleted changelog", n, ok)
	}
	if _, ok := f.PathSize("/etc/hostname"); ok {
		t.Error("a small file's own size is kept")
	}

	d, err := r.Facts(ctx, host+"/fixture/debian-docker:latest", Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := (AptConfig{NoPkgCache: true, CleansArchives: true, GzipIndexes: true, NoLanguages: true}); d.Apt != want || len(d.AptSources) != 2 {
		t.Errorf("debian-docker: apt %+v sources %+v", d.Apt, d.AptSources)
	}
	s, err := r.Facts(ctx, host+"/fixture/debian-slim:latest", Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.DpkgExcludes) != 2 {
		t.Errorf("debian-slim excludes %v", s.DpkgExcludes)
	}
	a, err := r.Facts(ctx, host+"/fixture/alpine:latest", Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	if !a.OS.IsAlpine() || len(a.Apk) != 3 || len(a.ApkRepos) != 1 || a.ApkRepos[0] != "http://apk.test/alpine/v3/main" {
		t.Errorf("alpine: os %+v apk %d repos %v", a.OS, len(a.Apk), a.ApkRepos)
	}

	// The metadata alone: compressed sizes, nothing read.
	m := &Resolver{Registry: true, Cache: fetch.Cache{Dir: t.TempDir()}}
	meta, err := m.Facts(ctx, host+"/fixture/alpine:latest", Need{})
	if err != nil {
		t.Fatal(err)
	}
	if meta.FilesRead || meta.SizeKnown || meta.Compressed <= 0 {
		t.Errorf("metadata only: %+v", meta)
	}

	// The cache answers offline, with what it knows; without it,
	// nothing is known and the notes say why.
	off := &Resolver{Registry: false, Cache: r.Cache}
	c, err := off.Facts(ctx, host+"/fixture/debian:latest", Need{Files: true})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Cached || !c.FilesRead || c.Size != f.Size {
		t.Errorf("offline from the cache: cached %v files %v size %d", c.Cached, c.FilesRead, c.Size)
	}
	old := &Resolver{Registry: false, Cache: r.Cache, Now: func() time.Time { return time.Now().Add(72 * time.Hour) }}
	c, err = old.Facts(ctx, host+"/fixture/debian:latest", Need{Files: true})
	if err != nil || !c.Cached || !strings.Contains(strings.Join(c.Notes, " "), "offline") {
		t.Errorf("offline with a stale cache: %+v %v", c, err)
	}
	none, err := (&Resolver{Registry: false, Cache: fetch.Cache{Dir: t.TempDir()}}).Facts(ctx, host+"/fixture/debian:latest", Need{})
	if err != nil || none.From != FromNone || len(none.Notes) == 0 {
		t.Errorf("offline without a cache: %+v %v", none, err)
	}
	missing, err := r.Facts(ctx, host+"/fixture/nosuch:latest", Need{})
	if err != nil || missing.From != FromNone || !strings.Contains(strings.Join(missing.Notes, " "), "registry") {
		t.Errorf("an image the registry does not have: %+v %v", missing, err)
	}
}

func TestParseHelpers(t *testing.T) {
	o := parseOSRelease([]byte("NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n"))
	if o.ID != "ubuntu" || o.Codename != "jammy" || !o.IsDebian() {
		t.Errorf("os-release: %+v", o)
	}
	if ex := parseDpkgExcludes([]byte("path-exclude=/usr/share/doc/*\n# x\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\n")); len(ex) != 2 {
		t.Errorf("excludes %v", ex)
	}
}

func FuzzScanLayer(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("not a tar"))
	im := fixture("alpine")
	img, err := im.Build()
	if err != nil {
		f.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		f.Fatal(err)
	}
	rc, err := ls[0].Compressed()
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(rc)
	rc.Close()
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := scanLayer(context.Background(), bytes.NewReader(data))
		if err != nil {
			return
		}
		facts := &Facts{}
		facts.fill(ls.files)
	})
}
