package plan

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// JoinLaterInstalls is DL3009's fix for an apt RUN (in) whose package
// lists a later RUN of the stage still needs: that RUN installs with
// apt without updating the index, so deleting the lists here would
// break it. The later installs move into this RUN's install instead (one
// apt run, one install command), and the lists are deleted at its end:
// cleanup is the command that deletes them.
//
// It declines (with the reason) when the move could change what is
// installed or break the build: the later install has other options,
// is not a plain install by name, runs in a loop or a condition, or
// something between the two RUNs configures apt (a source, a key, a
// COPY into the system, an ENV the install reads); and when a stage
// built on this one installs with apt without an update of its own.
func JoinLaterInstalls(src Input, in *dockerfile.Instruction, cleanup string) *edit.Fix {
	p := newPass(src)
	st := in.Stage
	if st == nil || in.Trigger != nil {
		return edit.Decline("a later RUN installs with apt using these lists")
	}
	f := p.File
	scripts := p.Shell(in)
	if len(scripts) != 1 {
		return edit.Decline("the RUN's script cannot be read")
	}
	rs := scripts[0]
	var last *shell.PackageOp
	for _, op := range rs.PackageOps() {
		if isApt(op.Manager) && op.Action == shell.ActionInstall {
			last = op
		}
	}
	if last == nil || installOf(rs, last.Command) == nil || len(last.Operands) == 0 {
		return edit.Decline("a later RUN installs with apt using these lists, and this RUN's install cannot take its packages")
	}
	key := installKey(last)
	m, ok := edit.ShellFormOffsets(f, in, rs)
	if !ok {
		return edit.Decline("the RUN's script cannot be located in the file")
	}
	idx := stageIndex(st, in)
	have := map[string]bool{}
	for _, w := range last.Operands {
		have[w.Raw] = true
	}
	var added, lines []string
	var edits []edit.TextEdit
	blocker := ""
	for _, later := range st.Instructions[idx+1:] {
		if blocker != "" {
			if needsLists(p, st, later) {
				return edit.Decline(blocker)
			}
			continue
		}
		if why := changesApt(p, later); why != "" {
			if needsLists(p, st, later) {
				return edit.Decline(why)
			}
			blocker = why
			continue
		}
		if later.Cmd != "run" {
			continue
		}
		ls := p.Shell(later)
		if len(ls) != 1 {
			if needsLists(p, st, later) {
				return edit.Decline(fmt.Sprintf("the RUN on line %d, which installs with apt using these lists, cannot be read", later.StartLine))
			}
			continue
		}
		updated := false
		var gone []*shell.Command
		for _, op := range ls[0].PackageOps() {
			if !isApt(op.Manager) {
				continue
			}
			switch op.Action {
			case shell.ActionUpdate:
				updated = true
			case shell.ActionInstall:
				if updated {
					continue
				}
				o := installOf(ls[0], op.Command)
				if o == nil || installKey(o) != key {
					return edit.Decline(fmt.Sprintf("the RUN on line %d installs with apt using these lists, with other options or not by name alone: its packages cannot join this install", later.StartLine))
				}
				for _, w := range o.Operands {
					if !have[w.Raw] {
						have[w.Raw] = true
						added = append(added, w.Raw)
					}
				}
				gone = append(gone, op.Command)
			default:
				if !updated {
					return edit.Decline(fmt.Sprintf("the RUN on line %d runs apt-get %s using these lists", later.StartLine, op.Verb))
				}
			}
		}
		if len(gone) == 0 {
			continue
		}
		e, why := removeCommands(p, later, ls[0], gone)
		if why != "" {
			return edit.Decline(why)
		}
		edits = append(edits, e...)
		lines = append(lines, fmt.Sprint(later.StartLine))
	}
	if needsListsDownstream(p, st) {
		return edit.Decline("a stage built on this one installs with apt using these lists")
	}
	if len(added) == 0 {
		return edit.Decline("a later RUN installs with apt using these lists")
	}
	at := m(last.Operands[len(last.Operands)-1].End.Offset)
	end, ok := edit.ScriptEnd(f, in, scripts, " && "+cleanup)
	switch {
	case !ok:
		return edit.Decline("the end of the RUN's script cannot be told")
	case end.Pos == at:
		// The install ends the script: one insertion.
		edits = append(edits, edit.TextEdit{Pos: at, End: at, NewText: " " + strings.Join(added, " ") + end.NewText})
	default:
		edits = append(edits, edit.TextEdit{Pos: at, End: at, NewText: " " + strings.Join(added, " ")}, end)
	}
	return &edit.Fix{
		Message: fmt.Sprintf("install %s here too (from the RUN on line %s) and delete the apt lists at the end of the RUN: one apt run, and no lists in the image",
			vocab.JoinAnd(added), strings.Join(lines, ", ")),
		Unsafe:     true,
		Structural: true,
		Edits:      edits,
	}
}

// isApt reports whether m is apt-get, apt or aptitude.
func isApt(m shell.Manager) bool {
	return m == shell.AptGet || m == shell.Apt || m == shell.Aptitude
}

// stageIndex returns the index of in among st's instructions.
func stageIndex(st *dockerfile.Stage, in *dockerfile.Instruction) int {
	for i, x := range st.Instructions {
		if x == in {
			return i
		}
	}
	return len(st.Instructions)
}

