package rules

import (
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/stratatools/strata/internal/vocab"
)

// CopyIgnoredFile reports COPY and ADD sources that .dockerignore leaves
// out of the build context.
var CopyIgnoredFile = &Rule{
	ID:       "CopyIgnoredFile",
	Name:     "copy-ignored-file",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY and ADD should not name files that .dockerignore excludes.",
		Why: "Excluded files are never sent to the builder, so the COPY fails with \"not " +
			"found\" (or, with a wildcard, copies less than intended). Either the ignore " +
			"pattern is too broad or the COPY is stale. Like BuildKit, strata skips the check " +
			"when .dockerignore has exception (!) patterns, which make the outcome depend on " +
			"files inside excluded directories; it runs only when the build context is known.",
		Bad:  "# .dockerignore: *.md\nCOPY README.md /app/",
		Good: "# .dockerignore: *.md\n#                 !README.md\nCOPY README.md /app/",
	},
	Check: func(p *Pass) error {
		bc := p.Context
		if !bc.Known() || !bc.HasIgnoreFile() {
			return nil
		}
		rootIgnored := false
		for _, pat := range bc.IgnorePatterns() {
			if strings.HasPrefix(pat, "!") {
				return nil
			}
			switch filepath.ToSlash(filepath.Clean(pat)) {
			case "*", "**", "**/*":
				rootIgnored = true
			}
		}
		bkEachScope(p, func(step bkStep, sc *bkScope) {
			var srcs []string
			verb := "Copy"
			switch c := step.in.Typed.(type) {
			case *instructions.CopyCommand:
				if c.From != "" {
					return
				}
				srcs = c.SourcePaths
			case *instructions.AddCommand:
				verb = "Add"
				srcs = c.SourcePaths
			default:
				return
			}
			for _, raw := range srcs {
				src, un, certain := sc.word(sc.lex, raw)
				if !certain || len(un) > 0 && !sc.envKnown {
					continue
				}
				if bkIsRemoteSource(src) {
					continue
				}
				src = filepath.ToSlash(filepath.Clean(src))
				if (src == "." || src == "/") && !rootIgnored {
					continue
				}
				if bc.Excluded(src) {
					p.Report(step.at, "Attempting to %s file %q that is excluded by .dockerignore", verb, src)
				}
			}
		})
		return nil
	},
}

// bkIsRemoteSource reports whether an ADD source is a URL or a Git
// repository rather than a path in the build context.
func bkIsRemoteSource(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "git@")
}
