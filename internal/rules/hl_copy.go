package rules

import (
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules about COPY: destinations and --from references.

// DL3021 reports COPY or ADD of several sources to a destination that is
// not a directory.
var DL3021 = &Rule{
	ID:       "DL3021",
	Name:     "copy-multiple-sources-dest-slash",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY with more than 2 arguments requires the last argument to end with /.",
		Why: "Several sources can only go into a directory, and BuildKit only treats the " +
			"destination as one when it ends with a slash: otherwise the build fails. The same " +
			"holds for ADD.",
		Bad:  "COPY package.json package-lock.json /app",
		Good: "COPY package.json package-lock.json /app/",
	},
	Check: func(p *Pass) error {
		eachInstruction(p.File, func(in, outer *dockerfile.Instruction) {
			if in.Cmd != "copy" && in.Cmd != "add" || len(in.Args) < 3 {
				return
			}
			raw := in.Args[len(in.Args)-1]
			dest := dockerfile.TrimQuotes(raw)
			if strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, `\`) || dockerfile.HasVariable(dest) {
				return
			}
			var fix *edit.Fix
			// The slash goes before a closing quote; a quote that does
			// not close one ("0) leaves no place to put it.
			plain := !strings.ContainsAny(raw, `"'`)
			closes := false
			if n := len(raw); !in.JSON && n >= 2 && (raw[n-1] == '"' || raw[n-1] == '\'') {
				q := raw[n-1:]
				closes = strings.Count(strings.Join(in.Args, " "), q)%2 == 0 && strings.Count(raw, q) <= 2 && !strings.ContainsAny(strings.ReplaceAll(raw, q, ""), `"'`)
			}
			if _, end, ok := wordSpan(p.File, in, outer, raw, true); ok && (in.JSON || plain || closes) {
				at := end
				if closes {
					at-- // before the closing quote
				}
				fix = &edit.Fix{Message: "end the destination with / so that it is a directory",
					Edits: []edit.TextEdit{{Pos: at, End: at, NewText: "/"}}}
			}
			p.ReportFix(outer, fix, "%s%s with %d sources: the destination %s must end with /",
				triggerPrefix(in, outer), in.Keyword, len(in.Args)-1, raw)
		})
		return nil
	},
}

// copyFromRef returns the --from value of a COPY in a stage, with quotes
// removed and global build arguments expanded; ok is false when the
// instruction has none or it cannot be resolved.
func copyFromRef(f *dockerfile.File, in *dockerfile.Instruction) (string, bool) {
	if in.Cmd != "copy" {
		return "", false
	}
	v, has := in.Flag("from")
	if !has {
		return "", false
	}
	v = dockerfile.TrimQuotes(v)
	if dockerfile.HasVariable(v) {
		var ok bool
		if v, ok = expandGlobal(f, v); !ok {
			return "", false
		}
	}
	return v, v != ""
}

// DL3022 reports COPY --from naming no earlier stage.
var DL3022 = &Rule{
	ID:       "DL3022",
	Name:     "copy-from-unknown-stage",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY --from should reference a previously defined FROM alias.",
		Why: "A --from value that is neither an earlier stage's name or index nor an image " +
			"reference is most likely a typo or a stage defined further down: BuildKit then " +
			"tries to pull an image of that name. Image references (with a tag, digest or " +
			"registry path, such as nginx:1.27) are accepted. ONBUILD COPY --from is not checked: " +
			"it refers to stages of the downstream build.",
		Bad:  "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=buidl /out/app /app",
		Good: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /app",
	},
	Check: func(p *Pass) error {
		f := p.File
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				ref, ok := copyFromRef(f, in)
				if !ok || isOwnStage(st, ref) {
					continue
				}
				if n, err := strconv.Atoi(ref); err == nil {
					if n < 0 || n >= st.Index {
						p.Report(in, "COPY --from=%s: there is no stage %d before this one", ref, n)
					}
					continue
				}
				if f.StageByRef(ref, st.Index) != nil || strings.ContainsAny(ref, ":/@") {
					continue
				}
				if later := f.StageByRef(ref, len(f.Stages)); later != nil {
					p.Report(in, "COPY --from=%s refers to a stage defined later (line %d): stages can only copy from earlier ones", ref, later.From.StartLine)
					continue
				}
				p.Report(in, "COPY --from=%s names no earlier stage: a typo, or an image that should carry a tag", ref)
			}
		}
		return nil
	},
}

// isOwnStage reports whether ref names st itself, by name or index.
func isOwnStage(st *dockerfile.Stage, ref string) bool {
	if st.Name != "" && strings.EqualFold(st.Name, ref) {
		return true
	}
	n, err := strconv.Atoi(ref)
	return err == nil && n == st.Index
}

// DL3023 reports COPY --from referring to the stage it is in.
var DL3023 = &Rule{
	ID:       "DL3023",
	Name:     "copy-from-own-stage",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY --from cannot reference its own FROM alias.",
		Why: "A stage cannot read from itself: the stage is not finished when the COPY runs, " +
			"and BuildKit reports a dependency cycle.",
		Bad:  "FROM golang:1.23 AS build\nCOPY --from=build /src /src",
		Good: "FROM golang:1.23 AS build\nCOPY src/ /src/",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			for _, in := range st.Instructions {
				if ref, ok := copyFromRef(p.File, in); ok && isOwnStage(st, ref) {
					p.Report(in, "COPY --from=%s refers to the stage it is in", ref)
				}
			}
		}
		return nil
	},
}

// DL3067 reports copying a whole filesystem from another stage or image.
var DL3067 = &Rule{
	ID:        "DL3067",
	Name:      "copy-entire-filesystem",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeMultiStage,
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
