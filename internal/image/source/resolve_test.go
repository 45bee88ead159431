package source_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

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

// --base: the base's metadata alone says which bottom layers are the
// base, whatever source the analyzed image comes from.
func TestBase(t *testing.T) {
	base := imagetest.Image(t, []imagetest.Step{{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{imagetest.Blob("etc/data", mb, 1)}}}, nil)
	app, err := mutate.AppendLayers(base, imagetest.Layer(t, []imagetest.Entry{imagetest.Blob("app/bin", mb, 2)}))
	if err != nil {
		t.Fatal(err)
	}
	dir := imagetest.OCILayout(t, base, nil)
	// The analyzed image's --source does not apply to --base.
	spec, err := source.Base(context.Background(), "oci:"+dir, source.Options{Transport: image.TransportArchive})
	if err != nil {
		t.Fatal(err)
	}
	if spec.Ref != "oci:"+dir || len(spec.DiffIDs) != 1 || spec.Layers != 1 || spec.History != 1 {
		t.Fatalf("base spec = %+v", spec)
	}
	p := imagetest.WriteTemp(t, "app.tar", imagetest.DockerSaveOld(t, app, "app:1"))
	r, err := analyzeRef(t, p, image.Options{Base: spec})
	if err != nil {
		t.Fatal(err)
	}
	if r.Base.Source != "flag" || r.Base.Layers != 1 || !r.Layers[0].Base || r.Layers[1].Base || r.Totals.UserStoredBytes != mb {
		t.Fatalf("base = %+v, layers %+v", r.Base, r.Layers)
	}
	if _, err := source.Base(context.Background(), "oci:"+t.TempDir(), source.Options{}); err == nil || !vocab.IsInput(err) {
		t.Fatalf("a base that is not an image: %v", err)
	}
}
