package image

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// tentry is one tar entry of a test layer.
type tentry struct {
	name string
	typ  byte
	body []byte
	size int64 // header size when it differs from len(body) (bad input)
	mode int64
	link string
	uid  int
}

func file(name, body string) tentry {
	return tentry{name: name, typ: tar.TypeReg, body: []byte(body), mode: 0o644}
}

// blob is a file of n deterministic bytes; seed varies the content.
func blob(name string, n int, seed byte) tentry {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return tentry{name: name, typ: tar.TypeReg, body: b, mode: 0o644}
}

func withMode(e tentry, mode int64) tentry { e.mode = mode; return e }

func dir(name string) tentry { return tentry{name: name, typ: tar.TypeDir, mode: 0o755} }

func symlink(name, target string) tentry {
	return tentry{name: name, typ: tar.TypeSymlink, link: target, mode: 0o777}
}

func hardlink(name, target string) tentry {
	return tentry{name: name, typ: tar.TypeLink, link: target, mode: 0o644}
}

// whiteout removes name in a lower layer.
func whiteout(name string) tentry {
	d, b := filepath.Split(name)
	return tentry{name: d + ".wh." + b, typ: tar.TypeReg, mode: 0o644}
}

// opaque hides a directory's lower contents.
func opaque(dir string) tentry {
	return tentry{name: strings.TrimSuffix(dir, "/") + "/.wh..wh..opq", typ: tar.TypeReg, mode: 0o644}
}

// tarBytes writes entries as an uncompressed tar stream.
func tarBytes(t testing.TB, entries ...tentry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Linkname: e.link, Uid: e.uid, ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if e.typ == tar.TypeReg {
			hdr.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if len(e.body) > 0 {
			if _, err := tw.Write(e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// layerOf makes a layer (gzip-compressed unless opts say otherwise).
func layerOf(t testing.TB, entries []tentry, opts ...tarball.LayerOption) v1.Layer {
	t.Helper()
	raw := tarBytes(t, entries...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(raw)), nil
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// step is one history step of a test image: a layer, or an empty step.
type step struct {
	createdBy string
	entries   []tentry // nil: empty layer
	layer     v1.Layer // overrides entries
}

// buildImage assembles an image from steps; cfg may adjust the config.
func buildImage(t testing.TB, steps []step, cfg func(*v1.Config)) v1.Image {
	t.Helper()
	img := empty.Image
	var hist []v1.History
	created := time.Unix(1700000000, 0)
	for i, s := range steps {
		h := v1.History{CreatedBy: s.createdBy, Created: v1.Time{Time: created.Add(time.Duration(i) * time.Minute)}}
		l := s.layer
		if l == nil && s.entries != nil {
			l = layerOf(t, s.entries)
		}
		if l == nil {
			h.EmptyLayer = true
		} else {
			var err error
			img, err = mutate.AppendLayers(img, l)
			if err != nil {
				t.Fatal(err)
			}
		}
		hist = append(hist, h)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.History = hist
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: created}
	if cfg != nil {
		cfg(&cf.Config)
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// uncompressedLayers returns each layer's tar bytes and diff ID.
func uncompressedLayers(t testing.TB, img v1.Image) ([][]byte, []v1.Hash) {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	var ids []v1.Hash
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		id, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
		ids = append(ids, id)
	}
	return out, ids
}

// archiveWriter builds an outer tar (docker save or OCI archive).
type archiveWriter struct {
	t  testing.TB
	tw *tar.Writer
}

func (a *archiveWriter) file(name string, b []byte) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: int64(len(b)), Mode: 0o644}); err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.tw.Write(b); err != nil {
		a.t.Fatal(err)
	}
}

func (a *archiveWriter) symlink(name, target string) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777}); err != nil {
		a.t.Fatal(err)
	}
}

func (a *archiveWriter) dir(name string) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
		a.t.Fatal(err)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// dockerSaveOld writes img in the layout of docker save before Docker 25:
