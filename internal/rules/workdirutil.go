package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// The WORKDIR in force as DL3000 and DL3045 follow it.

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
