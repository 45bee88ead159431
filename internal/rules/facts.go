package rules

import "github.com/stratatools/strata/internal/dockerfile"

// facts are values computed once per file and shared by every rule's
// pass, such as parsed RUN scripts.
type facts struct {
	file *dockerfile.File
}

func newFacts(f *dockerfile.File) *facts { return &facts{file: f} }
