package check

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagetest"
)

// The images below are the accounting's (internal/image/accounting_test.go);
// these tests check what the waste rules report on them.

func TestDeletedLaterRule(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / ", Entries: []imagetest.Entry{imagetest.Dir("etc/"), imagetest.File("etc/os-release", "ID=test\n")}},
		{CreatedBy: "/bin/sh -c #(nop)  CMD [\"sh\"]"},
		{CreatedBy: "RUN /bin/sh -c curl -o /tmp/big.tgz x # buildkit", Entries: []imagetest.Entry{imagetest.Dir("tmp/"), imagetest.Blob("tmp/big.tgz", 3*mb, 1), imagetest.Blob("tmp/keep", mb, 2)}},
		{CreatedBy: "RUN /bin/sh -c rm /tmp/big.tgz # buildkit", Entries: []imagetest.Entry{imagetest.Dir("tmp/"), imagetest.Whiteout("tmp/big.tgz")}},
	}, nil)
	r := mustAnalyze(t, img)
	f := findingsOf(r, "SI001")
	if len(f) != 1 || f[0].Layer != 2 || !strings.Contains(f[0].Message, "layer 3 deleted 3.15 MB created by layer 2") {
		t.Fatalf("SI001 findings = %+v", f)
	}
	if f[0].Path != "tmp/big.tgz" || f[0].Bytes != 3*mb {
		t.Fatalf("SI001 = %+v", f[0])
	}
}

func TestCopyUpRule(t *testing.T) {
	content := imagetest.Blob("app/server", 4*mb, 7)
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY server /app/server", Entries: []imagetest.Entry{imagetest.Dir("app/"), content}},
		{CreatedBy: "RUN chmod +x /app/server", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.WithMode(content, 0o755)}},
	}, nil)
	r := mustAnalyze(t, img)
	if got := findingsOf(r, "SI003"); len(got) != 1 || got[0].Layer != 2 {
		t.Fatalf("SI003 = %+v", got)
	}
	if got := findingsOf(r, "SI002"); len(got) != 0 {
		t.Fatalf("a copy-up is not reported as an overwrite: %+v", got)
	}
}

func TestOverwrittenRule(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY a /app/a", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/a", 2*mb, 1)}},
		{CreatedBy: "COPY a /app/a", Entries: []imagetest.Entry{imagetest.Dir("app/"), imagetest.Blob("app/a", 3*mb, 2)}},
	}, nil)
	r := mustAnalyze(t, img)
	if got := findingsOf(r, "SI002"); len(got) != 1 || got[0].Layer != 2 || got[0].Bytes != 2*mb {
		t.Fatalf("SI002 = %+v", got)
	}
}

func TestDuplicatesRule(t *testing.T) {
	a := imagetest.Blob("opt/a/lib.so", 2*mb, 9)
	b := a
	b.Name = "opt/b/lib.so"
	c := a
	c.Name = "opt/c/lib.so"
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "COPY a", Entries: []imagetest.Entry{a}},
		{CreatedBy: "COPY b", Entries: []imagetest.Entry{b, c, imagetest.Blob("opt/other", 2*mb, 10)}},
	}, nil)
	r := mustAnalyze(t, img)
	got := findingsOf(r, "SI004")
	if len(got) != 1 || got[0].Bytes != 4*mb || !strings.Contains(got[0].Message, "3 identical copies") {
		t.Fatalf("SI004 = %+v", got)
	}
	// Without hashing there is no duplicate, and no finding.
	if got := findingsOf(analyzeWith(t, img, image.Options{NoHash: true}), "SI004"); len(got) != 0 {
		t.Fatalf("NoHash: SI004 = %+v", got)
	}
}

func TestDeletedBaseFilesRule(t *testing.T) {
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: []imagetest.Entry{imagetest.Blob("usr/share/doc/big", 4*mb, 1)}},
		{CreatedBy: "RUN a", Entries: []imagetest.Entry{imagetest.Blob("app/a", 2*mb, 2)}},
		{CreatedBy: "RUN b", Entries: []imagetest.Entry{imagetest.Whiteout("app/a"), imagetest.Whiteout("usr/share/doc")}},
	}, nil)
	r := analyzeWith(t, img, image.Options{Base: &image.BaseSpec{Ref: "base:1", Layers: 1, History: 1}})
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
