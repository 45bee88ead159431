package rules

import (
	"os"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestScratchStack(t *testing.T) {
	if os.Getenv("CRASH") == "" {
		t.Skip()
	}
	f, _ := dockerfile.Parse("x", []byte(os.Getenv("CRASH")))
	r := Lookup(All(), os.Getenv("RULE"))
	p := &Pass{Rule: r, File: f, Context: &BuildContext{}, Settings: &Settings{}, facts: newFacts(f), report: func(Diagnostic) {}}
	r.Check(p)
}
