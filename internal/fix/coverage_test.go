package fix

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// TestGoldenCoversEveryFix wants every rule that proposes a fix anywhere
// in the rule tests' Dockerfiles (internal/rules/testdata/lint) to have
// that fix applied in at least one golden file here, so that no fix goes
// without a before/after file a reader can review.
func TestGoldenCoversEveryFix(t *testing.T) {
	ctx := context.Background()
	var enable []string
	for _, r := range rules.All() {
		if r.DefaultOff {
			enable = append(enable, r.ID)
		}
	}
	lintOpts := rules.Options{Enable: enable}

	offered := map[string]string{} // rule ID -> a test file proposing its fix
	inputs, err := filepath.Glob("../rules/testdata/lint/*.Dockerfile")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no rule test files: %v", err)
	}
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(in, src)
		if err != nil {
			continue // the parse-error cases
		}
		bc, err := rules.LoadBuildContext(t.TempDir(), "")
		if err != nil {
			t.Fatal(err)
		}
		res, err := rules.Run(ctx, f, bc, lintOpts)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		for _, d := range res.Diagnostics {
			if d.Fix != nil && (len(d.Fix.Edits) > 0 || len(d.Fix.Create) > 0) {
				if _, ok := offered[d.Rule.ID]; !ok {
					offered[d.Rule.ID] = filepath.Base(in)
				}
			}
		}
	}
	if len(offered) < 10 {
		t.Fatalf("only %d rules offered a fix in the rule tests; the scan is broken", len(offered))
	}

	applied := map[string]bool{}
	goldens, err := filepath.Glob("testdata/fix/*.Dockerfile")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range goldens {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, unsafe := range []bool{false, true} {
			bc, err := rules.LoadBuildContext(t.TempDir(), "")
			if err != nil {
				t.Fatal(err)
			}
			res, err := File(ctx, in, src, Options{Unsafe: unsafe, Context: bc})
			if err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			for _, c := range res.Changes {
				applied[c.Rule] = true
			}
		}
	}

	var missing []string
	for id, where := range offered {
		if !applied[id] {
			missing = append(missing, id+" (offered in "+where+")")
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d of %d fixes have no golden file in testdata/fix applying them; add a case:\n  %s",
			len(missing), len(offered), strings.Join(missing, "\n  "))
	}
	ids := make([]string, 0, len(offered))
	for id := range offered {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	t.Logf("%d rules offer fixes: %s", len(offered), strings.Join(ids, " "))
}
