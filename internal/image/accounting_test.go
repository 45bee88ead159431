package image_test

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
)

// The accounting's tests read their images as docker save archives (the
// layout before Docker 25, uncompressed layers). What the checks report on
// the same images is tested in internal/image/check.

const mb = imagetest.MB

// mustAnalyze analyzes an image written as an old docker save archive and
// checks the accounting balances.
func mustAnalyze(t testing.TB, img v1.Image, opts image.Options) *image.Result {
	t.Helper()
	p := imagetest.WriteTemp(t, "img.tar", imagetest.DockerSaveOld(t, img, "test:latest"))
	r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.CheckBalance(); err != nil {
		t.Fatal(err)
	}
	return r
}

// findFile returns the final filesystem's entry at p.
func findFile(r *image.Result, p string) (image.File, bool) {
	for _, f := range r.Files {
		if f.Path == p {
			return f, true
		}
	}
	return image.File{}, false
}

// pair returns the waste pair for two 1-based layers.
func pair(r *image.Result, created, hidden int) image.WastePair {
	for _, p := range r.Waste.Pairs {
		if p.CreatedBy == created && p.HiddenBy == hidden {
			return p
		}
	}
	return image.WastePair{CreatedBy: created, HiddenBy: hidden}
}

func TestFileDeletedLater(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / ", Entries: []imagetest.Entry{imagetest.Dir("etc/"), imagetest.File("etc/os-release", "ID=test\n")}},
		{CreatedBy: "/bin/sh -c #(nop)  CMD [\"sh\"]"},
		{CreatedBy: "RUN /bin/sh -c curl -o /tmp/big.tgz x # buildkit", Entries: []imagetest.Entry{imagetest.Dir("tmp/"), imagetest.Blob("tmp/big.tgz", 3*mb, 1), imagetest.Blob("tmp/keep", mb, 2)}},
		{CreatedBy: "RUN /bin/sh -c rm /tmp/big.tgz # buildkit", Entries: []imagetest.Entry{imagetest.Dir("tmp/"), imagetest.Whiteout("tmp/big.tgz")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Waste.Deleted != 3*mb || r.Waste.Overwritten != 0 {
		t.Fatalf("deleted %d overwritten %d, want %d and 0", r.Waste.Deleted, r.Waste.Overwritten, 3*mb)
	}
	p := pair(r, 2, 3)
	if p.Deleted != 3*mb || p.Files != 1 {
		t.Fatalf("pair 2→3 = %+v", p)
	}
	if r.Layers[2].DeletedBytes != 3*mb || r.Layers[1].WastedBytes != 3*mb || r.Layers[1].AddedBytes != 4*mb {
		t.Fatalf("layer figures: %+v / %+v", r.Layers[1], r.Layers[2])
	}
	if r.Layers[2].Whiteouts != 1 {
		t.Fatalf("whiteouts = %d", r.Layers[2].Whiteouts)
	}
	if _, ok := findFile(r, "tmp/big.tgz"); ok {
		t.Fatal("deleted file still visible")
	}
	if r.Base.Layers != 1 || r.Base.Source != "history" {
		t.Fatalf("base = %+v, want 1 layer from history", r.Base)
	}
	stored := int64(4*mb + len("ID=test\n"))
	if r.Totals.StoredBytes != stored {
		t.Fatalf("stored = %d, want %d", r.Totals.StoredBytes, stored)
	}
	wantEff := float64(stored-3*mb) / float64(stored)
	if diff := r.Totals.Efficiency - wantEff; diff > 1e-9 || diff < -1e-9 {
		t.Fatalf("efficiency = %v, want %v", r.Totals.Efficiency, wantEff)
	}
	if r.Layers[1].CreatedBy == "" || r.Layers[1].History != 3 {
		t.Fatalf("layer 2 history: %+v", r.Layers[1])
	}
}

func TestDirectoryDeletedLater(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "/bin/sh -c apt-get update", Entries: []imagetest.Entry{
			imagetest.Dir("var/"), imagetest.Dir("var/lib/"), imagetest.Dir("var/lib/apt/"), imagetest.Dir("var/lib/apt/lists/"),
			imagetest.Blob("var/lib/apt/lists/deb.debian.org_Packages", 2*mb, 3),
			imagetest.Dir("var/lib/apt/lists/partial/"),
			imagetest.Blob("var/lib/apt/lists/partial/x", mb, 4),
			imagetest.File("var/lib/apt/lists/lock", ""),
		}},
		{CreatedBy: "/bin/sh -c rm -rf /var/lib/apt/lists", Entries: []imagetest.Entry{imagetest.Dir("var/lib/apt/"), imagetest.Whiteout("var/lib/apt/lists")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	p := pair(r, 1, 2)
	if p.Deleted != 3*mb || p.Files != 3 {
		t.Fatalf("pair = %+v, want 3 MiB in 3 files", p)
	}
	if len(r.Waste.Items) == 0 || r.Waste.Items[0].Path != "var/lib/apt/lists" || r.Waste.Items[0].Kind != image.WasteDeleted {
		t.Fatalf("items = %+v", r.Waste.Items)
	}
	if _, ok := findFile(r, "var/lib/apt"); !ok {
		t.Fatal("parent directory lost")
	}
	if _, ok := findFile(r, "var/lib/apt/lists"); ok {
		t.Fatal("deleted directory still visible")
	}
	if r.Totals.Efficiency != 0 {
		t.Fatalf("efficiency = %v, want 0 (everything deleted)", r.Totals.Efficiency)
	}
}

func TestOpaqueDirectory(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY a /app", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/x", mb, 1), imagetest.Blob("app/sub/y", 2*mb, 2)}},
		{CreatedBy: "RUN rm -rf /app && mkdir /app && echo > /app/z", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Opaque("app"), imagetest.Blob("app/z", mb/2, 3)}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Waste.Deleted != 3*mb {
		t.Fatalf("deleted = %d, want %d", r.Waste.Deleted, 3*mb)
	}
	if _, ok := findFile(r, "app/z"); !ok {
		t.Fatal("the opaque layer's own file must stay")
	}
	if _, ok := findFile(r, "app/x"); ok {
		t.Fatal("lower file visible through an opaque directory")
	}
	if r.Totals.VisibleBytes != mb/2 {
		t.Fatalf("visible = %d", r.Totals.VisibleBytes)
	}
}

