package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/image/imagetest"
	"github.com/stratatools/strata/internal/image/source/archive"
)

// TestImageListsCapped reads an image with 25 copies of one file and 30
// files a later layer deletes, with --top 5: every list of the text
// report shows at most 5 items and says how many more there are, a
// duplicate group keeps 5 paths (the first ones and the newest) with the
// count of all, and no line grows with the number of copies (a million
// copies once printed a 14.8 MB line).
func TestImageListsCapped(t *testing.T) {
	var lower, dups, upper []imagetest.Entry
	lower = append(lower, imagetest.Dir("a/"))
	for i := 0; i < 30; i++ {
		lower = append(lower, imagetest.Blob(fmt.Sprintf("a/f%02d", i), 4096+i, byte(i)))
		upper = append(upper, imagetest.Whiteout(fmt.Sprintf("a/f%02d", i)))
	}
	dups = append(dups, imagetest.Dir("dup/"))
	for i := 0; i < 25; i++ {
		dups = append(dups, imagetest.Blob(fmt.Sprintf("dup/c%02d", i), 100_000, 99))
	}
	img := imagetest.Image(t, []imagetest.Step{
		{CreatedBy: "ADD rootfs", Entries: lower},
		{CreatedBy: "COPY dup /dup", Entries: dups},
		{CreatedBy: "RUN rm -r /a/*", Entries: upper},
	}, nil)
	p := imagetest.WriteTemp(t, "img.tar", imagetest.DockerSaveOld(t, img, "app:1"))
	r, err := image.Analyze(context.Background(), archive.New(p, archive.Options{}), image.Options{Checks: check.All(), Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Waste.Duplicates) != 1 {
		t.Fatalf("duplicate groups: %+v", r.Waste.Duplicates)
	}
	g := r.Waste.Duplicates[0]
	if g.Count != 25 || len(g.Paths) != 5 || len(g.Layers) != 5 || g.Paths[0] != "dup/c00" || g.Paths[4] != "dup/c24" || g.Wasted != 24*100_000 {
		t.Fatalf("duplicate group: count %d, paths %q, layers %v, wasted %d", g.Count, g.Paths, g.Layers, g.Wasted)
	}
	gr := gate.Result{Pass: true, Checks: []gate.Check{}}
	var b bytes.Buffer
	if err := ImageText(&b, r, &gr, ImageTextOptions{}); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"25 copies of 100 kB: /dup/c00, /dup/c01, /dup/c02, /dup/c03, /dup/c24 and 20 more",
		"    and 25 more\n", // the largest hidden paths, 5 of 30
		"25 identical copies of 100 kB: /dup/c00 (layer 2), /dup/c01 (layer 2), /dup/c02 (layer 2), /dup/c03 (layer 2), and 21 more",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > 300 {
			t.Errorf("line of %d bytes: %s", len(line), line)
		}
	}
	var j bytes.Buffer
	if err := ImageJSON(&j, r, &gr, check.All()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Top   int `json:"top"`
		Waste struct {
			Duplicates []struct {
				Count int      `json:"count"`
				Paths []string `json:"paths"`
			} `json:"duplicates"`
		} `json:"waste"`
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Top != 5 || doc.Waste.Duplicates[0].Count != 25 || len(doc.Waste.Duplicates[0].Paths) != 5 {
		t.Errorf("JSON: top %d, duplicates %+v", doc.Top, doc.Waste.Duplicates)
	}
}
