package rules

import (
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
)

// Walking instructions: every stage's instructions with their ONBUILD
// triggers, instructions of which only the last of a stage counts, and
// absolute paths as Dockerfiles write them.

// onlyLastCheck reports every further cmd instruction of a stage after the
// first and proposes deleting the one it overrides.
func onlyLastCheck(cmd string) func(*Pass) error {
	return func(p *Pass) error {
		for _, st := range p.File.Stages {
			var prev *dockerfile.Instruction
			for _, in := range st.Instructions {
				if in.Cmd != cmd {
					continue
				}
				if prev != nil {
					pos, end := edit.LineSpan(p.File, prev.StartLine, prev.EndLine)
					fix := &edit.Fix{
						Message: "delete the " + prev.Keyword + " on line " + strconv.Itoa(prev.StartLine) + ", which has no effect",
						Edits:   []edit.TextEdit{{Pos: pos, End: end}},
					}
					p.ReportFix(in, fix, "another %s in this stage (line %d): only the last one takes effect", in.Keyword, prev.StartLine)
				}
				prev = in
			}
		}
		return nil
	}
}

// eachInstruction calls fn for every instruction of the prelude (see
// prelude.go) and of the stages and, for an ONBUILD, once more for the
// instruction it wraps. in is the instruction to inspect (the trigger for
// an ONBUILD); outer is the top-level instruction findings are reported
// on (the ONBUILD itself for a trigger, in otherwise).
func eachInstruction(f *dockerfile.File, fn func(in, outer *dockerfile.Instruction)) {
	visit := func(ins []*dockerfile.Instruction) {
		for _, in := range ins {
			fn(in, in)
			if in.Trigger != nil {
				fn(in.Trigger, in)
			}
		}
	}
	visit(preludeInstructions(f))
	for _, st := range f.Stages {
		visit(st.Instructions)
	}
}

// triggerPrefix returns "ONBUILD " when in is the trigger of outer, for
// messages.
func triggerPrefix(in, outer *dockerfile.Instruction) string {
	if in != outer {
		return outer.Keyword + " "
	}
	return ""
}

// isWindowsAbs reports whether p is an absolute Windows path ("C:\x",
// "c:/x").
func isWindowsAbs(p string) bool {
	return len(p) >= 2 && p[1] == ':' && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

// isAbsPath reports whether a path written in a Dockerfile is absolute
// (POSIX or Windows) or starts with a variable, which hadolint accepts as
// absolute.
func isAbsPath(p string) bool {
	p = dockerfile.TrimQuotes(p)
	return strings.HasPrefix(p, "/") || strings.HasPrefix(p, "$") || isWindowsAbs(p) || strings.HasPrefix(p, `\`)
}
