package image

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

const mb = 1 << 20

func TestFileDeletedLater(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "/bin/sh -c #(nop) ADD file:abc in / ", entries: []tentry{dir("etc/"), file("etc/os-release", "ID=test\n")}},
		{createdBy: "/bin/sh -c #(nop)  CMD [\"sh\"]"},
		{createdBy: "RUN /bin/sh -c curl -o /tmp/big.tgz x # buildkit", entries: []tentry{dir("tmp/"), blob("tmp/big.tgz", 3*mb, 1), blob("tmp/keep", mb, 2)}},
		{createdBy: "RUN /bin/sh -c rm /tmp/big.tgz # buildkit", entries: []tentry{dir("tmp/"), whiteout("tmp/big.tgz")}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
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
	f := findingsOf(r, "SI001")
	if len(f) != 1 || f[0].Layer != 2 || !strings.Contains(f[0].Message, "layer 3 deleted 3.15 MB created by layer 2") {
		t.Fatalf("SI001 findings = %+v", f)
	}
	if r.Layers[1].CreatedBy == "" || r.Layers[1].History != 3 {
		t.Fatalf("layer 2 history: %+v", r.Layers[1])
	}
}

func TestDirectoryDeletedLater(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "/bin/sh -c apt-get update", entries: []tentry{
			dir("var/"), dir("var/lib/"), dir("var/lib/apt/"), dir("var/lib/apt/lists/"),
			blob("var/lib/apt/lists/deb.debian.org_Packages", 2*mb, 3),
			dir("var/lib/apt/lists/partial/"),
			blob("var/lib/apt/lists/partial/x", mb, 4),
			file("var/lib/apt/lists/lock", ""),
		}},
		{createdBy: "/bin/sh -c rm -rf /var/lib/apt/lists", entries: []tentry{dir("var/lib/apt/"), whiteout("var/lib/apt/lists")}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	p := pair(r, 1, 2)
	if p.Deleted != 3*mb || p.Files != 3 {
		t.Fatalf("pair = %+v, want 3 MiB in 3 files", p)
	}
	if len(r.Waste.Items) == 0 || r.Waste.Items[0].Path != "var/lib/apt/lists" || r.Waste.Items[0].Kind != WasteDeleted {
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
	img := buildImage(t, []step{
		{createdBy: "COPY a /app", entries: []tentry{dir("app/"), blob("app/x", mb, 1), blob("app/sub/y", 2*mb, 2)}},
		{createdBy: "RUN rm -rf /app && mkdir /app && echo > /app/z", entries: []tentry{dir("app/"), opaque("app"), blob("app/z", mb/2, 3)}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
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
	img := buildImage(t, []step{
		{createdBy: "COPY a /app", entries: []tentry{dir("app/"), blob("app/x", mb, 1)}},
		{createdBy: "RUN x", entries: []tentry{dir("app/"), blob("app/z", mb, 3), opaque("app")}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	if _, ok := findFile(r, "app/z"); !ok || r.Waste.Deleted != mb {
		t.Fatalf("z visible=%v deleted=%d", ok, r.Waste.Deleted)
	}
}

func TestChmodCopyUpCountsOnce(t *testing.T) {
	content := blob("app/server", 4*mb, 7)
	img := buildImage(t, []step{
		{createdBy: "COPY server /app/server", entries: []tentry{dir("app/"), content}},
		{createdBy: "RUN chmod +x /app/server", entries: []tentry{dir("app/"), withMode(content, 0o755)}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
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
	if got := findingsOf(r, "SI003"); len(got) != 1 || got[0].Layer != 2 {
		t.Fatalf("SI003 = %+v", got)
	}
	if got := findingsOf(r, "SI002"); len(got) != 0 {
		t.Fatalf("a copy-up is not reported as an overwrite: %+v", got)
	}
	if r.Waste.Percent != 50 {
		t.Fatalf("wasted percent = %v", r.Waste.Percent)
	}
}

func TestOverwriteWithNewContent(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "COPY a /app/a", entries: []tentry{dir("app/"), blob("app/a", 2*mb, 1)}},
		{createdBy: "COPY a /app/a", entries: []tentry{dir("app/"), blob("app/a", 3*mb, 2)}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	if r.Waste.Overwritten != 2*mb || r.Waste.CopyUp != 0 {
		t.Fatalf("overwritten %d copy-up %d", r.Waste.Overwritten, r.Waste.CopyUp)
	}
	if got := findingsOf(r, "SI002"); len(got) != 1 || got[0].Layer != 2 || got[0].Bytes != 2*mb {
		t.Fatalf("SI002 = %+v", got)
	}
}

// A file where a directory was hides the whole directory, and the other
// way round.
func TestFileReplacesDirectory(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "RUN a", entries: []tentry{dir("d/"), blob("d/x", mb, 1), blob("f", mb, 2)}},
		{createdBy: "RUN b", entries: []tentry{blob("d", 10, 3), dir("f/"), file("f/y", "y")}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	if r.Waste.Overwritten != 2*mb {
		t.Fatalf("overwritten = %d", r.Waste.Overwritten)
	}
	if f, _ := findFile(r, "d"); f.Kind != KindFile {
		t.Fatalf("d = %+v", f)
	}
}

func TestDuplicates(t *testing.T) {
	a := blob("opt/a/lib.so", 2*mb, 9)
	b := a
	b.name = "opt/b/lib.so"
	c := a
	c.name = "opt/c/lib.so"
	img := buildImage(t, []step{
		{createdBy: "COPY a", entries: []tentry{a}},
		{createdBy: "COPY b", entries: []tentry{b, c, blob("opt/other", 2*mb, 10)}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
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
	if got := findingsOf(r, "SI004"); len(got) != 1 {
		t.Fatalf("SI004 = %+v", got)
	}
	// Without hashing there is no duplicate detection.
	r = mustAnalyze(t, img, Options{NoHash: true})
	if r.Waste.Duplicate != 0 {
		t.Fatalf("NoHash: duplicate = %d", r.Waste.Duplicate)
	}
}

func TestIgnorePatterns(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "RUN a", entries: []tentry{blob("var/cache/x", 2*mb, 1), blob("app/y", mb, 2)}},
		{createdBy: "RUN b", entries: []tentry{whiteout("var/cache"), whiteout("app/y")}},
	}, nil)
	m, err := NewMatcher([]string{"/var/cache"})
	if err != nil {
		t.Fatal(err)
	}
	r := mustAnalyze(t, img, Options{Ignore: m})
	if r.Waste.Deleted != mb || r.Waste.Ignored != 2*mb {
		t.Fatalf("deleted %d ignored %d", r.Waste.Deleted, r.Waste.Ignored)
	}
	if r.Totals.Efficiency != 0 {
		t.Fatalf("efficiency = %v (visible 0 of 1 MiB considered)", r.Totals.Efficiency)
	}
}

func TestSymlinkedIntermediateDirectory(t *testing.T) {
	// usrmerge: bin -> usr/bin; a later layer writing bin/x writes usr/bin/x.
	img := buildImage(t, []step{
		{createdBy: "ADD base", entries: []tentry{dir("usr/"), dir("usr/bin/"), blob("usr/bin/x", mb, 1), symlink("bin", "usr/bin")}},
		{createdBy: "RUN y", entries: []tentry{blob("bin/x", 2*mb, 2)}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	if f, ok := findFile(r, "usr/bin/x"); !ok || f.Size != 2*mb || f.Layer != 2 {
		t.Fatalf("usr/bin/x = %+v %v", f, ok)
	}
	if r.Waste.Overwritten != mb {
		t.Fatalf("overwritten = %d", r.Waste.Overwritten)
	}
}

func TestHardlinksStoreNoBytes(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "RUN a", entries: []tentry{blob("usr/bin/perl", mb, 1), hardlink("usr/bin/perl5", "usr/bin/perl")}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	if r.Totals.StoredBytes != mb || r.Waste.Duplicate != 0 {
		t.Fatalf("stored %d duplicate %d", r.Totals.StoredBytes, r.Waste.Duplicate)
	}
	if f, ok := findFile(r, "usr/bin/perl5"); !ok || f.Kind != KindHardlink {
		t.Fatalf("hard link = %+v", f)
	}
}

func TestBaseFromFlagAndUserFigures(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "ADD rootfs", entries: []tentry{blob("usr/share/doc/big", 4*mb, 1)}},
		{createdBy: "RUN a", entries: []tentry{blob("app/a", 2*mb, 2)}},
		{createdBy: "RUN b", entries: []tentry{whiteout("app/a"), whiteout("usr/share/doc")}},
	}, nil)
	r := mustAnalyze(t, img, Options{Base: &BaseSpec{Ref: "base:1", Layers: 1, History: 1}})
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
	var baseMsg bool
	for _, f := range findingsOf(r, "SI001") {
		if strings.Contains(f.Message, "of the base image") && f.Layer == 3 {
			baseMsg = true
		}
	}
	if !baseMsg {
		t.Fatalf("SI001 = %+v", findingsOf(r, "SI001"))
	}
}

func TestEmptyHistoryStepsAreMarked(t *testing.T) {
	img := buildImage(t, []step{
		{createdBy: "ADD x", entries: []tentry{file("a", "a")}},
		{createdBy: "ENV A=b"},
		{createdBy: "RUN y", entries: []tentry{file("b", "b")}},
	}, nil)
	r := mustAnalyze(t, img, Options{})
	if len(r.History) != 3 || !r.History[1].EmptyLayer || r.History[1].Layer != 0 || r.History[2].Layer != 2 {
		t.Fatalf("history = %+v", r.History)
	}
	if r.Layers[1].History != 3 {
		t.Fatalf("layer 2 history = %d", r.Layers[1].History)
	}
}

func TestHistoryKeyword(t *testing.T) {
	for in, want := range map[string]string{
		`/bin/sh -c #(nop)  CMD ["bash"]`:                 "CMD",
		`/bin/sh -c #(nop) COPY file:ab in /app `:         "COPY",
		`/bin/sh -c apt-get update`:                       "RUN",
		`|2 A=1 B=2 /bin/sh -c make`:                      "RUN",
		`RUN /bin/sh -c apt-get update # buildkit`:        "RUN",
		`COPY . /app # buildkit`:                          "COPY",
		`ENV PATH=/usr/local/bin:/usr/bin`:                "ENV",
		`# debian.sh --arch 'amd64' out/ 'bookworm' '@1'`: "",
		``: "",
	} {
		if got := historyKeyword(in); got != want {
			t.Errorf("historyKeyword(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ShortCommand(`/bin/sh -c #(nop)  CMD ["bash"]`, 0); got != `CMD ["bash"]` {
		t.Errorf("ShortCommand = %q", got)
	}
	if got := ShortCommand(`RUN /bin/sh -c apt-get   update # buildkit`, 0); got != `RUN apt-get update` {
		t.Errorf("ShortCommand = %q", got)
	}
}

func TestDetectBase(t *testing.T) {
	h := []v1.History{
		{CreatedBy: "ADD file:x in /"},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`, EmptyLayer: true},
		{CreatedBy: "RUN a"},
		{CreatedBy: `CMD ["app"]`, EmptyLayer: true},
	}
	layerOf, ok := historyLayers(h, 2)
	if !ok {
		t.Fatal("history does not fit")
	}
	n, hist, _ := detectBase(h, layerOf)
	if n != 1 || hist != 2 {
		t.Fatalf("detectBase = %d layers, %d entries", n, hist)
	}
	for _, comment := range []string{"Imported from -", "debootstrap --variant=minbase bookworm"} {
		imported := []v1.History{{Comment: comment}, {CreatedBy: "RUN a"}}
		layerOf, _ = historyLayers(imported, 2)
		if n, _, _ := detectBase(imported, layerOf); n != 1 {
			t.Fatalf("imported base (%q) = %d", comment, n)
		}
	}
	// A history without any of these marks has no recognized base.
	plain := []v1.History{{CreatedBy: "COPY a /"}, {CreatedBy: "RUN b"}}
	layerOf, _ = historyLayers(plain, 2)
	if n, _, _ := detectBase(plain, layerOf); n != 0 {
		t.Fatalf("plain history base = %d", n)
	}
}

// An image with no layer at all (FROM scratch and metadata only) reads,
// and its JSON report has arrays, never nulls.
func TestEmptyImageReport(t *testing.T) {
	img := buildImage(t, []step{{createdBy: `CMD ["x"]`}}, nil)
	r := mustAnalyze(t, img, Options{})
	if len(r.Layers) != 0 || r.Totals.Efficiency != 1 || r.Waste.Total != 0 {
		t.Fatalf("result = %+v", r.Totals)
	}
	var b strings.Builder
	if err := WriteJSON(&b, r, &GateResult{Pass: true, Checks: []GateCheck{}}, DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "null") {
		t.Fatalf("null in JSON:\n%s", b.String())
	}
	b.Reset()
	if err := WriteText(&b, r, nil, TextOptions{}); err != nil || !strings.Contains(b.String(), "Efficiency 100.0%") {
		t.Fatalf("text: %v\n%s", err, b.String())
	}
}
