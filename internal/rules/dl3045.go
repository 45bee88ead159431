package rules

import "github.com/stratatools/strata/internal/vocab"

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
		for _, st := range stagesWithPrelude(p) {
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
