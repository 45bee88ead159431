package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSplitPathTag splits references whose tag holds colons (and slashes)
// at the colon that ends an existing path.
func TestSplitPathTag(t *testing.T) {
	dir := t.TempDir()
	tarPath := filepath.Join(dir, "x.tar")
	colon := filepath.Join(dir, "odd:name.tar")
	for _, p := range []string{tarPath, colon} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ ref, path, tag string }{
		{tarPath, tarPath, ""},
		{tarPath + ":app", tarPath, "app"},
		{tarPath + ":app:1", tarPath, "app:1"},
		{tarPath + ":reg.local:5000/team/app:1.2", tarPath, "reg.local:5000/team/app:1.2"},
		{colon, colon, ""},
		{colon + ":app:1", colon, "app:1"},
		{dir + "/missing.tar:app:1", dir + "/missing.tar:app:1", ""},
		{tarPath + ":", tarPath + ":", ""},
	}
	for _, c := range cases {
		if p, tag := SplitPathTag(c.ref); p != c.path || tag != c.tag {
			t.Errorf("SplitPathTag(%q) = %q, %q; want %q, %q", c.ref, p, tag, c.path, c.tag)
		}
	}
}
