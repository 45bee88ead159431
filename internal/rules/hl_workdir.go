package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules about the working directory: WORKDIR paths and relative COPY
// destinations.

// workdirState is what is known about the working directory at a point of
// a stage.
type workdirState struct {
	dir string
	// known is true when dir is the working directory for certain: set
	// by a WORKDIR of this file, or "/" under scratch.
	known bool
	// set is true when some WORKDIR of this file (in the stage or the
	// stages it is built FROM) has run.
	set bool
}

// stageWorkdirs returns the working directory state at the start and at
// the end of every stage, following the stage chain: a stage built FROM
// an earlier one starts where that one ended (plus the WORKDIR triggers
// of its ONBUILDs, which BuildKit runs when the stage is used as a base);
// scratch starts at /; other images at an unknown directory.
func stageWorkdirs(f *dockerfile.File) (start, end map[*dockerfile.Stage]workdirState) {
	start, end = map[*dockerfile.Stage]workdirState{}, map[*dockerfile.Stage]workdirState{}
	for _, st := range f.Stages {
		var ws workdirState
		switch {
		case st.BaseStage != nil:
			ws = end[st.BaseStage]
			for _, in := range st.BaseStage.Instructions {
				if in.Trigger != nil && in.Trigger.Cmd == "workdir" {
					ws = applyWorkdir(ws, in.Trigger)
				}
			}
		case st.Base.Scratch:
			ws = workdirState{dir: "/", known: true}
		}
		start[st] = ws
		for _, in := range st.Instructions {
			if in.Cmd == "workdir" {
				ws = applyWorkdir(ws, in)
			}
		}
		end[st] = ws
	}
	return start, end
}

func applyWorkdir(ws workdirState, in *dockerfile.Instruction) workdirState {
	p := workdirArg(in)
	ws.set = true
	switch {
	case p == "" || strings.Contains(p, `\`) || isWindowsAbs(p):
		ws.known = false
	case isAbsPath(p):
		ws.dir, ws.known = cleanDir(p), true
	case ws.known:
		ws.dir = cleanDir(path.Join(ws.dir, p))
	}
	return ws
}

func cleanDir(p string) string {
	if strings.HasPrefix(p, "$") {
		return p
	}
	return path.Clean(p)
}

// workdirArg returns a WORKDIR's path without quotes.
func workdirArg(in *dockerfile.Instruction) string {
	return dockerfile.TrimQuotes(strings.Join(in.Args, " "))
}

// DL3000 reports relative WORKDIR paths.
var DL3000 = &Rule{
	ID:       "DL3000",
	Aliases:  []string{"WorkdirRelativePath"},
	Name:     "absolute-workdir",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use absolute WORKDIR.",
		Why: "A relative WORKDIR is resolved against whatever working directory is in force, " +
			"which may come from the base image and change when it is updated. An absolute " +
			"path says where files go regardless of the base. Paths starting with a variable " +
			"are accepted.",
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

// DL3045 reports COPY to a relative destination before any WORKDIR.
var DL3045 = &Rule{
	ID:       "DL3045",
	Name:     "copy-relative-without-workdir",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "COPY to a relative destination without WORKDIR set.",
		Why: "A relative destination is resolved against the working directory, which without a " +
			"WORKDIR in this file is whatever the base image chose (often /) and may change with " +
			"it. Set WORKDIR first, or copy to an absolute path. A WORKDIR in a stage this one is " +
			"built FROM counts; for ONBUILD COPY, any WORKDIR of the image or an earlier ONBUILD " +
			"WORKDIR counts.",
		Bad:  "FROM python:3.12-slim\nCOPY app.py .",
		Good: "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .",
	},
	Check: func(p *Pass) error {
		start, end := stageWorkdirs(p.File)
		for _, st := range p.File.Stages {
			onbuildWorkdir := false
			set := start[st].set
			imageWorkdir := end[st].set
			for _, in := range st.Instructions {
				t := in
				if in.Trigger != nil {
					t = in.Trigger
					if t.Cmd == "workdir" {
						onbuildWorkdir = true
					}
				}
				if in.Cmd == "workdir" {
					set = true
				}
				if t.Cmd != "copy" || len(t.Args) < 2 {
					continue
				}
				dest := t.Args[len(t.Args)-1]
				if isAbsPath(dest) {
					continue
				}
				if t == in && set || t != in && (imageWorkdir || onbuildWorkdir) {
					continue
				}
				p.Report(in, "%sCOPY to relative destination %s without a WORKDIR: set WORKDIR or use an absolute path", triggerPrefix(t, in), dest)
			}
		}
		return nil
	},
}
