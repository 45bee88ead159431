package rules_test

import (
	"sort"
	"testing"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/rules"
)

// applyFixes applies the edits of every fix in ds to src, failing the
// test on an edit out of range or overlapping another.
func applyFixes(t *testing.T, src string, ds []rules.Diagnostic) string {
	t.Helper()
	var edits []edit.TextEdit
	for _, d := range ds {
		if d.Fix != nil {
			edits = append(edits, d.Fix.Edits...)
		}
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Pos > edits[j].Pos })
	out := src
	last := len(src) + 1
	for _, e := range edits {
		if e.Pos < 0 || e.End < e.Pos || e.End > len(src) || e.End > last {
			t.Fatalf("bad or overlapping edit %+v in %q", e, src)
		}
		out = out[:e.Pos] + e.NewText + out[e.End:]
		last = e.Pos
	}
	return out
}
