package report

import (
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/report/reporttest"
)

// TestSARIFSchema validates strata's SARIF against the SARIF 2.1.0 schema
// (see reporttest.SARIFSchemas for where it comes from).
func TestSARIFSchema(t *testing.T) {
	reporttest.SARIFSchemas(t, validateSARIFOutputs)
}

// validateSARIFOutputs validates strata's SARIF for several reports, and
// checks that the schema does reject a broken log.
func validateSARIFOutputs(t *testing.T, validate func([]byte) error) {
	t.Helper()
	reports := map[string]*Report{
		"sample": sampleReport(),
		"empty":  {},
		"nil":    nil,
		"odd":    oddReport(),
	}
	for name, r := range reports {
		if err := validate(render(t, "sarif", r, Options{})); err != nil {
			t.Errorf("%s: SARIF output does not conform to the schema:\n%v", name, err)
		}
	}

	// A region with startLine 0 must be refused: the schema is really
	// applied.
	bad := strings.Replace(string(render(t, "sarif", sampleReport(), Options{})), `"startLine": 2,`, `"startLine": 0,`, 1)
	if validate([]byte(bad)) == nil {
		t.Error("the schema accepted startLine 0")
	}
}
