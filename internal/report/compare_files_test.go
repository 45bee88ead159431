package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/measure"
)

func TestCompareShowsTheFileDiff(t *testing.T) {
	c := sampleComparison()
	c.Files = &measure.FileDiff{Added: 1, Removed: 2, Bytes: -52_000_000, Summary: "B is 52.0 MB smaller: /usr/lib −50.0 MB; 1 added, 2 removed, 0 changed",
		Dirs: []measure.DirChange{{Path: "/usr/lib", Bytes: -50_000_000}}}
	var text, page, js bytes.Buffer
	if err := CompareText(&text, c, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Files (strata diff A B)\n  B is 52.0 MB smaller: /usr/lib −50.0 MB; 1 added, 2 removed, 0 changed\n") {
		t.Errorf("the text lacks the file diff:\n%s", text.String())
	}
	if err := CompareHTML(&page, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `<div class="card" id="files">B is 52.0 MB smaller: /usr/lib −50.0 MB; 1 added, 2 removed, 0 changed`) {
		t.Error("the page lacks the file diff")
	}
	if err := CompareJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files *measure.FileDiff `json:"files"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Files == nil || doc.Files.Bytes != -52_000_000 || len(doc.Files.Dirs) != 1 {
		t.Errorf("JSON files: %v %+v", err, doc.Files)
	}
}
