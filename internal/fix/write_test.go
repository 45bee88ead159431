package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFileThroughLink writes through symbolic links: the target
// gets the bytes (keeping its mode), the link stays a link, and nothing
// is left behind in either folder.
func TestWriteFileThroughLink(t *testing.T) {
	root := t.TempDir()
	targetDir := filepath.Join(root, "real")
	linkDir := filepath.Join(root, "links")
	for _, d := range []string{targetDir, linkDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(targetDir, "Dockerfile")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(linkDir, "Dockerfile")
	if err := os.Symlink("../real/Dockerfile", link); err != nil { // relative
		t.Fatal(err)
	}
	chain := filepath.Join(linkDir, "Dockerfile.chain")
	if err := os.Symlink(link, chain); err != nil { // a link to a link
		t.Fatal(err)
	}
	for i, p := range []string{link, chain} {
		want := []string{"one", "two"}[i]
		if err := WriteFile(p, []byte(want)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(target); string(got) != want {
			t.Fatalf("target holds %q, want %q", got, want)
		}
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link: %v %v", p, fi.Mode(), err)
		}
		if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
			t.Fatalf("target mode %v, want 0640", fi.Mode().Perm())
		}
	}
	for _, d := range []string{targetDir, linkDir} {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("temporary file %s left in %s", e.Name(), d)
			}
		}
	}

	// A link whose target does not exist yet creates it.
	dangling := filepath.Join(linkDir, "new")
	if err := os.Symlink(filepath.Join(targetDir, "created"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(targetDir, "created")); string(got) != "x" {
		t.Fatalf("dangling link's target holds %q", got)
	}

	// A loop of links is an error that names the file.
	a, b := filepath.Join(linkDir, "a"), filepath.Join(linkDir, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(a, []byte("x")); err == nil || !strings.Contains(err.Error(), a) {
		t.Fatalf("a loop of links: %v", err)
	}
	if fi, err := os.Lstat(a); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the looping link was replaced")
	}
}
