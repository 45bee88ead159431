package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// FromPlatformFlagConstDisallowed reports FROM --platform with a constant
// value in a stage whose name does not say it is platform-specific.
var FromPlatformFlagConstDisallowed = &Rule{
	ID:       "FromPlatformFlagConstDisallowed",
	Name:     "from-platform-flag-const-disallowed",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "FROM --platform should not be a constant.",
		Why: "A constant platform pins the stage to one architecture: the Dockerfile can no " +
			"longer build a multi-platform image, and on another machine it builds (slowly, " +
			"emulated) for the wrong one. Leave the platform to the build command, use " +
			"$BUILDPLATFORM for build tools, or name the stage after the platform (build_arm64) " +
			"when it really is platform-specific; then the check stays quiet.",
		Bad:  "FROM --platform=linux/amd64 alpine:3.20 AS base",
		Good: "FROM --platform=$BUILDPLATFORM alpine:3.20 AS base",
	},
	Check: func(p *Pass) error {
		g := bkGlobalsOf(p)
		for _, st := range p.File.Stages {
			if st.Platform == "" {
				continue
			}
			res, _ := g.expand(st.Platform)
			if len(res.Matched) > 0 || len(res.Unmatched) > 0 {
				continue
			}
			pl, ok := bkParsePlatform(res.Result)
			if !ok {
				continue
			}
			name := strings.ToLower(st.Name)
			if strings.Contains(name, pl.OS) || pl.Arch != "" && strings.Contains(name, pl.Arch) {
				continue
			}
			p.Report(st.From, "FROM --platform flag should not use constant value %q", res.Result)
		}
		return nil
	},
}
