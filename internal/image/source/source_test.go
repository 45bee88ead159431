package source_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/vocab"
)

func TestDockerArchiveOldLayout(t *testing.T) {
	p := imagetest.WriteTemp(t, "app.tar", imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1"))
	for _, ref := range []string{p, "docker-archive:" + p} {
		r, err := analyzeRef(t, ref, image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSample(t, r)
		if r.Image.Transport != image.TransportArchive || r.Layers[0].Compression != image.CompressionNone || r.Image.Tags[0] != "app:1" {
			t.Fatalf("image = %+v layer = %+v", r.Image, r.Layers[0])
		}
		if r.Layers[0].Size != r.Layers[0].CompressedSize {
			t.Fatalf("an uncompressed layer's sizes differ: %+v", r.Layers[0])
		}
	}
}

func TestDockerArchiveNewLayout(t *testing.T) {
	p := imagetest.WriteTemp(t, "app.tar", imagetest.DockerSaveNew(t, imagetest.Sample(t), "app:1"))
	r, err := analyzeRef(t, p, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	// The same archive read as an OCI archive goes through index.json.
	r, err = analyzeRef(t, "oci-archive:"+p, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	if r.Image.Digest == "" || r.Layers[0].MediaType != string(types.OCIUncompressedLayer) {
		t.Fatalf("OCI view: %+v / %+v", r.Image, r.Layers[0])
	}
}

// go-containerregistry's own tarball format stores gzip layers named
// <digest>.tar.gz.
func TestGGCRTarball(t *testing.T) {
	var buf bytes.Buffer
	tag, _ := name.NewTag("app:1")
	if err := tarball.Write(tag, imagetest.Sample(t), &buf); err != nil {
		t.Fatal(err)
	}
	r, err := analyzeRef(t, imagetest.WriteTemp(t, "ggcr.tar", buf.Bytes()), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	if r.Layers[0].Compression != image.CompressionGzip || r.Layers[0].CompressedSize >= r.Layers[0].Size {
		t.Fatalf("layer = %+v", r.Layers[0])
	}
}

func TestOCILayoutAndArchive(t *testing.T) {
	d := imagetest.OCILayout(t, imagetest.Sample(t), nil)
	for _, ref := range []string{d, "oci:" + d} {
		r, err := analyzeRef(t, ref, image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSample(t, r)
		if r.Image.Transport != image.TransportOCI || r.Layers[0].Digest == r.Layers[0].DiffID {
			t.Fatalf("image = %+v layer = %+v", r.Image, r.Layers[0])
		}
	}
	p := imagetest.WriteTemp(t, "app.oci.tar", imagetest.TarDir(t, d))
	r, err := analyzeRef(t, "oci-archive:"+p, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
}

// docker save stores a layer identical to an earlier one as a symlink to
// it; the blob is read once and applied twice.
func TestSymlinkedLayers(t *testing.T) {
	same := []imagetest.Entry{imagetest.Dir("opt/"), imagetest.Blob("opt/tool", 2*mb, 5)}
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY tool /opt/", Entries: same},
		{CreatedBy: "RUN rm /opt/tool", Entries: []imagetest.Entry{imagetest.Dir("opt/"), imagetest.Whiteout("opt/tool")}},
		{CreatedBy: "COPY tool /opt/", Entries: same},
	}, nil)
	raw := imagetest.DockerSaveOld(t, img, "dup:1")
	if !bytes.Contains(raw, []byte("../")) {
		t.Fatal("the archive has no symlinked layer")
	}
	r, err := analyzeRef(t, imagetest.WriteTemp(t, "dup.tar", raw), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, r)
	if r.Layers[0].DiffID != r.Layers[2].DiffID || r.Layers[2].Files != 2 || r.Layers[2].AddedBytes != 2*mb {
		t.Fatalf("layers = %+v", r.Layers)
	}
	if r.Waste.Deleted != 2*mb || r.Totals.VisibleBytes != 2*mb {
		t.Fatalf("deleted %d visible %d", r.Waste.Deleted, r.Totals.VisibleBytes)
	}
	// The same archive streamed (docker save | strata image -).
	src, err := source.Open("-", source.Options{Stdin: bytes.NewReader(raw)})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := analyze(src, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Waste.Deleted != r.Waste.Deleted || r2.Totals.StoredBytes != r.Totals.StoredBytes {
		t.Fatalf("stream %+v vs file %+v", r2.Waste, r.Waste)
	}
}

func TestStreamedArchives(t *testing.T) {
	for name, raw := range map[string][]byte{
		"old": imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1"),
		"new": imagetest.DockerSaveNew(t, imagetest.Sample(t), "app:1"),
	} {
		t.Run(name, func(t *testing.T) {
			src, err := source.Open("docker-archive:-", source.Options{Stdin: bytes.NewReader(raw)})
			if err != nil {
				t.Fatal(err)
			}
			r, err := analyze(src, image.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSample(t, r)
		})
	}
}

func TestZstdLayers(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD a", Layer: imagetest.Layer(t, []imagetest.Entry{imagetest.Blob("a", 2*mb, 1)}, tarball.WithCompression(compression.ZStd), tarball.WithMediaType(types.OCILayerZStd))},
		{CreatedBy: "RUN rm a", Layer: imagetest.Layer(t, []imagetest.Entry{imagetest.Whiteout("a"), imagetest.Blob("b", mb, 2)}, tarball.WithCompression(compression.ZStd), tarball.WithMediaType(types.OCILayerZStd))},
	}, nil)
	r, err := analyzeRef(t, "oci:"+imagetest.OCILayout(t, img, nil), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, r)
	for _, l := range r.Layers {
		if l.Compression != image.CompressionZstd || l.MediaType != string(types.OCILayerZStd) {
			t.Fatalf("layer = %+v", l)
		}
	}
	if r.Waste.Deleted != 2*mb {
		t.Fatalf("deleted = %d", r.Waste.Deleted)
	}
}

// Compression is told by magic bytes, not by media type or name: a gzip
// blob labelled as uncompressed still reads.
func TestCompressionByMagic(t *testing.T) {
	l := imagetest.Layer(t, []imagetest.Entry{imagetest.Blob("x", mb, 1)}, tarball.WithMediaType(types.OCIUncompressedLayer))
	img := imagetest.Image(t, []imagetest.Step{{CreatedBy: "ADD x", Layer: l}}, nil)
	r, err := analyzeRef(t, "oci:"+imagetest.OCILayout(t, img, nil), image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Layers[0].Compression != image.CompressionGzip || r.Totals.StoredBytes != mb {
		t.Fatalf("layer = %+v", r.Layers[0])
	}
}

func TestMultiArchIndex(t *testing.T) {
	d := imagetest.OCILayout(t, nil, imagetest.MultiArch(t))
	for _, tc := range []struct {
		platform string
		file     string
		size     int64
	}{{"linux/amd64", "arch/amd64", mb}, {"linux/arm64", "arch/arm64", 2 * mb}, {"linux/arm64/v8", "arch/arm64", 2 * mb}} {
		p, err := v1.ParsePlatform(tc.platform)
		if err != nil {
			t.Fatal(err)
		}
		src, err := source.Open("oci:"+d, source.Options{Platform: p})
		if err != nil {
			t.Fatal(err)
		}
		r, err := analyze(src, image.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.platform, err)
		}
		if f, ok := findFile(r, tc.file); !ok || f.Size != tc.size {
			t.Fatalf("%s: files = %+v", tc.platform, r.Files)
		}
	}
	p, _ := v1.ParsePlatform("linux/s390x")
	src, _ := source.Open("oci:"+d, source.Options{Platform: p})
	_, err := analyze(src, image.Options{})
	if err == nil || !strings.Contains(err.Error(), "linux/s390x") || !strings.Contains(err.Error(), "linux/arm64/v8") {
		t.Fatalf("missing platform error = %v", err)
	}
}

// The registry source against go-containerregistry's in-process registry
// (the integration tests use Debian's docker-registry).
func TestRegistrySource(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	host := u.Host
	ref, err := name.ParseReference(host + "/test/app:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, imagetest.Sample(t)); err != nil {
		t.Fatal(err)
	}
	r, err := analyzeRef(t, "docker://"+host+"/test/app:1", image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	if r.Image.Transport != image.TransportRegistry || !strings.HasPrefix(r.Image.Digest, "sha256:") || r.Layers[0].Compression != image.CompressionGzip {
		t.Fatalf("image = %+v layer = %+v", r.Image, r.Layers[0])
	}
	idxRef, _ := name.ParseReference(host + "/test/multi:1")
	if err := remote.WriteIndex(idxRef, imagetest.MultiArch(t)); err != nil {
		t.Fatal(err)
	}
	p, _ := v1.ParsePlatform("linux/arm64")
	src, err := source.Open("registry:"+host+"/test/multi:1", source.Options{Platform: p, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err = analyze(src, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := findFile(r, "arch/arm64"); !ok {
		t.Fatalf("registry index picked the wrong image: %+v", r.Files)
	}
	_, err = analyzeRef(t, "docker://"+host+"/test/missing:1", image.Options{})
	if err == nil || !vocab.IsInput(err) || !strings.Contains(err.Error(), "test/missing:1") {
		t.Fatalf("missing image: %v (want bad input naming it)", err)
	}
}

func TestResolvePlainReferences(t *testing.T) {
	d := t.TempDir()
	f := filepath.Join(d, "x.tar")
	os.WriteFile(f, []byte("x"), 0o644)
	for ref, want := range map[string]string{
		d:                       image.TransportOCI,
		f:                       image.TransportArchive,
		"missing.tar":           image.TransportArchive,
		"./missing":             image.TransportArchive,
		"myapp:1.2":             image.TransportDaemon,
		"docker-daemon:myapp":   image.TransportDaemon,
		"docker://reg/x:1":      image.TransportRegistry,
		"registry:reg/x:1":      image.TransportRegistry,
		"oci-archive:" + f:      image.TransportOCIArchive,
		"oci:" + d:              image.TransportOCI,
		"docker-archive:" + f:   image.TransportArchive,
		"sha256:0123456789abcd": image.TransportDaemon,
	} {
		src, err := source.Open(ref, source.Options{Stdin: strings.NewReader("")})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if got, _, _ := strings.Cut(src.String(), ":"); got != want && !(want == image.TransportRegistry && got == "docker") {
			t.Errorf("%s resolved to %s, want %s", ref, src.String(), want)
		}
	}
	if _, err := source.Open("myapp", source.Options{Transport: "nope"}); err == nil {
		t.Fatal("unknown --source accepted")
	}
	if _, err := source.Open("oci:x", source.Options{Transport: image.TransportDaemon}); err == nil {
		t.Fatal("conflicting --source accepted")
	}
	src, err := source.Open(f, source.Options{Transport: image.TransportOCIArchive})
	if err != nil || !strings.HasPrefix(src.String(), "oci-archive:") {
		t.Fatalf("forced source: %v %v", src, err)
	}
}

func TestDaemonUnreachable(t *testing.T) {
	src, err := source.Open("docker-daemon:app:1", source.Options{Engine: func(ctx context.Context) (daemon.EngineClient, error) {
		return nil, errors.New("dial unix /nonexistent.sock: connect: no such file or directory")
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = analyze(src, image.Options{})
	if err == nil || !strings.Contains(err.Error(), "Docker Engine") {
		t.Fatalf("err = %v", err)
	}
}
