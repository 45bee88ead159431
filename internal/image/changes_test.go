package image_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
)

// changeList renders a layer's changes as "op kind path size files".
func changeList(cs []image.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s %d %d", c.Op, c.Kind, c.Path, c.Size, c.Files))
	}
	sort.Strings(out)
	return out
}

func TestChangesPerLayer(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{
			imagetest.Dir("etc/"), imagetest.File("etc/a", "aaaa"), imagetest.File("etc/b", "bb"),
			imagetest.Dir("var/cache/"), imagetest.File("var/cache/x", "xxx"), imagetest.File("var/cache/y", "yy"),
			imagetest.File("usr/lib/implicit", "i"),
		}},
		{CreatedBy: "RUN change", Entries: []imagetest.Entry{
			imagetest.Whiteout("etc/b"), imagetest.File("etc/a", "AAAAAA"), imagetest.Whiteout("var/cache"),
			imagetest.Dir("etc/"), imagetest.File("etc/new", "n"),
			imagetest.WithMode(imagetest.Dir("usr/"), 0o700),
		}},
		{CreatedBy: "RUN opaque", Entries: []imagetest.Entry{
			imagetest.Opaque("etc"), imagetest.File("etc/a", "again"), imagetest.Whiteout("nothing/here"),
		}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{Changes: true})
	if len(r.Changes) != 3 {
		t.Fatalf("%d layers of changes, want 3", len(r.Changes))
	}
	want := [][]string{
		{"added dir etc 0 0", "added dir usr 0 0", "added dir usr/lib 0 0", "added dir var 0 0", "added dir var/cache 0 0",
			"added file etc/a 4 1", "added file etc/b 2 1", "added file usr/lib/implicit 1 1",
			"added file var/cache/x 3 1", "added file var/cache/y 2 1"},
		// etc/ declared again with the same mode is no change; usr/ with
		// another mode is.
		{"added file etc/new 1 1", "modified dir usr 0 0", "modified file etc/a 6 1",
			"removed dir var/cache 5 2", "removed file etc/b 2 1"},
		// The opaque directory removes etc/new and etc/a; etc/a comes back.
		{"modified file etc/a 5 1", "removed file etc/new 1 1"},
	}
	for i := range want {
		if got := changeList(r.Changes[i]); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("layer %d changes:\n got %q\nwant %q", i+1, got, want[i])
		}
	}
	if r0 := mustAnalyze(t, img, image.Options{}); r0.Changes != nil {
		t.Error("changes recorded without Options.Changes")
	}
}

// sharedPair is two images with the same two bottom layers.
func sharedPair(t *testing.T) (a, b v1.Image) {
	base := []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{imagetest.Dir("usr/"), imagetest.Blob("usr/lib1", 300<<10, 1), imagetest.Blob("usr/lib2", 200<<10, 2)}},
		{CreatedBy: "RUN deps", Entries: []imagetest.Entry{imagetest.Dir("opt/"), imagetest.Blob("opt/dep", 100<<10, 3)}},
	}
	a = imagetest.Image(t, append(base[:2:2], imagetest.Step{CreatedBy: "COPY app", Entries: []imagetest.Entry{imagetest.Blob("app", 1000, 4)}}), nil)
	b = imagetest.Image(t, append(base[:2:2], imagetest.Step{CreatedBy: "COPY app", Entries: []imagetest.Entry{imagetest.Blob("app", 1000, 5), imagetest.Whiteout("usr/lib2")}}), nil)
	return a, b
}

func TestSharedDecodesCommonLayersOnce(t *testing.T) {
	a, b := sharedPair(t)
	pa := imagetest.WriteTemp(t, "a.tar", imagetest.DockerSaveOld(t, a, "a:1"))
	pb := imagetest.WriteTemp(t, "b.tar", imagetest.DockerSaveNew(t, b, "b:1"))
	alone := [2]*image.Result{}
	for i, p := range []string{pa, pb} {
		r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), image.Options{})
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = r
	}
	sh := image.NewShared(2)
	var together [2]*image.Result
	var g errgroup.Group
	for i, p := range []string{pa, pb} {
		g.Go(func() error {
			r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), image.Options{Shared: sh})
			together[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if sh.Reused() != 2 {
		t.Errorf("%d layer blobs passed over, want 2 (the shared bottom layers, once each)", sh.Reused())
	}
	for i := range alone {
		if err := together[i].CheckBalance(); err != nil {
			t.Error(err)
		}
		x, y := alone[i], together[i]
		for j := range x.Layers {
			lx, ly := x.Layers[j], y.Layers[j]
			if lx != ly {
				t.Errorf("side %d layer %d: alone %+v, shared %+v", i, j+1, lx, ly)
			}
		}
		if !reflect.DeepEqual(paths(x), paths(y)) || x.Totals != y.Totals || !reflect.DeepEqual(x.Waste, y.Waste) {
			t.Errorf("side %d: the shared analysis differs from the one alone", i)
		}
	}
	if !together[0].SameHashes(together[1]) || alone[0].SameHashes(alone[1]) || together[0].SameHashes(alone[0]) {
		t.Error("SameHashes is wrong")
	}
	ha, _ := fileOf(t, together[0], "usr/lib1").ContentHash()
	hb, _ := fileOf(t, together[1], "usr/lib1").ContentHash()
	aa, _ := fileOf(t, together[0], "app").ContentHash()
	ab, _ := fileOf(t, together[1], "app").ContentHash()
	if ha != hb || aa == ab {
		t.Errorf("hashes: lib1 %x/%x (want equal), app %x/%x (want different)", ha, hb, aa, ab)
	}
}

func paths(r *image.Result) []string {
	var out []string
	for _, f := range r.Files {
		out = append(out, fmt.Sprintf("%s %d %d", f.Path, f.Size, f.Layer))
	}
	return out
}

func fileOf(t *testing.T, r *image.Result, p string) *image.File {
	t.Helper()
	for i := range r.Files {
		if r.Files[i].Path == p {
			return &r.Files[i]
		}
	}
	t.Fatalf("%s: no file %s", r.Image.Source, p)
	return nil
}
