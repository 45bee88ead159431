package source_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/vocab"
)

// layoutWithBlob writes the sample image as an OCI layout and returns it
// with the path of layer 2's blob.
func layoutWithBlob(t *testing.T) (dir, blob, digest string) {
	t.Helper()
	img := imagetest.Sample(t)
	dir = imagetest.OCILayout(t, img, nil)
	layers, _ := img.Layers()
	d, _ := layers[1].Digest()
	return dir, filepath.Join(dir, "blobs", d.Algorithm, d.Hex), d.String()
}

// TestLayoutBlobLeavesTheLayout replaces a layer blob with a symbolic link
// out of the layout (absolute, then relative): the blob is refused, named,
// and the file it points to is never read.
func TestLayoutBlobLeavesTheLayout(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "shadow")
	if err := os.WriteFile(secret, []byte("root:$6$secret:19000:0:99999:7:::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{secret, "../../../../../../../../../../../../.." + secret} {
		dir, blob, digest := layoutWithBlob(t)
		if err := os.Remove(blob); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, blob); err != nil {
			t.Fatal(err)
		}
		expectLayerError(t, "oci:"+dir, 2, "leads out of the layout", digest[len("sha256:"):])
	}
	// index.json itself pointing out of the layout.
	dir, _, _ := layoutWithBlob(t)
	if err := os.Rename(filepath.Join(dir, "index.json"), filepath.Join(t.TempDir(), "index.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "index.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := analyzeRef(t, "oci:"+dir, image.Options{}); err == nil || !strings.Contains(err.Error(), "index.json is a symbolic link that leads out") {
		t.Fatalf("index.json out of the layout: %v", err)
	}
}

// TestLayoutBlobInsideByLink keeps a symbolic link that stays inside the
// layout: it is followed.
func TestLayoutBlobInsideByLink(t *testing.T) {
	dir, blob, _ := layoutWithBlob(t)
	moved := filepath.Join(dir, "blobs", "moved")
	if err := os.Rename(blob, moved); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../moved", blob); err != nil {
		t.Fatal(err)
	}
	r, err := analyzeRef(t, "oci:"+dir, image.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, r)
}

// TestLayoutBlobNotAFile replaces a layer blob with a FIFO (which would
// block a reader forever) and with a device: both are refused at once,
// naming the blob.
func TestLayoutBlobNotAFile(t *testing.T) {
	for _, c := range []struct {
		kind string
		make func(p string) error
	}{
		{"a FIFO", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
		{"a character device", func(p string) error { return syscall.Mknod(p, syscall.S_IFCHR|0o644, 1<<8|3) }}, // like /dev/null
	} {
		dir, blob, digest := layoutWithBlob(t)
		if err := os.Remove(blob); err != nil {
			t.Fatal(err)
		}
		if err := c.make(blob); err != nil {
			t.Skipf("cannot make %s here: %v", c.kind, err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := analyzeRef(t, "oci:"+dir, image.Options{})
			done <- err
		}()
		select {
		case err := <-done:
			var le *image.LayerError
			if err == nil || !vocab.IsInput(err) || !errors.As(err, &le) || le.Index != 1 ||
				!strings.Contains(err.Error(), c.kind) || !strings.Contains(err.Error(), digest[len("sha256:"):]) {
				t.Fatalf("%s blob: %v (want bad input naming layer 2's blob)", c.kind, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s blob: the reader is still blocked", c.kind)
		}
	}
}