// An opaque marker written after the directory's new entries in the same
// layer must not remove them.
func TestOpaqueAfterEntriesInSameLayer(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY a /app", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/x", mb, 1)}},
		{CreatedBy: "RUN x", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/z", mb, 3), imagetest.Opaque("app")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if _, ok := findFile(r, "app/z"); !ok || r.Waste.Deleted != mb {
		t.Fatalf("z visible=%v deleted=%d", ok, r.Waste.Deleted)
	}
}

func TestChmodCopyUpCountsOnce(t *testing.T) {
	content := imagetest.Blob("app/server", 4*mb, 7)
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY server /app/server", Entries: []imagetest.Entry{imagetest.Dir("app/"), content}},
		{CreatedBy: "RUN chmod +x /app/server", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.WithMode(content, 0o755)}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Totals.StoredBytes != 8*mb || r.Totals.VisibleBytes != 4*mb {
		t.Fatalf("stored %d visible %d", r.Totals.StoredBytes, r.Totals.VisibleBytes)
	}
	if r.Waste.Overwritten != 4*mb || r.Waste.CopyUp != 4*mb || r.Waste.Total != 4*mb {
		t.Fatalf("overwritten %d copy-up %d total %d, want 4 MiB each (counted once)", r.Waste.Overwritten, r.Waste.CopyUp, r.Waste.Total)
	}
	if r.Waste.Duplicate != 0 {
		t.Fatalf("a copy-up is not a duplicate: %d", r.Waste.Duplicate)
	}
	if f, _ := findFile(r, "app/server"); f.Mode != 0o755 || f.Layer != 2 {
		t.Fatalf("final file = %+v", f)
	}
	if r.Waste.Percent != 50 {
		t.Fatalf("wasted percent = %v", r.Waste.Percent)
	}
}

func TestOverwriteWithNewContent(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY a /app/a", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/a", 2*mb, 1)}},
		{CreatedBy: "COPY a /app/a", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/a", 3*mb, 2)}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Waste.Overwritten != 2*mb || r.Waste.CopyUp != 0 {
		t.Fatalf("overwritten %d copy-up %d", r.Waste.Overwritten, r.Waste.CopyUp)
	}
}

