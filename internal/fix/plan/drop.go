package plan

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DropPackages is SD403's fix when no build stage can take the tools:
// the packages named in drop leave the install commands of the RUN in
// (an install left with no package goes, and a RUN left with nothing but
// index updates and clean-ups goes too). It declines when a package
// cannot be taken out exactly: an install in a loop, a condition or a
// pipeline, a package written with a variable, or a later command that
// removes or runs it.
func DropPackages(src Input, in *dockerfile.Instruction, drop []string) *edit.Fix {
	p := newPass(src)
	set := map[string]bool{}
	for _, n := range drop {
		set[n] = true
	}
	edits, why := removePackages(p, in, set)
	if why != "" {
		return edit.Decline(why)
	}
	if len(edits) == 0 {
		return nil
	}
	return &edit.Fix{
		Message: fmt.Sprintf("leave %s out of the install: nothing in the image runs %s", vocab.JoinAnd(drop), plural(len(drop), "it", "them")),
		Unsafe:  true,
		Edits:   edits,
	}
}

// plural returns one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// removePackages returns the edits that take the packages in drop out of
// the install commands of the RUN in (see DropPackages), or why it
// cannot.
func removePackages(p *pass, in *dockerfile.Instruction, drop map[string]bool) ([]edit.TextEdit, string) {
	f := p.File
	if in.Cmd != "run" || in.JSON || len(in.Heredocs) > 0 || in.Trigger != nil {
		return nil, "the RUN is in exec form, has a heredoc or is an ONBUILD trigger"
	}
	scripts := p.Shell(in)
	if len(scripts) != 1 {
		return nil, "the RUN's script cannot be read"
	}
	rs := scripts[0]
	m, ok := edit.ShellFormOffsets(f, in, rs)
	if !ok {
		return nil, "the RUN's script cannot be located in the file"
	}
	// What each install command keeps, and the commands that go.
	gone := map[*shell.Command]bool{}
	var edits []edit.TextEdit
	found := false
	for _, op := range rs.PackageOps() {
		c := op.Command
		if !systemManager(op.Manager) {
			continue
		}
		var hit []shell.Word
		for i, pk := range op.Packages {
			if !drop[pk.Name] {
				continue
			}
			if op.Action != shell.ActionInstall {
				return nil, fmt.Sprintf("the RUN also removes %s", pk.Name)
			}
			if i >= len(op.Operands) || !pk.Literal || c.InLoop || c.InCondition || c.InBranch || c.InPipeline() || c.InSubshell || c.InCmdSubst || c.InFunction {
				return nil, fmt.Sprintf("%s is installed where it cannot be taken out exactly (a loop, a condition or a variable)", pk.Name)
			}
			hit = append(hit, op.Operands[i])
		}
		if len(hit) == 0 {
			continue
		}
		found = true
		if len(hit) == len(op.Packages) && len(op.Packages) == len(op.Operands) {
			gone[c] = true
			continue
		}
		for _, w := range hit {
			// The word and the blanks (or continuation) before it.
			start := w.Pos.Offset
			for start > 0 && strings.ContainsRune(" \t", rune(rs.Source[start-1])) {
				start--
			}
			edits = append(edits, edit.TextEdit{Pos: m(start), End: m(w.End.Offset)})
		}
	}
	if !found {
		return nil, ""
	}
	// A later command of the RUN that runs or removes a dropped package
	// would now fail.
	for _, c := range rs.Commands {
		if drop[c.Base()] {
			return nil, fmt.Sprintf("the RUN runs %s itself", c.Base())
		}
	}
	if len(gone) == 0 {
		return edits, ""
	}
	// Whole commands go (the RUN too when nothing but index updates and
	// clean-ups would be left; comments above it stay).
	var cmds []*shell.Command
	for c := range gone {
		cmds = append(cmds, c)
	}
	e, why := removeCommands(p, in, rs, cmds)
	if why != "" {
		return nil, why
	}
	edits = append(edits, e...)
	if overlapping(edits) {
		return nil, "the packages to take out are next to a command that goes"
	}
	return edits, ""
}

// indexOrCleanup reports whether c only updates a package index or
// cleans up after installs (apt-get update, rm -rf /var/lib/apt/lists/*,
// apk update, yum clean all ...): what is left of a RUN whose installs
// are gone.
func indexOrCleanup(rs *edit.Script, c *shell.Command) bool {
	for _, op := range rs.PackageOps() {
		if op.Command == c {
			return op.Action == shell.ActionUpdate || op.Action == shell.ActionClean
		}
	}
	switch c.Base() {
	case "rm":
		for _, w := range c.Operands() {
			if !strings.HasPrefix(w.Value, "/var/lib/apt") && !strings.HasPrefix(w.Value, "/var/cache") && !strings.HasPrefix(w.Value, "/tmp") {
				return false
			}
		}
		return true
	case "true", "set":
		return true
	}
	return false
}

// overlapping reports whether two of the edits touch the same bytes.
func overlapping(es []edit.TextEdit) bool {
	for i, a := range es {
		for _, b := range es[:i] {
			if a.Pos < b.End && b.Pos < a.End {
				return true
			}
		}
	}
	return false
}
