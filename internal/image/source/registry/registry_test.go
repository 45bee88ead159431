package registry_test

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/registry"
)

// A manifest handed over in Options.Manifest is not fetched again; one
// whose bytes do not have the reference's digest is ignored, and the
// manifest is fetched.
func TestOptionsManifest(t *testing.T) {
	var manifestGETs atomic.Int32
	reg := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/manifests/") {
			manifestGETs.Add(1)
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	tag, err := name.NewTag(host + "/test/app:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, imagetest.Sample(t)); err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Get(tag)
	if err != nil {
		t.Fatal(err)
	}
	pinned := tag.Context().Digest(desc.Digest.String()).String()

	meta := func(d *remote.Descriptor) int32 {
		t.Helper()
		manifestGETs.Store(0)
		src, err := registry.New(pinned, registry.Options{Insecure: true, Manifest: d})
		if err != nil {
			t.Fatal(err)
		}
		m, err := src.Meta(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if m.Digest != desc.Digest.String() || len(m.Layers) == 0 || m.Config == nil {
			t.Fatalf("meta %+v", m)
		}
		return manifestGETs.Load()
	}
	if n := meta(desc); n != 0 {
		t.Errorf("with the manifest handed over: %d manifest GETs, want 0", n)
	}
	if n := meta(nil); n != 1 {
		t.Errorf("without: %d manifest GETs, want 1", n)
	}
	bad := *desc
	bad.Manifest = append([]byte(nil), desc.Manifest...)
	bad.Manifest[len(bad.Manifest)-1] = ' '
	if n := meta(&bad); n != 1 {
		t.Errorf("with a manifest that does not have the digest: %d manifest GETs, want 1", n)
	}
}
