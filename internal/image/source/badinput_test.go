package source_test

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

	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

// expectLayerError analyzes ref and checks the error is bad input that
// names the image and the layer and says what is wrong.
func expectLayerError(t *testing.T, ref string, layer int, words ...string) {
	t.Helper()
	_, err := analyzeRef(t, ref, image.Options{})
	if err == nil {
		t.Fatalf("%s: no error", ref)
	}
	if !vocab.IsInput(err) {
		t.Fatalf("%s: error %q is not marked as bad input", ref, err)
	}
	_, path, _ := strings.Cut(ref, ":")
	if !strings.Contains(err.Error(), path) {
		t.Fatalf("%s: error %q does not name the image", ref, err)
	}
	var le *image.LayerError
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

func TestTruncatedArchive(t *testing.T) {
	raw := imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1")
	// Cut in the middle of the first layer: the manifest is gone too.
	p := imagetest.WriteTemp(t, "cut.tar", raw[:len(raw)/3])
	_, err := analyzeRef(t, p, image.Options{})
	if err == nil || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), p) || !vocab.IsInput(err) {
		t.Fatalf("err = %v", err)
	}
	// An OCI archive with its metadata first: a cut inside a layer is
	// reported on that layer.
	full := imagetest.MetadataFirstArchive(t, imagetest.Sample(t))
	p = imagetest.WriteTemp(t, "cut2.tar", full[:len(full)-20000])
	expectLayerError(t, "oci-archive:"+p, 4, "truncated")
	// Streamed, the same cut archive is an error too.
	src, _ := source.Open("-", source.Options{Stdin: bytes.NewReader(raw[:len(raw)/3])})
	if _, err := analyze(src, image.Options{}); err == nil || !strings.Contains(err.Error(), "truncated") || !vocab.IsInput(err) {
		t.Fatalf("stream err = %v", err)
	}
}

func TestCorruptGzip(t *testing.T) {
	good := imagetest.Layer(t, []imagetest.Entry{imagetest.Blob("a", 256<<10, 1)})
	rc, _ := good.Compressed()
	gz, _ := io.ReadAll(rc)
	bad := append([]byte(nil), gz...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0x5a
	}
	expectLayerError(t, "oci:"+imagetest.RawLayout(t, imagetest.TarBytes(t, imagetest.File("ok", "x")), bad), 2, "gzip")
	// A gzip stream cut short.
	expectLayerError(t, "oci:"+imagetest.RawLayout(t, gz[:len(gz)/2]), 1, "truncated")
}

func TestEscapingPaths(t *testing.T) {
	expectLayerError(t, "oci:"+imagetest.RawLayout(t, imagetest.TarBytes(t, imagetest.File("ok", "x")), imagetest.TarBytes(t, imagetest.File("../../etc/passwd", "root::0:0"))), 2, "escapes", "../../etc/passwd")
	expectLayerError(t, "oci:"+imagetest.RawLayout(t, imagetest.TarBytes(t, imagetest.File("/etc/passwd", "root::0:0"))), 1, "absolute")
	expectLayerError(t, "oci:"+imagetest.RawLayout(t, imagetest.TarBytes(t, imagetest.File("a", "x"), imagetest.Hardlink("b", "../../x"))), 1, "escapes")
}

func TestSymlinkLoop(t *testing.T) {
	ref := "oci:" + imagetest.RawLayout(t,
		imagetest.TarBytes(t, imagetest.Symlink("a", "b"), imagetest.Symlink("b", "a")),
		imagetest.TarBytes(t, imagetest.File("a/x", "x")))
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
	ref := "oci:" + imagetest.RawLayout(t, raw)
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
	ref := "oci:" + imagetest.OCILayout(t, imagetest.Sample(t), nil)
	dir := strings.TrimPrefix(ref, "oci:")
	img := imagetest.Sample(t)
	layers, _ := img.Layers()
	d, _ := layers[1].Digest()
	if err := os.Remove(filepath.Join(dir, "blobs", d.Algorithm, d.Hex)); err != nil {
		t.Fatal(err)
	}
	expectLayerError(t, ref, 2, "missing", d.Hex)

	// docker save archive whose manifest names a member that is not there.
	raw := imagetest.DockerSaveOld(t, img, "app:1")
	raw = bytes.Replace(raw, []byte("/layer.tar\",\""), []byte("/layer.taz\",\""), 1)
	expectLayerError(t, imagetest.WriteTemp(t, "missing.tar", raw), 1, "no such file")
}

func TestUnknownMediaType(t *testing.T) {
	l := imagetest.Layer(t, []imagetest.Entry{imagetest.File("a", "b")}, tarball.WithMediaType("application/vnd.example.weird"))
	img := imagetest.Image(t, []imagetest.Step{{CreatedBy: "ADD a", Layer: l}}, nil)
	expectLayerError(t, "oci:"+imagetest.OCILayout(t, img, nil), 1, "unknown media type", "application/vnd.example.weird")
}

func TestEmptyAndGarbageFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty.tar":   nil,
		"garbage.tar": bytes.Repeat([]byte("not a tar archive "), 100),
		"zeros.tar":   make([]byte, 4096),
	} {
		p := imagetest.WriteTemp(t, name, data)
		_, err := analyzeRef(t, p, image.Options{})
		if err == nil || !strings.Contains(err.Error(), name) || !vocab.IsInput(err) {
			t.Errorf("%s: err = %v (must be bad input naming the file)", name, err)
		}
	}
	src, _ := source.Open("-", source.Options{Stdin: bytes.NewReader(nil)})
	if _, err := analyze(src, image.Options{}); err == nil || !strings.Contains(err.Error(), "empty") || !vocab.IsInput(err) {
		t.Errorf("empty stream: %v", err)
	}
	if _, err := analyzeRef(t, "oci:"+t.TempDir(), image.Options{}); err == nil || !strings.Contains(err.Error(), "index.json") || !vocab.IsInput(err) {
		t.Errorf("empty layout: %v", err)
	}
	for _, missing := range []string{"./missing.tar", "oci:./missing", "oci-archive:/no/such.tar"} {
		if _, err := analyzeRef(t, missing, image.Options{}); err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), "missing") && !strings.Contains(err.Error(), "such") {
			t.Errorf("%s: %v", missing, err)
		}
	}
	if _, err := source.Open("docker://Bad Ref", source.Options{}); err == nil || !vocab.IsInput(err) {
		t.Errorf("bad registry reference: %v", err)
	}
}

func TestUnsupportedCompression(t *testing.T) {
	xz := append([]byte{0xfd, '7', 'z', 'X', 'Z', 0x00}, make([]byte, 100)...)
	expectLayerError(t, "oci:"+imagetest.RawLayout(t, xz), 1, "xz")
}

// Reading writes nothing to disk: the temporary directory stays empty.
func TestNothingWrittenToDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	raw := imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1")
	src, _ := source.Open("-", source.Options{Stdin: bytes.NewReader(raw)})
	if _, err := analyze(src, image.Options{}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 0 {
		t.Fatalf("files written: %v", entries)
	}
}

// A cancelled context stops the walk.
func TestCancel(t *testing.T) {
	p := imagetest.WriteTemp(t, "app.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src, _ := source.Open(p, source.Options{})
	if _, err := image.Analyze(ctx, src, image.Options{Checks: check.All()}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
