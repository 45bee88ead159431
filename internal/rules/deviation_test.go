package rules_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/rules"
)

// TestDeviationsListed keeps the README's list of deviations from hadolint
// and the rules' Doc.Deviation in step: every rule that deviates is listed,
// and every rule listed deviates.
func TestDeviationsListed(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n### hadolint compatibility\n")
	if !ok {
		t.Fatal("README.md has no section \"### hadolint compatibility\"")
	}
	if i := strings.Index(sec, "\n#"); i >= 0 {
		sec = sec[:i]
	}
	listed := regexp.MustCompile(`\*\*(DL\d{4})\*\*`).FindAllStringSubmatch(sec, -1)
	var ids []string
	for _, m := range listed {
		ids = append(ids, m[1])
	}
	for _, r := range rules.All() {
		dev := r.Doc.Deviation != ""
		if dev && !slices.Contains(ids, r.ID) {
			t.Errorf("%s deviates from hadolint (Doc.Deviation) but the README does not list it", r.ID)
		}
		if !dev && slices.Contains(ids, r.ID) {
			t.Errorf("the README lists %s as a deviation but its Doc has no Deviation", r.ID)
		}
	}
}