// changesApt says how an instruction could change what a later apt
// install finds ("" when it cannot): a RUN that adds a source or a key,
// runs dpkg or edits apt's configuration, a COPY or ADD into the system,
// an ARG or ENV apt reads.
func changesApt(p *pass, in *dockerfile.Instruction) string {
	switch in.Cmd {
	case "copy", "add":
		d := copyDest(in)
		if d == "" || systemPath(d) || strings.HasPrefix(d, "/opt") || d == "/" {
			return fmt.Sprintf("%s on line %d writes into the system before the later install", strings.ToUpper(in.Cmd), in.StartLine)
		}
	case "arg", "env":
		if installSetting(in) {
			return fmt.Sprintf("%s on line %d sets what apt reads", strings.ToUpper(in.Cmd), in.StartLine)
		}
	case "run":
		text := in.Original
		for _, w := range []string{"/etc/apt", "apt-key", "add-apt-repository", "dpkg", "gpg", "sources.list", "keyrings", "debconf"} {
			if strings.Contains(text, w) {
				return fmt.Sprintf("the RUN on line %d configures apt or dpkg (%s)", in.StartLine, w)
			}
		}
	case "user":
		return fmt.Sprintf("USER on line %d changes who runs the later install", in.StartLine)
	case "shell":
		return fmt.Sprintf("SHELL on line %d changes how the later install runs", in.StartLine)
	}
	return ""
}

// needsLists reports whether a RUN installs with apt before it updates
// the index.
func needsLists(p *pass, st *dockerfile.Stage, in *dockerfile.Instruction) bool {
	if in.Cmd != "run" {
		return false
	}
	if len(p.Shell(in)) == 0 {
		return strings.Contains(in.Original, "apt")
	}
	for _, rs := range p.Shell(in) {
		for _, op := range rs.PackageOps() {
			if !isApt(op.Manager) {
				continue
			}
			if op.Action == shell.ActionUpdate {
				return false
			}
			if op.Action == shell.ActionInstall || op.Action == shell.ActionUpgrade || op.Action == shell.ActionDownload {
				return true
			}
		}
	}
	return false
}

// needsListsDownstream reports whether a stage built on st installs with
// apt before it updates the index.
func needsListsDownstream(p *pass, st *dockerfile.Stage) bool {
	for _, s := range p.File.Stages {
		if s == st {
			continue
		}
		on := false
		for _, c := range s.Chain() {
			if c == st {
				on = true
			}
		}
		if !on {
			continue
		}
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, rs := range p.Shell(in) {
				for _, op := range rs.PackageOps() {
					if isApt(op.Manager) {
						if op.Action == shell.ActionUpdate {
							goto next
						}
						return true
					}
				}
			}
		}
	next:
	}
	return false
}

// removeCommands returns the edits that take the commands gone out of
// the RUN in (script rs): the RUN goes when nothing but index updates
// and clean-ups would be left; otherwise each command goes with the &&
// that joins it.
func removeCommands(p *pass, in *dockerfile.Instruction, rs *edit.Script, gone []*shell.Command) ([]edit.TextEdit, string) {
	f := p.File
	isGone := map[*shell.Command]bool{}
	for _, c := range gone {
		isGone[c] = true
	}
	left := false
	for _, c := range rs.Commands {
		if !isGone[c] && !indexOrCleanup(rs, c) {
			left = true
		}
	}
	if !left {
		pos, end := bareGone(f, in)
		return []edit.TextEdit{{Pos: pos, End: end}}, ""
	}
	m, ok := edit.ShellFormOffsets(f, in, rs)
	if !ok {
		return nil, fmt.Sprintf("the RUN on line %d cannot be located in the file", in.StartLine)
	}
	var edits []edit.TextEdit
	for i, c := range rs.Commands {
		if !isGone[c] {
			continue
		}
		if c.Join == shell.JoinAnd && i+1 < len(rs.Commands) && !isGone[rs.Commands[i+1]] {
			edits = append(edits, edit.TextEdit{Pos: m(c.Pos.Offset), End: m(rs.Commands[i+1].Pos.Offset)})
			continue
		}
		if i > 0 && rs.Commands[i-1].Join == shell.JoinAnd && !isGone[rs.Commands[i-1]] {
			edits = append(edits, edit.TextEdit{Pos: m(rs.Commands[i-1].End.Offset), End: m(c.End.Offset)})
			continue
		}
		return nil, fmt.Sprintf("the install on line %d is not joined to the rest of its RUN with &&", in.StartLine)
	}
	if overlapping(edits) {
		return nil, fmt.Sprintf("the installs on line %d are next to each other", in.StartLine)
	}
	return edits, ""
}

// bareGone returns the range that deletes in's own lines (its comments
// stay), with the blank line after it when a blank line comes before:
// no run of blank lines is left where it was.
func bareGone(f *dockerfile.File, in *dockerfile.Instruction) (int, int) {
	pos, end := edit.Bare(f, in)
	blank := func(ln int) bool { return ln >= 1 && ln <= len(f.Lines) && strings.TrimSpace(f.Lines[ln-1]) == "" }
	if blank(in.StartLine-1) && blank(in.EndLine+1) {
		_, end = edit.LineSpan(f, in.StartLine, in.EndLine+1)
	}
	return pos, end
}
