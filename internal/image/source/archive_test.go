package source_test

import (
	"bytes"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
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
