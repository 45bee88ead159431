package image

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
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// sampleImage has known figures: 5 MiB stored, 2 MiB deleted by layer 3,
// 1 MiB overwritten by layer 4.
func sampleImage(t testing.TB) v1.Image {
	return buildImage(t, []step{
		{createdBy: "ADD rootfs /", entries: []tentry{dir("etc/"), blob("etc/data", mb, 1)}},
		{createdBy: `/bin/sh -c #(nop)  CMD ["sh"]`},
		{createdBy: "RUN fetch", entries: []tentry{dir("tmp/"), blob("tmp/dl", 2*mb, 2), blob("app/bin", mb, 3)}},
		{createdBy: "RUN rm /tmp/dl", entries: []tentry{dir("tmp/"), whiteout("tmp/dl")}},
		{createdBy: "COPY bin /app/bin", entries: []tentry{dir("app/"), blob("app/bin", mb, 4)}},
	}, func(c *v1.Config) { c.User = "app" })
}

// checkSample checks the figures every source must give for sampleImage.
func checkSample(t *testing.T, r *Result) {
	t.Helper()
	checkInvariant(t, r)
	if len(r.Layers) != 4 {
		t.Fatalf("layers = %d", len(r.Layers))
	}
	if r.Totals.StoredBytes != 5*mb || r.Totals.VisibleBytes != 2*mb {
		t.Fatalf("stored %d visible %d", r.Totals.StoredBytes, r.Totals.VisibleBytes)
	}
	if p := pair(r, 2, 3); p.Deleted != 2*mb {
		t.Fatalf("deleted by layer 3: %+v", p)
	}
	if p := pair(r, 2, 4); p.Overwritten != mb {
		t.Fatalf("overwritten by layer 4: %+v", p)
	}
	if r.Base.Layers != 1 {
		t.Fatalf("base = %+v", r.Base)
	}
	if r.Image.User != "app" || r.Image.Platform != "linux/amd64" {
		t.Fatalf("image = %+v", r.Image)
	}
	for _, l := range r.Layers {
		if l.Size <= 0 || l.CompressedSize <= 0 || l.DiffID == "" {
			t.Fatalf("layer figures missing: %+v", l)
		}
	}
}

