package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// FuzzLint drives the parser and every rule (default-off ones included)
// with arbitrary input: no input may make a rule panic, hang or report a
// position outside the file.
func FuzzLint(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/lint/*.Dockerfile")
	dirs, _ := filepath.Glob("testdata/lint/*/Dockerfile")
	for _, p := range append(seeds, dirs...) {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	var enable []string
	for _, r := range rules.All() {
		enable = append(enable, r.ID)
	}
	opts := rules.Options{
		Enable: enable,
		Settings: rules.Settings{
			TrustedRegistries: []string{"docker.io"},
			RequiredLabels:    map[string]string{"maintainer": "email", "version": "semver", "url": "url"},
			StrictLabels:      true,
		},
	}
	bc := &rules.BuildContext{}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := dockerfile.Parse("fuzz", src)
		if err != nil {
			return
		}
		res, err := rules.Run(context.Background(), file, bc, opts)
		if err != nil {
			t.Fatalf("lint: %v", err)
		}
		for _, d := range res.Diagnostics {
			if d.Line < 1 || d.Line > len(file.Lines)+1 || d.EndLine < d.Line {
				t.Fatalf("%s reported at lines %d-%d of a %d-line file", d.Rule.ID, d.Line, d.EndLine, len(file.Lines))
			}
			if d.Fix != nil {
				for _, e := range d.Fix.Edits {
					if e.Pos < 0 || e.End < e.Pos || e.End > len(file.Source) {
						t.Fatalf("%s fix edit [%d,%d) outside the %d-byte source", d.Rule.ID, e.Pos, e.End, len(file.Source))
					}
				}
			}
		}
	})
}
