package plan

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// Go programs: the binary go build -o writes, built static so that it
// runs on scratch.

// isGoBuild reports whether c runs go build.
func isGoBuild(c *shell.Command) bool {
	return c.Is("go") && len(c.Args) > 0 && c.Args[0] == "build"
}

// goOutput returns the binary a go build command writes with -o.
func goOutput(c *shell.Command, rs *edit.Script, in *dockerfile.Instruction) (buildOutput, bool) {
	o, has := c.FlagValue("-o")
	if !has {
		return buildOutput{}, false
	}
	return buildOutput{dockerfile.ResolvePath(c.Dir, o), c, rs, in, "go"}, true
}

// goStatic makes every go build of outs produce a static binary: it sets
// CGO_ENABLED=0 on the commands, unless the stage's ENV or ARG or the
// command's own environment already does. It describes what it did.
func goStatic(b *build, outs []buildOutput) (string, []edit.TextEdit, bool) {
	envOff := false
	for _, in := range b.st.Instructions {
		if in.Cmd == "env" || in.Cmd == "arg" {
			for _, kv := range in.Pairs() {
				if kv[0] == "CGO_ENABLED" && dockerfile.TrimQuotes(kv[1]) == "0" {
					envOff = true
				}
			}
		}
	}
	var edits []edit.TextEdit
	for _, o := range outs {
		if o.kind != "go" {
			continue
		}
		if v, ok := o.rs.Env(o.cmd, "CGO_ENABLED"); envOff || ok && v == "0" {
			continue
		}
		if o.cmd.Sudo {
			return "", nil, false
		}
		e, ok := insertAt(b.p.File, o, o.cmd.Pos.Offset, "CGO_ENABLED=0 ")
		if !ok {
			return "", nil, false
		}
		edits = append(edits, e)
	}
	return "static, CGO_ENABLED=0", edits, true
}