// <id>/layer.tar (uncompressed), <id>/json, <config>.json, manifest.json
// last. A layer identical to an earlier one is stored as a symlink to it,
// as docker save does.
func dockerSaveOld(t testing.TB, img v1.Image, tag string) []byte {
	t.Helper()
	var buf bytes.Buffer
	a := &archiveWriter{t: t, tw: tar.NewWriter(&buf)}
	layers, ids := uncompressedLayers(t, img)
	first := map[v1.Hash]string{}
	var names []string
	parent := ""
	for i, b := range layers {
		id := sha([]byte(fmt.Sprintf("%s %d %s", parent, i, ids[i])))
		parent = id
		a.dir(id + "/")
		a.file(id+"/VERSION", []byte("1.0"))
		a.file(id+"/json", []byte(fmt.Sprintf(`{"id":%q}`, id)))
		if prev, ok := first[ids[i]]; ok {
			a.symlink(id+"/layer.tar", "../"+prev+"/layer.tar")
		} else {
			a.file(id+"/layer.tar", b)
			first[ids[i]] = id
		}
		names = append(names, id+"/layer.tar")
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfgName := sha(raw) + ".json"
	a.file(cfgName, raw)
	man, _ := json.Marshal([]dockerManifestEntry{{Config: cfgName, RepoTags: []string{tag}, Layers: names}})
	a.file("manifest.json", man)
	a.file("repositories", []byte(`{}`))
	if err := a.tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dockerSaveNew writes img the way Docker 25+ saves it: an OCI layout
// (uncompressed layer blobs) with a legacy manifest.json beside index.json.
func dockerSaveNew(t testing.TB, img v1.Image, tag string) []byte {
	t.Helper()
	var buf bytes.Buffer
	a := &archiveWriter{t: t, tw: tar.NewWriter(&buf)}
	layers, ids := uncompressedLayers(t, img)
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	a.dir("blobs/")
	a.dir("blobs/sha256/")
	written := map[string]bool{}
	var names []string
	man := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1}
	for i, b := range layers {
		name := "blobs/sha256/" + ids[i].Hex
		if !written[name] {
			a.file(name, b)
			written[name] = true
		}
		names = append(names, name)
		man.Layers = append(man.Layers, v1.Descriptor{MediaType: types.OCIUncompressedLayer, Digest: ids[i], Size: int64(len(b))})
	}
	cfgHex := sha(raw)
	a.file("blobs/sha256/"+cfgHex, raw)
	man.Config = v1.Descriptor{MediaType: types.OCIConfigJSON, Digest: v1.Hash{Algorithm: "sha256", Hex: cfgHex}, Size: int64(len(raw))}
	manRaw, _ := json.Marshal(man)
	manHex := sha(manRaw)
	a.file("blobs/sha256/"+manHex, manRaw)
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{{
		MediaType: types.OCIManifestSchema1, Digest: v1.Hash{Algorithm: "sha256", Hex: manHex}, Size: int64(len(manRaw)),
		Annotations: map[string]string{"io.containerd.image.name": "docker.io/library/" + tag, "org.opencontainers.image.ref.name": "latest"},
	}}}
	idxRaw, _ := json.Marshal(idx)
	a.file("index.json", idxRaw)
	legacy, _ := json.Marshal([]dockerManifestEntry{{Config: "blobs/sha256/" + cfgHex, RepoTags: []string{tag}, Layers: names}})
	a.file("manifest.json", legacy)
	a.file("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	if err := a.tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ociLayout writes img (or an index) as an OCI layout directory.
func ociLayout(t testing.TB, img v1.Image, idx v1.ImageIndex) string {
	t.Helper()
	d := t.TempDir()
	p, err := layout.Write(d, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if img != nil {
		if err := p.AppendImage(img); err != nil {
			t.Fatal(err)
		}
	}
	if idx != nil {
		if err := p.AppendIndex(idx); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// tarDir packs a directory into a tar (an OCI archive from a layout).
func tarDir(t testing.TB, d string) []byte {
	t.Helper()
	var buf bytes.Buffer
	a := &archiveWriter{t: t, tw: tar.NewWriter(&buf)}
	var files []string
	err := filepath.Walk(d, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(d, p)
		a.file(filepath.ToSlash(rel), b)
	}
	if err := a.tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeTemp writes b to a file in a test directory.
func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// analyzeRef opens ref and analyzes it with default options.
func analyzeRef(t testing.TB, ref string, opts Options) (*Result, error) {
	t.Helper()
	src, err := Open(ref, OpenOptions{})
	if err != nil {
		return nil, err
	}
	return Analyze(context.Background(), src, opts)
}

// mustAnalyze analyzes an image written as an old docker save archive.
func mustAnalyze(t testing.TB, img v1.Image, opts Options) *Result {
	t.Helper()
	p := writeTemp(t, "img.tar", dockerSaveOld(t, img, "test:latest"))
	r, err := analyzeRef(t, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, r)
	return r
}

// checkInvariant asserts the accounting identity every result must keep:
// each stored byte is visible or hidden exactly once.
func checkInvariant(t testing.TB, r *Result) {
	t.Helper()
	if got := r.Totals.VisibleBytes + r.Waste.Overwritten + r.Waste.Deleted + r.Waste.Ignored; got != r.Totals.StoredBytes {
		t.Fatalf("stored %d != visible %d + overwritten %d + deleted %d + ignored %d",
			r.Totals.StoredBytes, r.Totals.VisibleBytes, r.Waste.Overwritten, r.Waste.Deleted, r.Waste.Ignored)
	}
	var perLayer int64
	for _, l := range r.Layers {
		perLayer += l.WastedBytes
	}
	if perLayer != r.Waste.Overwritten+r.Waste.Deleted {
		t.Fatalf("per-layer wasted %d != overwritten+deleted %d", perLayer, r.Waste.Overwritten+r.Waste.Deleted)
	}
}

// findFile returns the final filesystem's entry at p.
func findFile(r *Result, p string) (File, bool) {
	for _, f := range r.Files {
		if f.Path == p {
			return f, true
		}
	}
	return File{}, false
}

// findingsOf returns the findings of one rule.
func findingsOf(r *Result, rule string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// pair returns the waste pair for two 1-based layers.
func pair(r *Result, created, hidden int) WastePair {
	for _, p := range r.Waste.Pairs {
		if p.CreatedBy == created && p.HiddenBy == hidden {
			return p
		}
	}
	return WastePair{CreatedBy: created, HiddenBy: hidden}
}
