package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3000 reports relative WORKDIR paths.
var DL3000 = &Rule{
	ID:       "DL3000",
	Twins:    []string{"WorkdirRelativePath"},
	Name:     "absolute-workdir",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use absolute WORKDIR.",
		Why: "A relative WORKDIR is resolved against whatever working directory is in force, " +
			"which may come from the base image and change when it is updated. An absolute " +
			"path says where files go regardless of the base. Paths starting with a variable " +
			"are accepted. Every relative WORKDIR is reported, as in hadolint; BuildKit's " +
			"WorkdirRelativePath, its twin, judges the first WORKDIR of a stage, after expansion.",
		Bad:  "FROM node:22-slim\nWORKDIR app",
		Good: "FROM node:22-slim\nWORKDIR /app",
	},
	Check: func(p *Pass) error {
		start, _ := stageWorkdirs(p.File)
		for _, st := range p.File.Stages {
			ws := start[st]
			for _, in := range st.Instructions {
				t := in
				if in.Trigger != nil {
					t = in.Trigger
				}
				if t.Cmd != "workdir" {
					continue
				}
				if rel := workdirArg(t); rel != "" && !isAbsPath(rel) {
					var fix *edit.Fix
					if t == in {
						fix = workdirFix(p, in, rel, ws)
					}
					p.ReportFix(in, fix, "%sWORKDIR %s is relative: use an absolute path", triggerPrefix(t, in), rel)
				}
				if t == in {
					ws = applyWorkdir(ws, in)
				}
			}
		}
		return nil
	},
}

// workdirFix makes a relative WORKDIR absolute: against the working
// directory in force when it is known, otherwise against / (unsafe unless
// the stage chain starts from scratch or a distribution image, as the
// base image may set another directory).
func workdirFix(p *Pass, in *dockerfile.Instruction, rel string, ws workdirState) *edit.Fix {
	if len(in.Args) != 1 || strings.Contains(rel, `\`) || strings.HasPrefix(rel, "~") {
		return nil
	}
	raw := in.Args[0]
	pos, end, ok := wordSpan(p.File, in, in, raw, false)
	if !ok {
		return nil
	}
	base, unsafe := ws.dir, false
	if !ws.known {
		if ws.set {
			return nil // an earlier WORKDIR this file cannot resolve
		}
		// "/" unless the base image sets a directory of its own, which
		// scratch and distribution images do not.
		base, unsafe = "/", in.Stage == nil || !plainBase(rootStage(in.Stage).Base)
	}
	if strings.HasPrefix(base, "$") && strings.Contains(rel, "..") {
		return nil // cannot go above a directory whose value is unknown
	}
	abs := path.Join(base, rel)
	q := ""
	if len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0] {
		q = raw[:1]
	}
	msg := "make the WORKDIR absolute: " + abs
	if unsafe {
		msg += " (the base image's working directory is not known; check it is /)"
	}
	return &edit.Fix{Message: msg, Unsafe: unsafe, Edits: []edit.TextEdit{{Pos: pos, End: end, NewText: q + abs + q}}}
}
