package source_test

import (
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
)

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
