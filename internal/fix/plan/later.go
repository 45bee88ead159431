package plan

import (
	"fmt"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// Origin is where something a later RUN removes was made (SD402).
type Origin struct {
	Line  int         // start line of the instruction that made it
	Cache shell.Cache // the cache it filled ("" for packages and files)
	Pkg   bool        // a package it installed
}

// Later returns SD402's fix for the RUN in of stage st, given where
// what it removes was made: a cache clean-up moved to the RUN that filled
// the cache when everything found is a cache, the RUNs chained into one
// when build dependencies are removed. nil when no safe fix applies.
func Later(src Input, st *dockerfile.Stage, in *dockerfile.Instruction, origins []Origin) *edit.Fix {
	p := newPass(src)
	if in.Trigger != nil || in.Cmd != "run" || in.Stage != st || len(origins) == 0 {
		return nil
	}
	caches, pkg := true, false
	for _, o := range origins {
		caches = caches && o.Cache != ""
		pkg = pkg || o.Pkg
	}
	switch {
	case caches:
		if fix := laterClean(p, st, in, origins); fix != nil {
			return fix
		}
		return edit.Decline("the clean-up cannot move into the RUN that filled the cache exactly (a script strata cannot place, or a later step that reads the cache)")
	case pkg:
		if fix := laterMerge(p, st, in, origins); fix != nil {
			return fix
		}
		return edit.Decline("the RUNs from the install to the removal cannot be chained (other instructions between them, other flags, or a command that changes the shell)")
	}
	return edit.Decline("what the RUN removes is a file an earlier RUN made for the steps between: the removal cannot move there")
}

// stageRun returns the index in st.Instructions of the RUN starting on
// line, or -1.
func stageRun(st *dockerfile.Stage, line int) int {
	for i, in := range st.Instructions {
		if in.StartLine == line {
			if in.Cmd != "run" || in.Trigger != nil {
				return -1
			}
			return i
		}
	}
	return -1
}

// laterMerge chains the RUNs from the first one that made what in
// removes through in, when nothing but RUNs with the same flags lies
// between (DL3059's merge).
func laterMerge(p *pass, st *dockerfile.Stage, in *dockerfile.Instruction, origins []Origin) *edit.Fix {
	last := stageRun(st, in.StartLine)
	if last < 0 {
		return nil
	}
	first := last
	for _, o := range origins {
		i := stageRun(st, o.Line)
		if i < 0 || i >= last {
			return nil
		}
		first = min(first, i)
	}
	runs := st.Instructions[first : last+1]
	for _, r := range runs {
		if r.Cmd != "run" || r.Trigger != nil || !r.SameFlags(in) {
			return nil
		}
	}
	edits, ok := mergeRuns(p, runs)
	if !ok {
		return nil
	}
	pos, end := edit.LineSpan(p.File, runs[0].StartLine, in.EndLine)
	return &edit.Fix{
		Message: fmt.Sprintf("chain the RUNs from line %d through this one with &&: the packages are removed in the layer that installed them", runs[0].StartLine),
		Edits:   edits,
		Region:  &edit.Span{Pos: pos, End: end},
	}
}