func TestDockerArchiveOldLayout(t *testing.T) {
	p := writeTemp(t, "app.tar", dockerSaveOld(t, sampleImage(t), "app:1"))
	for _, ref := range []string{p, "docker-archive:" + p} {
		r, err := analyzeRef(t, ref, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSample(t, r)
		if r.Image.Transport != TransportArchive || r.Layers[0].Compression != CompressionNone || r.Image.Tags[0] != "app:1" {
			t.Fatalf("image = %+v layer = %+v", r.Image, r.Layers[0])
		}
		if r.Layers[0].Size != r.Layers[0].CompressedSize {
			t.Fatalf("an uncompressed layer's sizes differ: %+v", r.Layers[0])
		}
	}
}

func TestDockerArchiveNewLayout(t *testing.T) {
	p := writeTemp(t, "app.tar", dockerSaveNew(t, sampleImage(t), "app:1"))
	r, err := analyzeRef(t, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	// The same archive read as an OCI archive goes through index.json.
	r, err = analyzeRef(t, "oci-archive:"+p, Options{})
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
	if err := tarball.Write(tag, sampleImage(t), &buf); err != nil {
		t.Fatal(err)
	}
	r, err := analyzeRef(t, writeTemp(t, "ggcr.tar", buf.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	if r.Layers[0].Compression != CompressionGzip || r.Layers[0].CompressedSize >= r.Layers[0].Size {
		t.Fatalf("layer = %+v", r.Layers[0])
	}
}

func TestOCILayoutAndArchive(t *testing.T) {
	d := ociLayout(t, sampleImage(t), nil)
	for _, ref := range []string{d, "oci:" + d} {
		r, err := analyzeRef(t, ref, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSample(t, r)
		if r.Image.Transport != TransportOCI || r.Layers[0].Digest == r.Layers[0].DiffID {
			t.Fatalf("image = %+v layer = %+v", r.Image, r.Layers[0])
		}
	}
	p := writeTemp(t, "app.oci.tar", tarDir(t, d))
	r, err := analyzeRef(t, "oci-archive:"+p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
}

// docker save stores a layer identical to an earlier one as a symlink to
// it; the blob is read once and applied twice.
func TestSymlinkedLayers(t *testing.T) {
	same := []tentry{dir("opt/"), blob("opt/tool", 2*mb, 5)}
	img := buildImage(t, []step{
		{createdBy: "COPY tool /opt/", entries: same},
		{createdBy: "RUN rm /opt/tool", entries: []tentry{dir("opt/"), whiteout("opt/tool")}},
		{createdBy: "COPY tool /opt/", entries: same},
	}, nil)
	raw := dockerSaveOld(t, img, "dup:1")
	if !bytes.Contains(raw, []byte("../")) {
		t.Fatal("the archive has no symlinked layer")
	}
	r, err := analyzeRef(t, writeTemp(t, "dup.tar", raw), Options{})
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
	src, err := Open("-", OpenOptions{Stdin: bytes.NewReader(raw)})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Analyze(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Waste.Deleted != r.Waste.Deleted || r2.Totals.StoredBytes != r.Totals.StoredBytes {
		t.Fatalf("stream %+v vs file %+v", r2.Waste, r.Waste)
	}
}

func TestStreamedArchives(t *testing.T) {
	for name, raw := range map[string][]byte{
		"old": dockerSaveOld(t, sampleImage(t), "app:1"),
		"new": dockerSaveNew(t, sampleImage(t), "app:1"),
	} {
		t.Run(name, func(t *testing.T) {
			src, err := Open("docker-archive:-", OpenOptions{Stdin: bytes.NewReader(raw)})
			if err != nil {
				t.Fatal(err)
			}
			r, err := Analyze(context.Background(), src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSample(t, r)
		})
	}
}

func TestZstdLayers(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "ADD a", layer: layerOf(t, []tentry{blob("a", 2*mb, 1)}, tarball.WithCompression(compression.ZStd), tarball.WithMediaType(types.OCILayerZStd))},
		{createdBy: "RUN rm a", layer: layerOf(t, []tentry{whiteout("a"), blob("b", mb, 2)}, tarball.WithCompression(compression.ZStd), tarball.WithMediaType(types.OCILayerZStd))},
	}, nil)
	r, err := analyzeRef(t, "oci:"+ociLayout(t, img, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariant(t, r)
	for _, l := range r.Layers {
		if l.Compression != CompressionZstd || l.MediaType != string(types.OCILayerZStd) {
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
	l := layerOf(t, []tentry{blob("x", mb, 1)}, tarball.WithMediaType(types.OCIUncompressedLayer))
	img := buildImage(t, []step{{createdBy: "ADD x", layer: l}}, nil)
	r, err := analyzeRef(t, "oci:"+ociLayout(t, img, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Layers[0].Compression != CompressionGzip || r.Totals.StoredBytes != mb {
		t.Fatalf("layer = %+v", r.Layers[0])
	}
}

func multiArch(t testing.TB) v1.ImageIndex {
	amd := buildImage(t, []step{{createdBy: "ADD amd", entries: []tentry{blob("arch/amd64", mb, 1)}}}, nil)
	arm := buildImage(t, []step{{createdBy: "ADD arm", entries: []tentry{blob("arch/arm64", 2*mb, 2)}}}, func(c *v1.Config) {})
	cf, _ := arm.ConfigFile()
	cf = cf.DeepCopy()
	cf.Architecture, cf.Variant = "arm64", "v8"
	arm, _ = mutate.ConfigFile(arm, cf)
	return mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
	)
}

func TestMultiArchIndex(t *testing.T) {
	d := ociLayout(t, nil, multiArch(t))
	for _, tc := range []struct {
		platform string
		file     string
		size     int64
	}{{"linux/amd64", "arch/amd64", mb}, {"linux/arm64", "arch/arm64", 2 * mb}, {"linux/arm64/v8", "arch/arm64", 2 * mb}} {
		p, err := v1.ParsePlatform(tc.platform)
		if err != nil {
			t.Fatal(err)
		}
		src, err := Open("oci:"+d, OpenOptions{Platform: p})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Analyze(context.Background(), src, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.platform, err)
		}
		if f, ok := findFile(r, tc.file); !ok || f.Size != tc.size {
			t.Fatalf("%s: files = %+v", tc.platform, r.Files)
		}
	}
	p, _ := v1.ParsePlatform("linux/s390x")
	src, _ := Open("oci:"+d, OpenOptions{Platform: p})
	_, err := Analyze(context.Background(), src, Options{})
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
	if err := remote.Write(ref, sampleImage(t)); err != nil {
		t.Fatal(err)
	}
	r, err := analyzeRef(t, "docker://"+host+"/test/app:1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
	if r.Image.Transport != TransportRegistry || !strings.HasPrefix(r.Image.Digest, "sha256:") || r.Layers[0].Compression != CompressionGzip {
		t.Fatalf("image = %+v layer = %+v", r.Image, r.Layers[0])
	}
	idxRef, _ := name.ParseReference(host + "/test/multi:1")
	if err := remote.WriteIndex(idxRef, multiArch(t)); err != nil {
		t.Fatal(err)
	}
	p, _ := v1.ParsePlatform("linux/arm64")
	src, err := Open("registry:"+host+"/test/multi:1", OpenOptions{Platform: p, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err = Analyze(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := findFile(r, "arch/arm64"); !ok {
		t.Fatalf("registry index picked the wrong image: %+v", r.Files)
	}
	_, err = analyzeRef(t, "docker://"+host+"/test/missing:1", Options{})
	if err == nil {
		t.Fatal("missing image: no error")
	}
}

func TestResolvePlainReferences(t *testing.T) {
	d := t.TempDir()
	f := filepath.Join(d, "x.tar")
	os.WriteFile(f, []byte("x"), 0o644)
	for ref, want := range map[string]string{
		d:                       TransportOCI,
		f:                       TransportArchive,
		"missing.tar":           TransportArchive,
		"./missing":             TransportArchive,
		"myapp:1.2":             TransportDaemon,
		"docker-daemon:myapp":   TransportDaemon,
		"docker://reg/x:1":      TransportRegistry,
		"registry:reg/x:1":      TransportRegistry,
		"oci-archive:" + f:      TransportOCIArchive,
		"oci:" + d:              TransportOCI,
		"docker-archive:" + f:   TransportArchive,
		"sha256:0123456789abcd": TransportDaemon,
	} {
		src, err := Open(ref, OpenOptions{Stdin: strings.NewReader("")})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if got, _, _ := strings.Cut(src.String(), ":"); got != want && !(want == TransportRegistry && got == "docker") {
			t.Errorf("%s resolved to %s, want %s", ref, src.String(), want)
		}
	}
	if _, err := Open("myapp", OpenOptions{Transport: "nope"}); err == nil {
		t.Fatal("unknown --source accepted")
	}
	if _, err := Open("oci:x", OpenOptions{Transport: TransportDaemon}); err == nil {
		t.Fatal("conflicting --source accepted")
	}
	src, err := Open(f, OpenOptions{Transport: TransportOCIArchive})
	if err != nil || !strings.HasPrefix(src.String(), "oci-archive:") {
		t.Fatalf("forced source: %v %v", src, err)
	}
}

func TestDaemonUnreachable(t *testing.T) {
	src, err := Open("docker-daemon:app:1", OpenOptions{Engine: func(ctx context.Context) (EngineClient, error) {
		return nil, errors.New("dial unix /nonexistent.sock: connect: no such file or directory")
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Analyze(context.Background(), src, Options{})
	if err == nil || !strings.Contains(err.Error(), "Docker Engine") {
		t.Fatalf("err = %v", err)
	}
}

func mustPlatform(t testing.TB, s string) *v1.Platform {
	t.Helper()
	p, err := v1.ParsePlatform(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
