package imagediff_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagediff"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/vocab"
)

const mb = imagetest.MB

// base is the two bottom layers both test images share.
func base() []imagetest.Step {
	return []imagetest.Step{
		{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
			imagetest.Dir("usr/"), imagetest.Dir("usr/lib/"), imagetest.Blob("usr/lib/libc.so", mb, 1),
			imagetest.Symlink("usr/lib/libc.so.6", "libc.so"), imagetest.File("etc/passwd", "root:x:0:0\n"),
		}},
		{CreatedBy: "RUN apt-get install", Entries: []imagetest.Entry{
			imagetest.Dir("var/cache/apt/"), imagetest.Blob("var/cache/apt/pkgcache.bin", 3*mb, 2),
			imagetest.Blob("usr/lib/python3/big.so", 2*mb, 3),
		}},
	}
}

// pair is A and B: B drops the apt cache and python, changes the app's
// content at the same size, chmods a file, re-points a link, turns a file
// into a directory and adds a file.
func pair(t *testing.T) (v1.Image, v1.Image) {
	a := imagetest.Image(t, append(base(), imagetest.Step{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
		imagetest.Dir("app/"), imagetest.Blob("app/server", 100_000, 4), imagetest.File("app/run.sh", "#!/bin/sh\n"),
		imagetest.Symlink("app/current", "server"), imagetest.File("app/data", "x"), imagetest.File("app/same", "same"),
	}}), nil)
	run := imagetest.File("app/run.sh", "#!/bin/sh\n")
	run.Mode = 0o755
	owned := imagetest.File("app/same", "same")
	owned.UID = 1000
	b := imagetest.Image(t, append(base(),
		imagetest.Step{CreatedBy: "COPY app /app", Entries: []imagetest.Entry{
			imagetest.Dir("app/"), imagetest.Blob("app/server", 100_000, 5), run,
			imagetest.Symlink("app/current", "run.sh"), imagetest.Dir("app/data/"), imagetest.File("app/data/x", "xy"), owned,
			imagetest.File("NOTICE", "n"),
		}},
		imagetest.Step{CreatedBy: "RUN rm -rf /var/cache/apt /usr/lib/python3", Entries: []imagetest.Entry{
			imagetest.Whiteout("var/cache/apt"), imagetest.Whiteout("usr/lib/python3"),
		}},
	), nil)
	return a, b
}

func open(t *testing.T, ref string) image.Source {
	t.Helper()
	src, err := source.Open(ref, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestDiffOfMixedSources(t *testing.T) {
	a, b := pair(t)
	refA := "docker-archive:" + imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, a, "a:1"))
	refB := "oci:" + imagetest.OCILayout(t, b, nil)
	d, err := imagediff.Run(context.Background(), open(t, refA), open(t, refB), imagediff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range d.Files {
		got = append(got, fmt.Sprintf("%s %s %v %d", f.Op, f.Path, f.Changed, f.Delta))
	}
	want := []string{
		"added NOTICE [] 1",
		"changed app/current [link] 0",
		"changed app/data [kind] -1",
		"added app/data/x [] 2",
		"changed app/run.sh [mode] 0",
		"changed app/same [owner] 0",
		// Same size, other bytes: found by the hash.
		"changed app/server [content] 0",
		"removed usr/lib/python3 [] 0",
		"removed usr/lib/python3/big.so [] -2097152",
		"removed var/cache/apt [] 0",
		"removed var/cache/apt/pkgcache.bin [] -3145728",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files:\n got %q\nwant %q", got, want)
	}
	// The two shared bottom layers are decoded once: the layout's gzip
	// blobs and the archive's tar files are the same layers.
	if d.ReusedLayers != 2 {
		t.Errorf("%d layers reused, want 2", d.ReusedLayers)
	}
	for i, s := range []imagediff.Side{d.A, d.B} {
		for _, l := range s.Layers {
			if want := l.Index <= 2; l.Shared != want {
				t.Errorf("side %d layer %d: shared %v, want %v", i, l.Index, l.Shared, want)
			}
		}
	}
	var groups []string
	for _, g := range d.Groups {
		groups = append(groups, fmt.Sprintf("%s +%d -%d ~%d %d", g.Dir, g.Added, g.Removed, g.Changed, g.Delta))
	}
	wantGroups := []string{"/var +0 -2 ~0 -3145728", "/usr +0 -2 ~0 -2097152", "/ +1 -0 ~0 1", "/app +1 -0 ~5 1"}
	if !reflect.DeepEqual(groups, wantGroups) {
		t.Errorf("groups:\n got %q\nwant %q", groups, wantGroups)
	}
	s := d.Summary
	if s.Added != 2 || s.Removed != 4 || s.Changed != 5 || s.Delta != -5*mb+2 {
		t.Errorf("summary %+v", s)
	}
	wantText := "B is 5.24 MB smaller: /var/cache/apt −3.15 MB, /usr/lib/python3 −2.10 MB, /app/data +2 B; 2 added, 4 removed, 5 changed"
	if s.Text != wantText {
		t.Errorf("summary text\n got %q\nwant %q", s.Text, wantText)
	}
}

func TestDiffOfTheSameImage(t *testing.T) {
	a, _ := pair(t)
	p := imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, a, "a:1"))
	d, err := imagediff.Run(context.Background(), open(t, p), open(t, "oci:"+imagetest.OCILayout(t, a, nil)), imagediff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 0 || d.Summary.Text != "A and B hold the same files" || d.ReusedLayers != 3 {
		t.Errorf("files %v, summary %q, reused %d", d.Files, d.Summary.Text, d.ReusedLayers)
	}
}

func TestCompareNeedsOneShared(t *testing.T) {
	a, b := pair(t)
	var res [2]*image.Result
	for i, img := range []v1.Image{a, b} {
		r, err := image.Analyze(context.Background(), open(t, imagetest.WriteTemp(t, "x.tar", imagetest.DockerSaveOld(t, img, "x:1"))), image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res[i] = r
	}
	if _, err := imagediff.Compare(res[0], res[1]); err == nil {
		t.Error("no error comparing hashes made with different seeds")
	}
}

func TestDiffBadInputNamesTheImageAndLayer(t *testing.T) {
	a, _ := pair(t)
	good := imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, a, "a:1"))
	// B's second layer is not a tar stream.
	badImg := imagetest.Image(t, []imagetest.Step{
		base()[0],
		{CreatedBy: "RUN broken", Layer: imagetest.RawLayer{Raw: []byte(strings.Repeat("not a tar stream ", 100))}},
	}, nil)
	bad := imagetest.WriteTemp(t, "b.tar", imagetest.DockerSaveOld(t, badImg, "b:1"))
	_, err := imagediff.Run(context.Background(), open(t, good), open(t, bad), imagediff.Options{})
	if err == nil {
		t.Fatal("no error")
	}
	var le *image.LayerError
	if !vocab.IsInput(err) || !errors.As(err, &le) || le.Index != 1 || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v; want bad input naming %s, layer 2", err, bad)
	}
	if _, err := imagediff.Run(context.Background(), open(t, good), open(t, "docker-archive:"+good+".missing"), imagediff.Options{}); err == nil || !vocab.IsInput(err) {
		t.Errorf("missing archive: err = %v", err)
	}
}

func TestDiffInterrupted(t *testing.T) {
	a, b := pair(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := imagediff.Run(ctx, open(t, imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, a, "a:1"))), open(t, imagetest.WriteTemp(t, "b.tar", imagetest.DockerSaveOld(t, b, "b:1"))), imagediff.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
