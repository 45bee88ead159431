package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// expectLayerError analyzes ref and checks the error names the layer and
// says what is wrong.
func expectLayerError(t *testing.T, ref string, layer int, words ...string) {
	t.Helper()
	_, err := analyzeRef(t, ref, Options{})
	if err == nil {
		t.Fatalf("%s: no error", ref)
	}
	var le *LayerError
	if !errors.As(err, &le) {
		t.Fatalf("%s: error %q does not name a layer", ref, err)
	}
	if le.Index != layer-1 {
		t.Fatalf("%s: error names layer %d, want %d: %v", ref, le.Index+1, layer, err)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("%s: error %q does not say %q", ref, err, w)
		}
	}
}

// rawLayerImage puts raw layer blobs into an OCI layout, bypassing any
// validation, so malformed layers reach the reader.
func rawLayerImage(t *testing.T, blobs ...[]byte) string {
	t.Helper()
	var steps []step
	for _, b := range blobs {
		steps = append(steps, step{createdBy: "RUN x", layer: rawLayer{raw: b}})
	}
	return "oci:" + ociLayout(t, buildImage(t, steps, nil), nil)
}

// rawLayer serves its bytes as they are, compressed or not.
type rawLayer struct {
	raw []byte
}

func (r rawLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(r.raw)), nil
}
func (r rawLayer) Uncompressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(r.raw)), nil
}
func (r rawLayer) Digest() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytes.NewReader(r.raw))
	return h, err
}
func (r rawLayer) DiffID() (v1.Hash, error) { return r.Digest() }
func (r rawLayer) Size() (int64, error)     { return int64(len(r.raw)), nil }
func (r rawLayer) MediaType() (types.MediaType, error) {
	return types.OCIUncompressedLayer, nil
}

func TestTruncatedArchive(t *testing.T) {
	raw := dockerSaveOld(t, sampleImage(t), "app:1")
	// Cut in the middle of the first layer: the manifest is gone too.
	p := writeTemp(t, "cut.tar", raw[:len(raw)/3])
	_, err := analyzeRef(t, p, Options{})
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err = %v", err)
	}
	// An OCI archive with its metadata first: a cut inside a layer is
	// reported on that layer.
	full := metadataFirstArchive(t, sampleImage(t))
	p = writeTemp(t, "cut2.tar", full[:len(full)-20000])
	expectLayerError(t, "oci-archive:"+p, 4, "truncated")
	// Streamed, the same cut archive is an error too.
	src, _ := Open("-", OpenOptions{Stdin: bytes.NewReader(raw[:len(raw)/3])})
	if _, err := Analyze(context.Background(), src, Options{}); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("stream err = %v", err)
	}
}

// metadataFirstArchive writes img as an OCI archive whose index, manifest
// and config come first and whose layers follow in order.
func metadataFirstArchive(t *testing.T, img v1.Image) []byte {
	d := ociLayout(t, img, nil)
	var buf bytes.Buffer
	a := &archiveWriter{t: t, tw: tar.NewWriter(&buf)}
	add := func(rel string) {
		b, err := os.ReadFile(filepath.Join(d, rel))
		if err != nil {
			t.Fatal(err)
		}
		a.file(rel, b)
	}
	add("oci-layout")
	add("index.json")
	m, _ := img.Digest()
	add("blobs/sha256/" + m.Hex)
	c, _ := img.ConfigName()
	add("blobs/sha256/" + c.Hex)
	layers, _ := img.Layers()
	for _, l := range layers {
		h, _ := l.Digest()
		add("blobs/sha256/" + h.Hex)
	}
	a.tw.Flush()
	return buf.Bytes()
}

func TestCorruptGzip(t *testing.T) {
	good := layerOf(t, []tentry{blob("a", 256<<10, 1)})
	rc, _ := good.Compressed()
	gz, _ := io.ReadAll(rc)
	bad := append([]byte(nil), gz...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0x5a
	}
	expectLayerError(t, rawLayerImage(t, tarBytes(t, file("ok", "x")), bad), 2, "gzip")
	// A gzip stream cut short.
	expectLayerError(t, rawLayerImage(t, gz[:len(gz)/2]), 1, "truncated")
}

