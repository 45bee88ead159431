// Package imagetest builds container images for tests: layers from a
// list of tar entries, images from a list of history steps, and the forms
// strata reads them in (docker save archives in the layouts before and
// after Docker 25, OCI layouts and OCI archives). The images are real
// go-containerregistry images; only their content is made up.
//
// It imports nothing from strata, so every test package under
// internal/image can use it, the accounting's own included.
package imagetest

import (
	"archive/tar"
	"bytes"
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

// MB is a mebibyte, the unit most test figures are written in.
const MB = 1 << 20

// Entry is one tar entry of a test layer.
type Entry struct {
	Name string
	Type byte
	Body []byte
	Mode int64
	Link string
	UID  int
}

// File is a regular file holding body.
func File(name, body string) Entry {
	return Entry{Name: name, Type: tar.TypeReg, Body: []byte(body), Mode: 0o644}
}

// Blob is a file of n deterministic bytes; seed varies the content.
func Blob(name string, n int, seed byte) Entry {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return Entry{Name: name, Type: tar.TypeReg, Body: b, Mode: 0o644}
}

// WithMode returns e with its permission bits set to mode.
func WithMode(e Entry, mode int64) Entry { e.Mode = mode; return e }

// Dir is a directory.
func Dir(name string) Entry { return Entry{Name: name, Type: tar.TypeDir, Mode: 0o755} }

// Symlink is a symbolic link to target.
func Symlink(name, target string) Entry {
	return Entry{Name: name, Type: tar.TypeSymlink, Link: target, Mode: 0o777}
}

// Hardlink is a hard link to target (a path in the same layer).
func Hardlink(name, target string) Entry {
	return Entry{Name: name, Type: tar.TypeLink, Link: target, Mode: 0o644}
}

// Whiteout removes name from the lower layers (the OCI ".wh." marker).
func Whiteout(name string) Entry {
	d, b := filepath.Split(name)
	return Entry{Name: d + ".wh." + b, Type: tar.TypeReg, Mode: 0o644}
}

// Opaque hides a directory's lower contents (the ".wh..wh..opq" marker).
func Opaque(dir string) Entry {
	return Entry{Name: strings.TrimSuffix(dir, "/") + "/.wh..wh..opq", Type: tar.TypeReg, Mode: 0o644}
}

// TarBytes writes entries as an uncompressed tar stream.
func TarBytes(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Typeflag: e.Type, Mode: e.Mode, Linkname: e.Link, Uid: e.UID, ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if e.Type == tar.TypeReg {
			hdr.Size = int64(len(e.Body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if len(e.Body) > 0 {
			if _, err := tw.Write(e.Body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Layer makes a layer of entries (gzip-compressed unless opts say
// otherwise).
func Layer(t testing.TB, entries []Entry, opts ...tarball.LayerOption) v1.Layer {
	t.Helper()
	raw := TarBytes(t, entries...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(raw)), nil
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Compressed returns a layer's blob as stored.
func Compressed(t testing.TB, l v1.Layer) []byte {
	t.Helper()
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Step is one history step of a test image: a layer, or an empty step.
type Step struct {
	CreatedBy string
	Entries   []Entry  // nil: an empty step (no layer)
	Layer     v1.Layer // overrides Entries
}

// Image assembles an image from steps (linux/amd64, fixed times); cfg,
// when set, adjusts the configuration.
func Image(t testing.TB, steps []Step, cfg func(*v1.Config)) v1.Image {
	t.Helper()
	img := empty.Image
	var hist []v1.History
	created := time.Unix(1700000000, 0)
	for i, s := range steps {
		h := v1.History{CreatedBy: s.CreatedBy, Created: v1.Time{Time: created.Add(time.Duration(i) * time.Minute)}}
		l := s.Layer
		if l == nil && s.Entries != nil {
			l = Layer(t, s.Entries)
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

// UncompressedLayers returns each layer's tar bytes and diff ID.
func UncompressedLayers(t testing.TB, img v1.Image) ([][]byte, []v1.Hash) {
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

// ArchiveWriter builds an outer tar (a docker save or OCI archive).
type ArchiveWriter struct {
	t  testing.TB
	tw *tar.Writer
}

// NewArchiveWriter writes an archive to w.
func NewArchiveWriter(t testing.TB, w io.Writer) *ArchiveWriter {
	return &ArchiveWriter{t: t, tw: tar.NewWriter(w)}
}

// File adds a regular member.
func (a *ArchiveWriter) File(name string, b []byte) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: int64(len(b)), Mode: 0o644}); err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.tw.Write(b); err != nil {
		a.t.Fatal(err)
	}
}

// Symlink adds a symbolic link member.
func (a *ArchiveWriter) Symlink(name, target string) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: target, Mode: 0o777}); err != nil {
		a.t.Fatal(err)
	}
}

// Hardlink adds a hard link member.
func (a *ArchiveWriter) Hardlink(name, target string) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeLink, Linkname: target, Mode: 0o644}); err != nil {
		a.t.Fatal(err)
	}
}

// Dir adds a directory member.
func (a *ArchiveWriter) Dir(name string) {
	a.t.Helper()
	if err := a.tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
		a.t.Fatal(err)
	}
}

// Close writes the end-of-archive marker.
func (a *ArchiveWriter) Close() {
	a.t.Helper()
	if err := a.tw.Close(); err != nil {
		a.t.Fatal(err)
	}
}

// Flush ends the last member without the end-of-archive marker.
func (a *ArchiveWriter) Flush() {
	a.t.Helper()
	if err := a.tw.Flush(); err != nil {
		a.t.Fatal(err)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// DockerManifestEntry is one image of a docker save manifest.json.
type DockerManifestEntry struct {
	Config   string   `json:"Config"`
	RepoTags []string `json:"RepoTags"`
	Layers   []string `json:"Layers"`
}

// DockerSaveOld writes img in the layout of docker save before Docker 25:
// <id>/layer.tar (uncompressed), <id>/json, <config>.json, manifest.json
// last. A layer identical to an earlier one is stored as a symlink to it,
// as docker save does.
func DockerSaveOld(t testing.TB, img v1.Image, tag string) []byte {
	t.Helper()
	var buf bytes.Buffer
	a := NewArchiveWriter(t, &buf)
	layers, ids := UncompressedLayers(t, img)
	first := map[v1.Hash]string{}
	var names []string
	parent := ""
	for i, b := range layers {
		id := sha([]byte(fmt.Sprintf("%s %d %s", parent, i, ids[i])))
		parent = id
		a.Dir(id + "/")
		a.File(id+"/VERSION", []byte("1.0"))
		a.File(id+"/json", []byte(fmt.Sprintf(`{"id":%q}`, id)))
		if prev, ok := first[ids[i]]; ok {
			a.Symlink(id+"/layer.tar", "../"+prev+"/layer.tar")
		} else {
			a.File(id+"/layer.tar", b)
			first[ids[i]] = id
		}
		names = append(names, id+"/layer.tar")
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfgName := sha(raw) + ".json"
	a.File(cfgName, raw)
	man, _ := json.Marshal([]DockerManifestEntry{{Config: cfgName, RepoTags: []string{tag}, Layers: names}})
	a.File("manifest.json", man)
	a.File("repositories", []byte(`{}`))
	a.Close()
	return buf.Bytes()
}

// DockerSaveNew writes img the way Docker 25+ saves it: an OCI layout
// (uncompressed layer blobs) with a legacy manifest.json beside index.json.
func DockerSaveNew(t testing.TB, img v1.Image, tag string) []byte {
	t.Helper()
	var buf bytes.Buffer
	a := NewArchiveWriter(t, &buf)
	layers, ids := UncompressedLayers(t, img)
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	a.Dir("blobs/")
	a.Dir("blobs/sha256/")
	written := map[string]bool{}
	var names []string
	man := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1}
	for i, b := range layers {
		name := "blobs/sha256/" + ids[i].Hex
		if !written[name] {
			a.File(name, b)
			written[name] = true
		}
		names = append(names, name)
		man.Layers = append(man.Layers, v1.Descriptor{MediaType: types.OCIUncompressedLayer, Digest: ids[i], Size: int64(len(b))})
	}
	cfgHex := sha(raw)
	a.File("blobs/sha256/"+cfgHex, raw)
	man.Config = v1.Descriptor{MediaType: types.OCIConfigJSON, Digest: v1.Hash{Algorithm: "sha256", Hex: cfgHex}, Size: int64(len(raw))}
	manRaw, _ := json.Marshal(man)
	manHex := sha(manRaw)
	a.File("blobs/sha256/"+manHex, manRaw)
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{{
		MediaType: types.OCIManifestSchema1, Digest: v1.Hash{Algorithm: "sha256", Hex: manHex}, Size: int64(len(manRaw)),
		Annotations: map[string]string{"io.containerd.image.name": "docker.io/library/" + tag, "org.opencontainers.image.ref.name": "latest"},
	}}}
	idxRaw, _ := json.Marshal(idx)
	a.File("index.json", idxRaw)
	legacy, _ := json.Marshal([]DockerManifestEntry{{Config: "blobs/sha256/" + cfgHex, RepoTags: []string{tag}, Layers: names}})
	a.File("manifest.json", legacy)
	a.File("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	a.Close()
	return buf.Bytes()
}

// OCILayout writes img and idx (either may be nil) as an OCI layout in a
// new test directory and returns the directory.
func OCILayout(t testing.TB, img v1.Image, idx v1.ImageIndex) string {
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

// TarDir packs a directory's regular files into a tar, in name order (an
// OCI archive from a layout).
func TarDir(t testing.TB, d string) []byte {
	t.Helper()
	var buf bytes.Buffer
	a := NewArchiveWriter(t, &buf)
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
		a.File(filepath.ToSlash(rel), b)
	}
	a.Close()
	return buf.Bytes()
}

// WriteTemp writes b to a file named name in a new test directory and
// returns its path.
func WriteTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// RawLayer serves its bytes as they are, as both the compressed and the
// uncompressed blob, so that malformed layers reach the reader unchecked.
type RawLayer struct {
	Raw []byte
}

// Compressed returns the bytes.
func (r RawLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(r.Raw)), nil
}

// Uncompressed returns the bytes.
func (r RawLayer) Uncompressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(r.Raw)), nil
}

// Digest is the bytes' SHA-256.
func (r RawLayer) Digest() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytes.NewReader(r.Raw))
	return h, err
}

// DiffID is the digest.
func (r RawLayer) DiffID() (v1.Hash, error) { return r.Digest() }

// Size is the number of bytes.
func (r RawLayer) Size() (int64, error) { return int64(len(r.Raw)), nil }

// MediaType says uncompressed, whatever the bytes are.
func (r RawLayer) MediaType() (types.MediaType, error) {
	return types.OCIUncompressedLayer, nil
}
