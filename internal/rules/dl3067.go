package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3067 reports copying a whole filesystem from another stage or image.
var DL3067 = &Rule{
	ID:        "DL3067",
	Name:      "copy-entire-filesystem",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeMultiStage,
	Doc: Doc{
		Summary: "Do not copy an entire filesystem from another stage.",
		Why: "COPY --from=stage / / brings everything of the other stage along: compilers, " +
			"package caches and source code, which is what a multi-stage build is meant to " +
			"leave behind. Copy only the artefacts the final image needs.",
		Bad:  "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build / /",
		Good: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app",
	},
	Check: func(p *Pass) error {
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			if in.Cmd != "copy" || len(in.Args) < 2 {
				return
			}
			from, has := in.Flag("from")
			if !has || dockerfile.TrimQuotes(in.Args[len(in.Args)-1]) != "/" {
				return
			}
			for _, src := range in.Args[:len(in.Args)-1] {
				if dockerfile.TrimQuotes(src) == "/" {
					p.Report(outer, "%sCOPY --from=%s / / copies the whole filesystem: copy only what the image needs", triggerPrefix(in, outer), from)
					return
				}
			}
		})
		return nil
	},
}
