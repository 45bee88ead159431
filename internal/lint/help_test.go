package lint_test

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

// TestHelpMarkdownDeviation checks that a rule's deviation from hadolint
// reaches the help SARIF carries, and that rules without one show none.
func TestHelpMarkdownDeviation(t *testing.T) {
	got := lint.HelpMarkdown(rules.DL3040)
	if !strings.Contains(got, "Deviation from hadolint:") || !strings.Contains(got, rules.DL3040.Doc.Deviation) {
		t.Errorf("DL3040 help lacks its deviation:\n%s", got)
	}
	if got := lint.HelpMarkdown(rules.DL3008); strings.Contains(got, "Deviation") {
		t.Errorf("DL3008 help shows a deviation it does not have:\n%s", got)
	}
}
