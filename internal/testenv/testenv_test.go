package testenv

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// recorder stands in for the test a helper is given, and records whether
// the helper skipped or failed it instead of stopping the real test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }
func (r *recorder) Skipf(format string, args ...any)  { r.skip = fmt.Sprintf(format, args...) }

func TestMissingEnvironmentSkipsOutsideCIAndFailsOnCI(t *testing.T) {
	noEngine := "unix://" + filepath.Join(t.TempDir(), "no-engine.sock")
	closedPort := closedLoopbackPort(t)

	helpers := []struct {
		name string
		env  map[string]string
		call func(testing.TB)
		why  string
	}{
		{"Engine without DOCKER_HOST", map[string]string{EnvDockerHost: ""},
			func(tb testing.TB) { Engine(tb) }, "DOCKER_HOST is not set"},
		{"Engine with nothing listening", map[string]string{EnvDockerHost: noEngine},
			func(tb testing.TB) { Engine(tb) }, "no Docker Engine"},
		{"RequireImage with nothing listening", map[string]string{EnvDockerHost: noEngine},
			func(tb testing.TB) { RequireImage(tb, DebianImage) }, "no Docker Engine"},
		{"Registry without STRATA_REGISTRY", map[string]string{EnvRegistry: ""},
			func(tb testing.TB) { Registry(tb) }, "STRATA_REGISTRY is not set"},
		{"Registry with nothing listening", map[string]string{EnvRegistry: closedPort},
			func(tb testing.TB) { Registry(tb) }, "no registry"},
	}
	for _, h := range helpers {
		for _, ci := range []string{"", "false", "true", "1"} {
			t.Run(fmt.Sprintf("%s/CI=%q", h.name, ci), func(t *testing.T) {
				for k, v := range h.env {
					t.Setenv(k, v)
				}
				t.Setenv("CI", ci)
				rec := &recorder{TB: t}
				h.call(rec)

				onCI := ci == "true" || ci == "1"
				got, other := rec.skip, rec.fatal
				if onCI {
					got, other = rec.fatal, rec.skip
				}
				if got == "" || other != "" {
					t.Fatalf("CI=%q: skip = %q, fatal = %q; want only %s", ci, rec.skip, rec.fatal, map[bool]string{true: "fatal", false: "skip"}[onCI])
				}
				if !strings.Contains(got, h.why) {
					t.Errorf("message %q does not say %q", got, h.why)
				}
				if !strings.Contains(got, "scripts/test-env.sh run -- go test") {
					t.Errorf("message %q does not say how to start the environment", got)
				}
			})
		}
	}
}

// closedLoopbackPort returns a loopback host:port nothing listens on.
func closedLoopbackPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestProbeRegistry(t *testing.T) {
	registryLike := func(status int) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v2/" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Docker-Distribution-Api-Version", "registry/2.0")
			w.WriteHeader(status)
		})
	}
	tests := []struct {
		name    string
		handler http.Handler
		wantErr string
	}{
		{"open registry", registryLike(http.StatusOK), ""},
		{"registry asking for credentials", registryLike(http.StatusUnauthorized), ""},
		{"broken registry", registryLike(http.StatusInternalServerError), "500"},
		{"plain web server", http.NotFoundHandler(), "without the registry API header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := probeRegistry(ctx, strings.TrimPrefix(srv.URL, "http://"))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("probeRegistry: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("probeRegistry = %v, want an error saying %q", err, tt.wantErr)
			}
		})
	}

	t.Run("not host:port", func(t *testing.T) {
		err := probeRegistry(context.Background(), "http://127.0.0.1:5000/")
		if err == nil || !strings.Contains(err.Error(), "not host:port") {
			t.Fatalf("probeRegistry = %v, want a complaint about the address", err)
		}
	})
}

func TestReadBuildStream(t *testing.T) {
	ok := `{"stream":"Step 1/2 : FROM busybox\n"}
{"stream":" ---\u003e 2f6eb9c688c5\n"}
{"aux":{"ID":"sha256:abc"}}
{"stream":"Successfully built abc\n"}
`
	out, err := ReadStream(strings.NewReader(ok))
	if err != nil {
		t.Fatalf("readBuildStream: %v", err)
	}
	if !strings.Contains(out, "Step 1/2 : FROM busybox\n") || !strings.Contains(out, "Successfully built abc") {
		t.Errorf("output lost the build's text: %q", out)
	}

	failed := `{"stream":"Step 2/2 : RUN false\n"}
{"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' returned a non-zero code: 1"}
`
	out, err = ReadStream(strings.NewReader(failed))
	if err == nil || !strings.Contains(err.Error(), "returned a non-zero code: 1") {
		t.Fatalf("readBuildStream = %v, want the build's error", err)
	}
	if !strings.Contains(out, "RUN false") {
		t.Errorf("output before the error was lost: %q", out)
	}

	detailOnly := `{"errorDetail":{"message":"no space left"}}`
	if _, err := ReadStream(strings.NewReader(detailOnly)); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("readBuildStream = %v, want the errorDetail message", err)
	}

	if _, err := ReadStream(strings.NewReader(`{"stream":"cut off`)); err == nil {
		t.Error("readBuildStream accepted a truncated stream")
	}
}