// A file where a directory was hides the whole directory, and the other
// way round.
func TestFileReplacesDirectory(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "RUN a", Entries: []imagetest.Entry{imagetest.Dir("d/"), imagetest.Blob("d/x", mb, 1), imagetest.Blob("f", mb, 2)}},
		{CreatedBy: "RUN b", Entries: []imagetest.Entry{imagetest.Blob("d", 10, 3), imagetest.Dir("f/"), imagetest.File("f/y", "y")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Waste.Overwritten != 2*mb {
		t.Fatalf("overwritten = %d", r.Waste.Overwritten)
	}
	if f, _ := findFile(r, "d"); f.Kind != image.KindFile {
		t.Fatalf("d = %+v", f)
	}
}

func TestDuplicates(t *testing.T) {
	a := imagetest.Blob("opt/a/lib.so", 2*mb, 9)
	b := a
	b.Name = "opt/b/lib.so"
	c := a
	c.Name = "opt/c/lib.so"
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY a", Entries: []imagetest.Entry{a}},
		{CreatedBy: "COPY b", Entries: []imagetest.Entry{b, c, imagetest.Blob("opt/other", 2*mb, 10)}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Waste.Duplicate != 4*mb || len(r.Waste.Duplicates) != 1 {
		t.Fatalf("duplicate = %d groups %+v", r.Waste.Duplicate, r.Waste.Duplicates)
	}
	g := r.Waste.Duplicates[0]
	if g.Paths[0] != "opt/a/lib.so" || g.Layers[0] != 1 || len(g.Paths) != 3 {
		t.Fatalf("group = %+v", g)
	}
	if r.Waste.Total != 4*mb || r.Waste.UserTotal != 4*mb || r.Waste.UserPercent != 50 {
		t.Fatalf("total %d, user %d (%v%%)", r.Waste.Total, r.Waste.UserTotal, r.Waste.UserPercent)
	}
	// Without hashing there is no duplicate detection.
	r = mustAnalyze(t, img, image.Options{NoHash: true})
	if r.Waste.Duplicate != 0 {
		t.Fatalf("NoHash: duplicate = %d", r.Waste.Duplicate)
	}
}

func TestIgnorePatterns(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "RUN a", Entries: []imagetest.Entry{imagetest.Blob("var/cache/x", 2*mb, 1), imagetest.Blob("app/y", mb, 2)}},
		{CreatedBy: "RUN b", Entries: []imagetest.Entry{imagetest.Whiteout("var/cache"), imagetest.Whiteout("app/y")}},
	}, nil)
	m, err := image.NewMatcher([]string{"/var/cache"})
	if err != nil {
		t.Fatal(err)
	}
	r := mustAnalyze(t, img, image.Options{Ignore: m})
	if r.Waste.Deleted != mb || r.Waste.Ignored != 2*mb {
		t.Fatalf("deleted %d ignored %d", r.Waste.Deleted, r.Waste.Ignored)
	}
	if r.Totals.Efficiency != 0 {
		t.Fatalf("efficiency = %v (visible 0 of 1 MiB considered)", r.Totals.Efficiency)
	}
}

func TestSymlinkedIntermediateDirectory(t *testing.T) {
	// usrmerge: bin -> usr/bin; a later layer writing bin/x writes usr/bin/x.
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD base", Entries: []imagetest.Entry{imagetest.Dir("usr/"), imagetest.Dir("usr/bin/"), imagetest.Blob("usr/bin/x", mb, 1), imagetest.Symlink("bin", "usr/bin")}},
		{CreatedBy: "RUN y", Entries: []imagetest.Entry{imagetest.Blob("bin/x", 2*mb, 2)}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if f, ok := findFile(r, "usr/bin/x"); !ok || f.Size != 2*mb || f.Layer != 2 {
		t.Fatalf("usr/bin/x = %+v %v", f, ok)
	}
	if r.Waste.Overwritten != mb {
		t.Fatalf("overwritten = %d", r.Waste.Overwritten)
	}
}

func TestHardlinksStoreNoBytes(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "RUN a", Entries: []imagetest.Entry{imagetest.Blob("usr/bin/perl", mb, 1), imagetest.Hardlink("usr/bin/perl5", "usr/bin/perl")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if r.Totals.StoredBytes != mb || r.Waste.Duplicate != 0 {
		t.Fatalf("stored %d duplicate %d", r.Totals.StoredBytes, r.Waste.Duplicate)
	}
	if f, ok := findFile(r, "usr/bin/perl5"); !ok || f.Kind != image.KindHardlink {
		t.Fatalf("hard link = %+v", f)
	}
}

func TestBaseFromFlagAndUserFigures(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{imagetest.Blob("usr/share/doc/big", 4*mb, 1)}},
		{CreatedBy: "RUN a", Entries: []imagetest.Entry{imagetest.Blob("app/a", 2*mb, 2)}},
		{CreatedBy: "RUN b", Entries: []imagetest.Entry{imagetest.Whiteout("app/a"), imagetest.Whiteout("usr/share/doc")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{Base: &image.BaseSpec{Ref: "base:1", Layers: 1, History: 1}})
	if r.Base.Source != "flag" || r.Base.Layers != 1 || !r.Layers[0].Base || r.Layers[1].Base {
		t.Fatalf("base = %+v", r.Base)
	}
	if r.Totals.UserStoredBytes != 2*mb {
		t.Fatalf("user stored = %d", r.Totals.UserStoredBytes)
	}
	// Layer 3 hid 2 MiB of layer 2 and 4 MiB of the base: all caused by
	// a user layer.
	if r.Waste.UserTotal != 6*mb || r.Waste.UserPercent != 300 {
		t.Fatalf("user total %d percent %v", r.Waste.UserTotal, r.Waste.UserPercent)
	}
}

func TestEmptyHistoryStepsAreMarked(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD x", Entries: []imagetest.Entry{imagetest.File("a", "a")}},
		{CreatedBy: "ENV A=b"},
		{CreatedBy: "RUN y", Entries: []imagetest.Entry{imagetest.File("b", "b")}},
	}, nil)
	r := mustAnalyze(t, img, image.Options{})
	if len(r.History) != 3 || !r.History[1].EmptyLayer || r.History[1].Layer != 0 || r.History[2].Layer != 2 {
		t.Fatalf("history = %+v", r.History)
	}
	if r.Layers[1].History != 3 {
		t.Fatalf("layer 2 history = %d", r.Layers[1].History)
	}
}
