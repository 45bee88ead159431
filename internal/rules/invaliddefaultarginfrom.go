package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// InvalidDefaultArgInFrom reports a FROM whose image reference is invalid
// when the global ARGs keep their default values.
var InvalidDefaultArgInFrom = &Rule{
	ID:       "InvalidDefaultArgInFrom",
	Name:     "invalid-default-arg-in-from",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "The default values of the global ARGs should give FROM a valid image reference.",
		Why: "A build without --build-arg should work. When an ARG used in FROM has no default " +
			"(or a default that makes an invalid name), `docker build .` fails with an invalid " +
			"reference error, and every user has to know which --build-arg to pass.",
		Bad:  "ARG TAG\nFROM busybox:${TAG}",
		Good: "ARG TAG=1.37\nFROM busybox:${TAG}",
	},
	Check: func(p *Pass) error {
		g := bkGlobalsOf(p)
		if !g.ok {
			return nil // BuildKit gives up on this check when a default fails to expand
		}
		for _, st := range p.File.Stages {
			res, err := g.expand(st.BaseRaw)
			if err != nil {
				return nil
			}
			if dockerfile.CheckImageName(res.Result) == nil {
				continue
			}
			if strings.Contains(st.BaseRaw, "$") {
				p.Report(st.From, "Default value for ARG %v results in empty or invalid base image name (%q)", st.BaseRaw, res.Result)
			} else {
				p.Report(st.From, "Base image name %q is not a valid image reference", st.BaseRaw)
			}
		}
		return nil
	},
}
