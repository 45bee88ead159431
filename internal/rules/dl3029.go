package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3029 reports FROM --platform with a fixed platform.
var DL3029 = &Rule{
	ID:       "DL3029",
	Name:     "from-platform-flag",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not use --platform flag with FROM.",
		Why: "A platform written into FROM pins the stage to one architecture: the image no " +
			"longer follows `docker build --platform` and multi-platform builds produce images " +
			"for the wrong architecture or run under emulation. The cross-compilation pattern " +
			"`--platform=$BUILDPLATFORM` and values made of the other automatic platform " +
			"arguments ($TARGETPLATFORM, $TARGETOS/$TARGETARCH...) are fine and not reported; " +
			"an ARG is judged by its value.",
		Bad:  "FROM --platform=linux/amd64 debian:bookworm-slim",
		Good: "FROM debian:bookworm-slim\n# or, for a cross-compiling build stage:\nFROM --platform=$BUILDPLATFORM golang:1.23 AS build",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			v, ok := st.From.Flag("platform")
			if !ok || dockerfile.TrimQuotes(v) == "" || refersToPlatformArg(v) {
				continue
			}
			if dockerfile.HasVariable(v) {
				// Judge the value of the ARG; an undefined one is
				// UndefinedArgInFrom's business.
				if exp, ok := expandGlobal(p.File, dockerfile.TrimQuotes(v)); !ok || exp == "" || refersToPlatformArg(exp) {
					continue
				}
			}
			p.Report(st.From, "FROM --platform=%s pins the stage to one platform", v)
		}
		return nil
	},
}

// platformArgRE matches a use of the automatic platform build arguments
// ($BUILDPLATFORM, ${TARGETOS}, $TARGETARCH...).
var platformArgRE = lazyre.New(`\$\{?(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)\b`)

// refersToPlatformArg reports whether a --platform value follows the
// build or target platform through the automatic build arguments.
func refersToPlatformArg(v string) bool { return platformArgRE.MatchString(v) }
