package fix

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

func TestDebugLeftovers(t *testing.T) {
	path := os.Getenv("DBG_FILE")
	if path == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(path)
	set, err := lint.SettingsFor(path, lint.Request{Paths: []string{path}, ContextDir: filepath.Dir(path), Ignore: []string{"SD002"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := File(context.Background(), path, src, Options{Unsafe: os.Getenv("DBG_SAFE") == "", Lint: set.Options, Context: set.Context})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		t.Logf("pass %d %s line %d: %s", c.Pass, c.Rule, c.Line, c.Message)
	}
	t.Logf("\n%s", res.Fixed)
	f, _ := dockerfile.Parse(path, res.Fixed)
	lr, _ := rules.Run(context.Background(), f, set.Context.WithFiles(res.Create), set.Options)
	for _, d := range lr.Diagnostics {
		t.Logf("%s:%d %s fix=%v declined=%q uncertain=%v: %s", d.Rule.ID, d.Line, d.Severity, d.Fix != nil, d.Declined, d.Uncertain, d.Message)
	}
}
