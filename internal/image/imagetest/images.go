package imagetest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Sample has known figures: 5 MiB stored, 2 MiB of layer 2 deleted by
// layer 3, 1 MiB of layer 2 overwritten by layer 4, one base layer (its
// history ends with CMD), USER app.
func Sample(t testing.TB) v1.Image {
	return Image(t, []Step{
		{CreatedBy: "ADD rootfs /", Entries: []Entry{Dir("etc/"), Blob("etc/data", MB, 1)}},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["sh"]`},
		{CreatedBy: "RUN fetch", Entries: []Entry{Dir("tmp/"), Blob("tmp/dl", 2*MB, 2), Blob("app/bin", MB, 3)}},
		{CreatedBy: "RUN rm /tmp/dl", Entries: []Entry{Dir("tmp/"), Whiteout("tmp/dl")}},
		{CreatedBy: "COPY bin /app/bin", Entries: []Entry{Dir("app/"), Blob("app/bin", MB, 4)}},
	}, func(c *v1.Config) { c.User = "app" })
}

// MultiArch is an index of two one-layer images: linux/amd64 holding
// arch/amd64 (1 MiB) and linux/arm64/v8 holding arch/arm64 (2 MiB).
func MultiArch(t testing.TB) v1.ImageIndex {
	amd := Image(t, []Step{{CreatedBy: "ADD amd", Entries: []Entry{Blob("arch/amd64", MB, 1)}}}, nil)
	arm := Image(t, []Step{{CreatedBy: "ADD arm", Entries: []Entry{Blob("arch/arm64", 2*MB, 2)}}}, nil)
	cf, err := arm.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.Variant = "arm64", "v8"
	if arm, err = mutate.ConfigFile(arm, cf); err != nil {
		t.Fatal(err)
	}
	return mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
	)
}

// Everything is a small image using every feature the readers handle:
// directories, symlinks, hard links, setuid, a secret, whiteouts, an
// opaque directory, a copy-up and a duplicate.
func Everything(t testing.TB) v1.Image {
	return Image(t, []Step{
		{CreatedBy: "ADD rootfs", Entries: []Entry{
			Dir("usr/"), Dir("usr/bin/"), File("usr/bin/sh", "#!sh"), Symlink("bin", "usr/bin"),
			Hardlink("usr/bin/ash", "usr/bin/sh"), WithMode(File("usr/bin/su", "su"), 0o4755),
			Dir("etc/"), File("etc/.env", "TOKEN=abc"), Dir("var/lib/apt/lists/"), File("var/lib/apt/lists/x", "pkgs"),
		}},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["sh"]`},
		{CreatedBy: "RUN x", Entries: []Entry{Whiteout("etc/.env"), Opaque("var/lib/apt/lists"), File("bin/tool", "t"), Dir("app/"), File("app/a", "aaaa")}},
		{CreatedBy: "RUN chmod", Entries: []Entry{WithMode(File("app/a", "aaaa"), 0o777), File("app/a2", "aaaa")}},
	}, nil)
}

// RawLayout puts raw layer blobs, one "RUN x" step each, into an OCI
// layout without any validation, so malformed layers reach the reader.
// It returns the layout's directory.
func RawLayout(t testing.TB, blobs ...[]byte) string {
	t.Helper()
	var steps []Step
	for _, b := range blobs {
		steps = append(steps, Step{CreatedBy: "RUN x", Layer: RawLayer{Raw: b}})
	}
	return OCILayout(t, Image(t, steps, nil), nil)
}

// MetadataFirstArchive writes img as an OCI archive whose oci-layout,
// index, manifest and configuration come first and whose layers follow in
// order; it leaves out the end-of-archive marker.
func MetadataFirstArchive(t testing.TB, img v1.Image) []byte {
	t.Helper()
	d := OCILayout(t, img, nil)
	var buf bytes.Buffer
	a := NewArchiveWriter(t, &buf)
	add := func(rel string) {
		b, err := os.ReadFile(filepath.Join(d, rel))
		if err != nil {
			t.Fatal(err)
		}
		a.File(rel, b)
	}
	add("oci-layout")
	add("index.json")
	m, _ := img.Digest()
	add("blobs/sha256/" + m.Hex)
	c, _ := img.ConfigName()
	add("blobs/sha256/" + c.Hex)
	layers, _ := img.Layers()
	for _, l := range layers {
		h, _ := l.Digest()
		add("blobs/sha256/" + h.Hex)
	}
	a.Flush()
	return buf.Bytes()
}

// Classic is an image with the classic builder's history: a base (ADD,
// CMD), then one entry per instruction of ClassicDockerfile, the metadata
// ones empty, and a build argument in the RUN's entry. Layer 2 writes
// 2 MiB of apt lists that layer 4 deletes; layer 3 copies in a .env file;
// the environment holds a password.
func Classic(t testing.TB) v1.Image {
	return Image(t, []Step{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:0123 in / ", Entries: []Entry{Dir("etc/"), File("etc/os-release", "debian")}},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`},
		{CreatedBy: "/bin/sh -c #(nop)  ENV APP=/app"},
		{CreatedBy: "|1 VERSION=1 /bin/sh -c mkdir -p /var/lib/apt/lists && head -c 2000000 /dev/urandom > /var/lib/apt/lists/x", Entries: []Entry{Blob("var/lib/apt/lists/x", 2*MB, 1)}},
		{CreatedBy: "/bin/sh -c #(nop) COPY dir:abcd in /app ", Entries: []Entry{Dir("app/"), File("app/.env", "SECRET_KEY=abc")}},
		{CreatedBy: "/bin/sh -c rm -rf /var/lib/apt/lists", Entries: []Entry{Whiteout("var/lib/apt/lists")}},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["/app/run"]`},
	}, func(c *v1.Config) { c.Env = []string{"APP=/app", "DB_PASSWORD=hunter22"} })
}

// ClassicDockerfile is the Dockerfile Classic was built from: FROM on
// line 2, the RUN that writes the lists on lines 5-6, COPY on 7, the RUN
// that deletes them on 8. ARG made no history entry.
const ClassicDockerfile = `# syntax=docker/dockerfile:1
FROM debian:bookworm
ENV APP=/app
ARG VERSION=1
RUN mkdir -p /var/lib/apt/lists \
 && head -c 2000000 /dev/urandom > /var/lib/apt/lists/x
COPY . /app
RUN rm -rf /var/lib/apt/lists
CMD ["/app/run"]
`