func TestWriteContext(t *testing.T) {
	dir := t.TempDir()
	mustWrite := func(rel, content string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite("app/run.sh", "#!/bin/sh\necho hi\n", 0o755)
	mustWrite("app/data.txt", "data", 0o640)
	mustWrite("Dockerfile", "FROM replaced\n", 0o644)
	if err := os.Symlink("run.sh", filepath.Join(dir, "app", "start")); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	if err := writeContext(&buf, dir, "FROM scratch\n"); err != nil {
		t.Fatalf("writeContext: %v", err)
	}
	got := readTar(t, &buf)

	want := map[string]tarEntry{
		"app/":         {typ: tar.TypeDir},
		"app/data.txt": {typ: tar.TypeReg, mode: 0o640, body: "data"},
		"app/run.sh":   {typ: tar.TypeReg, mode: 0o755, body: "#!/bin/sh\necho hi\n"},
		"app/start":    {typ: tar.TypeSymlink, link: "run.sh"},
		"Dockerfile":   {typ: tar.TypeReg, mode: 0o644, body: "FROM scratch\n"},
	}
	if len(got) != len(want) {
		t.Errorf("context holds %d entries, want %d: %v", len(got), len(want), got)
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("context lacks %s", name)
		case g.typ != w.typ || g.link != w.link || g.body != w.body || (w.mode != 0 && g.mode != w.mode):
			t.Errorf("%s: got %+v, want %+v", name, g, w)
		case g.uid != 0 || g.gid != 0:
			t.Errorf("%s: owned by %d:%d, want root", name, g.uid, g.gid)
		}
	}

	buf.Reset()
	if err := writeContext(&buf, "", "FROM busybox\n"); err != nil {
		t.Fatalf("writeContext without a directory: %v", err)
	}
	if got := readTar(t, &buf); len(got) != 1 || got["Dockerfile"].body != "FROM busybox\n" {
		t.Errorf("context without a directory: %v", got)
	}

	err := writeContext(io.Discard, filepath.Join(dir, "missing"), "FROM scratch\n")
	if err == nil || !strings.Contains(err.Error(), "archiving the build context") {
		t.Errorf("writeContext of a missing directory = %v", err)
	}
}

type tarEntry struct {
	typ        byte
	mode       int64
	link, body string
	uid, gid   int
}

func readTar(t *testing.T, r io.Reader) map[string]tarEntry {
	t.Helper()
	entries := map[string]tarEntry{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return entries
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		entries[hdr.Name] = tarEntry{
			typ: hdr.Typeflag, mode: hdr.Mode & 0o7777, link: hdr.Linkname,
			body: string(body), uid: hdr.Uid, gid: hdr.Gid,
		}
	}
}

func TestCompressSavedKeepsConfigAndContent(t *testing.T) {
	src, err := random.Image(4096, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.tar")
	tag, err := name.NewTag("strata-test/random:latest")
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(saved, tag, src); err != nil {
		t.Fatal(err)
	}

	img, err := compressSaved(context.Background(), saved, dir)
	if err != nil {
		t.Fatalf("compressSaved: %v", err)
	}
	manifest, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	wantConfig, err := src.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := img.ConfigName(); err != nil || got != wantConfig {
		t.Errorf("config digest = %v, %v; want %v (the config must be kept byte for byte)", got, err, wantConfig)
	}
	srcLayers, err := src.Layers()
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) != len(srcLayers) {
		t.Fatalf("%d layers, want %d", len(layers), len(srcLayers))
	}
	for i := range layers {
		want, err := srcLayers[i].DiffID()
		if err != nil {
			t.Fatal(err)
		}
		if got, err := layers[i].DiffID(); err != nil || got != want {
			t.Errorf("layer %d: diff ID %v, %v; want %v", i, got, err, want)
		}
		if mt, err := layers[i].MediaType(); err != nil || mt != types.DockerLayer {
			t.Errorf("layer %d: media type %v, %v", i, mt, err)
		}
		// The blob is what the manifest says, and unpacks to the content.
		digest, size := hashOf(t, layers[i].Compressed)
		if desc := manifest.Layers[i]; desc.Digest != digest || desc.Size != size {
			t.Errorf("layer %d: manifest says %s (%d bytes), blob is %s (%d bytes)", i, desc.Digest, desc.Size, digest, size)
		}
		if diffID, _ := hashOf(t, layers[i].Uncompressed); diffID != want {
			t.Errorf("layer %d: content hashes to %s, want %s", i, diffID, want)
		}
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if d, n, _ := v1.SHA256(bytes.NewReader(raw)); manifest.Config.Digest != d || manifest.Config.Size != n {
		t.Errorf("manifest's config descriptor %+v does not match the config", manifest.Config)
	}
	if _, err := img.LayerByDigest(v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("0", 64)}); err == nil {
		t.Error("LayerByDigest found a layer the image does not have")
	}
}

func hashOf(t *testing.T, open func() (io.ReadCloser, error)) (v1.Hash, int64) {
	t.Helper()
	rc, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h, n, err := v1.SHA256(rc)
	if err != nil {
		t.Fatal(err)
	}
	return h, n
}
