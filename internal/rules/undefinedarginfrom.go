package rules

import (
	"sort"

	"github.com/moby/buildkit/util/suggest"
	"github.com/stratatools/strata/internal/vocab"
)

// UndefinedArgInFrom reports variables in FROM that no global ARG declares.
var UndefinedArgInFrom = &Rule{
	ID:       "UndefinedArgInFrom",
	Name:     "undefined-arg-in-from",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "FROM should only use build arguments declared with ARG before the first FROM.",
		Why: "FROM sees only the global scope: ARGs declared before the first FROM and the " +
			"predefined platform arguments (TARGETPLATFORM, BUILDPLATFORM, TARGETARCH, ...). " +
			"Any other name expands to an empty string, which usually gives a different image " +
			"than intended, and often comes from a typo such as $BUILDPLATFROM.",
		Bad:  "FROM node:22${VARIANT} AS build",
		Good: "ARG VARIANT=-alpine3.20\nFROM node:22${VARIANT} AS build",
	},
	Check: func(p *Pass) error {
		g := bkGlobalScope(p.File)
		options := g.declaredNames()
		for _, st := range p.File.Stages {
			words := []string{st.BaseRaw}
			if st.Platform != "" {
				words = append(words, st.Platform)
			}
			for _, w := range words {
				res, _ := g.expand(w)
				var names []string
				for n := range res.Unmatched {
					if !g.declared[n] {
						names = append(names, n)
					}
				}
				sort.Strings(names)
				for _, n := range names {
					msg := "FROM argument '" + n + "' is not declared"
					if s, _ := suggest.Search(n, options, true); s != "" {
						msg += " (did you mean " + s + "?)"
					}
					p.Report(st.From, "%s", msg)
				}
			}
		}
		return nil
	},
}