func TestEscapingPaths(t *testing.T) {
	expectLayerError(t, rawLayerImage(t, tarBytes(t, file("ok", "x")), tarBytes(t, file("../../etc/passwd", "root::0:0"))), 2, "escapes", "../../etc/passwd")
	expectLayerError(t, rawLayerImage(t, tarBytes(t, file("/etc/passwd", "root::0:0"))), 1, "absolute")
	expectLayerError(t, rawLayerImage(t, tarBytes(t, file("a", "x"), hardlink("b", "../../x"))), 1, "escapes")
}

func TestSymlinkLoop(t *testing.T) {
	ref := rawLayerImage(t,
		tarBytes(t, symlink("a", "b"), symlink("b", "a")),
		tarBytes(t, file("a/x", "x")))
	expectLayerError(t, ref, 2, "symbolic links")
}

// A header claiming 1 TB with a few bytes behind it: an error naming the
// layer, fast, without allocating by the claimed size.
func TestHugeHeader(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "huge", Typeflag: tar.TypeReg, Size: 1 << 40, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	tw.Write(bytes.Repeat([]byte("x"), 4096))
	tw.Flush()
	raw := append([]byte(nil), buf.Bytes()[:buf.Len()]...)
	ref := rawLayerImage(t, raw)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	expectLayerError(t, ref, 1, "truncated")
	runtime.ReadMemStats(&after)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Fatalf("allocated %d bytes for a 1 TB claim", grown)
	}
}

func TestMissingBlob(t *testing.T) {
	ref := "oci:" + ociLayout(t, sampleImage(t), nil)
	dir := strings.TrimPrefix(ref, "oci:")
	img := sampleImage(t)
	layers, _ := img.Layers()
	d, _ := layers[1].Digest()
	if err := os.Remove(filepath.Join(dir, "blobs", d.Algorithm, d.Hex)); err != nil {
		t.Fatal(err)
	}
	expectLayerError(t, ref, 2, "missing", d.Hex)

	// docker save archive whose manifest names a member that is not there.
	raw := dockerSaveOld(t, img, "app:1")
	raw = bytes.Replace(raw, []byte("/layer.tar\",\""), []byte("/layer.taz\",\""), 1)
	expectLayerError(t, writeTemp(t, "missing.tar", raw), 1, "no such file")
}

func TestUnknownMediaType(t *testing.T) {
	l := layerOf(t, []tentry{file("a", "b")}, tarball.WithMediaType("application/vnd.example.weird"))
	img := buildImage(t, []step{{createdBy: "ADD a", layer: l}}, nil)
	expectLayerError(t, "oci:"+ociLayout(t, img, nil), 1, "unknown media type", "application/vnd.example.weird")
}

func TestEmptyAndGarbageFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty.tar":   nil,
		"garbage.tar": bytes.Repeat([]byte("not a tar archive "), 100),
		"zeros.tar":   make([]byte, 4096),
	} {
		p := writeTemp(t, name, data)
		_, err := analyzeRef(t, p, Options{})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v (must name the file)", name, err)
		}
	}
	src, _ := Open("-", OpenOptions{Stdin: bytes.NewReader(nil)})
	if _, err := Analyze(context.Background(), src, Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty stream: %v", err)
	}
	if _, err := analyzeRef(t, "oci:"+t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "index.json") {
		t.Errorf("empty layout: %v", err)
	}
}

func TestUnsupportedCompression(t *testing.T) {
	xz := append([]byte{0xfd, '7', 'z', 'X', 'Z', 0x00}, make([]byte, 100)...)
	expectLayerError(t, rawLayerImage(t, xz), 1, "xz")
}

// Reading writes nothing to disk: the temporary directory stays empty.
func TestNothingWrittenToDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	raw := dockerSaveOld(t, sampleImage(t), "app:1")
	src, _ := Open("-", OpenOptions{Stdin: bytes.NewReader(raw)})
	if _, err := Analyze(context.Background(), src, Options{}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 0 {
		t.Fatalf("files written: %v", entries)
	}
}

// A cancelled context stops the walk.
func TestCancel(t *testing.T) {
	p := writeTemp(t, "app.tar", dockerSaveOld(t, sampleImage(t), "app:1"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src, _ := Open(p, OpenOptions{})
	if _, err := Analyze(ctx, src, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
