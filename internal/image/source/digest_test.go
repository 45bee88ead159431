package source_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

// TestBlobDigestMismatch swaps a layer blob of an OCI layout for another
// valid one: the layer's bytes no longer match the digest the manifest
// names it by, which is bad input naming the layer.
func TestBlobDigestMismatch(t *testing.T) {
	good := imagetest.TarBytes(t, imagetest.File("etc/motd", "hello"))
	swapped := imagetest.TarBytes(t, imagetest.File("etc/motd", "HELLO"))
	if len(good) != len(swapped) {
		t.Fatal("the two layers must have the same size")
	}
	dir := imagetest.RawLayout(t, imagetest.TarBytes(t, imagetest.File("a", "x")), good)
	d, _ := imagetest.RawLayer{Raw: good}.Digest()
	if err := os.WriteFile(filepath.Join(dir, "blobs", "sha256", d.Hex), swapped, 0o644); err != nil {
		t.Fatal(err)
	}
	expectLayerError(t, "oci:"+dir, 2, "digest does not match", d.String())

	// Packed as an OCI archive, read from a file and as a stream.
	tarred := imagetest.TarDir(t, dir)
	expectLayerError(t, "oci-archive:"+imagetest.WriteTemp(t, "swapped.tar", tarred), 2, "digest does not match")
	src, _ := source.Open("oci-archive:-", source.Options{Stdin: bytes.NewReader(tarred)})
	expectSourceLayerError(t, src, 2, "digest does not match")
}

// TestDiffIDMismatch changes a diff_id of a docker save archive's
// configuration (same length, so the archive stays valid): the layer's
// uncompressed bytes no longer match it, read by path or as a stream.
func TestDiffIDMismatch(t *testing.T) {
	img := imagetest.Sample(t)
	cfg, _ := img.ConfigFile()
	id := cfg.RootFS.DiffIDs[2].Hex
	forged := strings.Repeat("0", len(id))
	for name, raw := range map[string][]byte{
		"old.tar": imagetest.DockerSaveOld(t, img, "app:1"),
		"new.tar": imagetest.DockerSaveNew(t, img, "app:1"),
	} {
		bad := bytes.ReplaceAll(raw, []byte(`"sha256:`+id+`"`), []byte(`"sha256:`+forged+`"`))
		if bytes.Equal(bad, raw) {
			t.Fatalf("%s: diff_id not found in the archive", name)
		}
		if name == "new.tar" {
			// Docker 25+ archives name the blob by its diff ID too:
			// the legacy manifest still points at the real blob.
			bad = bytes.ReplaceAll(bad, []byte(`"blobs/sha256/`+forged+`"`), []byte(`"blobs/sha256/`+id+`"`))
		}
		p := imagetest.WriteTemp(t, name, bad)
		expectLayerError(t, "docker-archive:"+p, 3, "diff_id", "sha256:"+forged, "sha256:"+id)
		src, _ := source.Open("-", source.Options{Stdin: bytes.NewReader(bad)})
		expectSourceLayerError(t, src, 3, "diff_id")
	}
}

// expectSourceLayerError analyzes src and checks the error is bad input
// naming the layer.
func expectSourceLayerError(t *testing.T, src image.Source, layer int, words ...string) {
	t.Helper()
	_, err := analyze(src, image.Options{})
	var le *image.LayerError
	if err == nil || !vocab.IsInput(err) || !errors.As(err, &le) || le.Index != layer-1 {
		t.Fatalf("%s: %v (want bad input naming layer %d)", src, err, layer)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("%s: error %q does not say %q", src, err, w)
		}
	}
}
