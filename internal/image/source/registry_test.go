package source_test

import (
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

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
