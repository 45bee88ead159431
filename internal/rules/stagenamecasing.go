package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// StageNameCasing reports stage names that are not lower case.
var StageNameCasing = &Rule{
	ID:       "StageNameCasing",
	Name:     "stage-name-casing",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "Stage names should be lower case.",
		Why: "BuildKit stores stage names in lower case. COPY --from and --target find a stage " +
			"whatever the case, but a FROM that names an earlier stage must spell it in lower " +
			"case, or BuildKit looks for an image of that name instead. Writing names in lower " +
			"case everywhere avoids the surprise.",
		Bad:  "FROM golang:1.23 AS Builder\nFROM alpine:3.20\nCOPY --from=Builder /out/app /app",
		Good: "FROM golang:1.23 AS builder\nFROM alpine:3.20\nCOPY --from=builder /out/app /app",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			in := st.From
			if len(in.Args) != 3 || !strings.EqualFold(in.Args[1], "as") {
				continue
			}
			name := in.Args[2]
			if name == strings.ToLower(name) {
				continue
			}
			p.ReportFix(in, bkStageNameFix(p.File, st, name), "Stage name '%s' should be lowercase", name)
		}
		return nil
	},
}

// bkStageNameFix lower-cases a stage name and every reference to it in the
// later stages, or returns nil when some reference cannot be edited
// exactly (a reference through an ARG, a quoted mount option, a second
// stage of the same name).
func bkStageNameFix(f *dockerfile.File, st *dockerfile.Stage, name string) *edit.Fix {
	lower := strings.ToLower(name)
	ws := bkFromWords(f, st.From)
	if len(ws) != 3 || ws[2].Text != name {
		return nil
	}
	edits := []edit.TextEdit{bkReplaceEdit(ws[2], lower)}
	for _, o := range f.Stages {
		if o != st && strings.EqualFold(o.Name, name) {
			return nil
		}
	}
	g := bkGlobalScope(f)
	needsEdit := func(v string) bool { return strings.EqualFold(v, name) && v != lower }
	for _, o := range f.Stages[st.Index+1:] {
		if strings.Contains(o.BaseRaw, "$") {
			if res, err := g.expand(o.BaseRaw); err != nil || strings.EqualFold(res.Result, name) {
				return nil
			}
		} else if needsEdit(o.BaseRaw) {
			fws := bkFromWords(f, o.From)
			if len(fws) == 0 || fws[0].Text != o.BaseRaw {
				return nil
			}
			edits = append(edits, bkReplaceEdit(fws[0], lower))
		}
		for _, in := range o.Instructions {
			if in.Trigger != nil {
				continue // ONBUILD names stages of the Dockerfile that uses the image
			}
			want := 0
			switch in.Cmd {
			case "copy", "add":
				for _, v := range in.FlagValues("from") {
					if needsEdit(v) {
						want++
					}
				}
			case "run":
				for _, m := range in.Mounts() {
					if needsEdit(m.From) {
						want++
					}
				}
			}
			if want == 0 {
				continue
			}
			found := bkRefEdits(f, in, needsEdit, lower)
			if len(found) != want {
				return nil
			}
			edits = append(edits, found...)
		}
	}
	return &edit.Fix{Message: "lower-case stage name " + name + " and its references", Edits: edits}
}

// bkRefEdits finds the stage references among an instruction's flags
// (--from=NAME on COPY/ADD, from=NAME inside RUN --mount) and returns
// edits that lower-case them.
func bkRefEdits(f *dockerfile.File, in *dockerfile.Instruction, match func(string) bool, lower string) []edit.TextEdit {
	var out []edit.TextEdit
	ws := bkSourceWords(f, in)
	if len(ws) > 0 {
		ws = ws[1:]
	}
	for _, w := range ws {
		if !strings.HasPrefix(w.Text, "--") {
			break
		}
		k, v, _ := strings.Cut(w.Text[2:], "=")
		switch {
		case strings.EqualFold(k, "from") && (in.Cmd == "copy" || in.Cmd == "add"):
			if match(v) {
				out = append(out, edit.TextEdit{Pos: w.End - len(v), End: w.End, NewText: lower})
			}
		case strings.EqualFold(k, "mount") && in.Cmd == "run":
			if strings.ContainsAny(v, `"'`) {
				return nil
			}
			off := w.Pos + len(w.Text) - len(v)
			for _, field := range strings.Split(v, ",") {
				fk, fv, ok := strings.Cut(field, "=")
				if ok && strings.EqualFold(strings.TrimSpace(fk), "from") && match(fv) {
					pos := off + len(fk) + 1
					out = append(out, edit.TextEdit{Pos: pos, End: pos + len(fv), NewText: lower})
				}
				off += len(field) + 1
			}
		}
	}
	return out
}
