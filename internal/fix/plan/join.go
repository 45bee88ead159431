package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// MergeRuns returns DL3059's edits for two consecutive RUNs of a stage,
// prev and in: when both install packages with the same package manager
// and the same options, in's packages join prev's install command (one
// install, one package-manager run); otherwise in's script is chained
// onto prev's (see mergeRuns). It returns why the RUNs are not joined
// ("" when they are): a join never ties a RUN that needs the source the
// stage copied from the build context to one that installs dependencies
// without it, since the install could then no longer move before the
// COPY (SD202) and every source change would run it again.
func MergeRuns(src Input, prev, in *dockerfile.Instruction) ([]edit.TextEdit, string) {
	p := newPass(src)
	if why := sourceSplit(p, prev, in); why != "" {
		return nil, why
	}
	if e, ok := mergeInstalls(p, prev, in); ok {
		return e, ""
	}
	return mergeRunsWhy(p, []*dockerfile.Instruction{prev, in})
}

// sourceSplit says why prev and in must stay apart: after a COPY of the
// build context in their stage, one of them installs dependencies without
// reading the copied files and the other reads them (or cannot be told
// not to). "" when they may be joined.
func sourceSplit(p *pass, prev, in *dockerfile.Instruction) string {
	st := prev.Stage
	if st == nil || in.Stage != st {
		return ""
	}
	var copied *dockerfile.Instruction
	for _, i := range st.Instructions {
		if i == prev {
			break
		}
		if (i.Cmd == "copy" || i.Cmd == "add") && copiesFromContext(i) {
			copied = i
		}
	}
	if copied == nil {
		return ""
	}
	dest := dockerfile.ResolvePath(copied.Workdir(), dockerfile.TrimQuotes(copied.Args[len(copied.Args)-1]))
	if dest == "" {
		return ""
	}
	_, whatPrev, freePrev := contextFreeRun(p, prev, dest)
	_, whatIn, freeIn := contextFreeRun(p, in, dest)
	switch {
	case freePrev && len(whatPrev) > 0 && !freeIn:
		return fmt.Sprintf("the RUN on line %d installs %s without the files COPY copies on line %d and this one uses them: joined, the install would run again on every source change and could no longer move before the COPY", prev.StartLine, whatPrev[0], copied.StartLine)
	case freeIn && len(whatIn) > 0 && !freePrev:
		return fmt.Sprintf("this RUN installs %s without the files COPY copies on line %d and the RUN on line %d uses them: joined, the install would run again on every source change and could no longer move before the COPY", whatIn[0], copied.StartLine, prev.StartLine)
	}
	return ""
}

// copiesFromContext reports whether a COPY or ADD reads the build context
// (no --from, not a URL or git source only).
func copiesFromContext(in *dockerfile.Instruction) bool {
	if _, from := in.Flag("from"); from || len(in.Args) < 2 || len(in.Heredocs) > 0 {
		return false
	}
	for _, s := range in.Args[:len(in.Args)-1] {
		s = dockerfile.TrimQuotes(s)
		if !strings.Contains(s, "://") && !strings.HasPrefix(s, "git@") {
			return true
		}
	}
	return false
}

// mergeInstalls returns the edits that move the packages of in, a RUN
// that is a single install command, into the install command that ends
// prev, when both run the same package manager (a distribution's, or
// pip) with the same options, name every package literally, and nothing
// but blank lines lies between them: `RUN apt-get install -y a` and `RUN
// apt-get install -y b` become `RUN apt-get install -y a b`.
func mergeInstalls(p *pass, prev, in *dockerfile.Instruction) ([]edit.TextEdit, bool) {
	f := p.File
	if prev.JSON || in.JSON || len(prev.Heredocs)+len(in.Heredocs) > 0 || prev.Trigger != nil || in.Trigger != nil ||
		!prev.SameFlags(in) || edit.CommentStart(f, in) != in.StartLine {
		return nil, false
	}
	for ln := prev.EndLine + 1; ln < in.StartLine; ln++ {
		if strings.TrimSpace(f.Lines[ln-1]) != "" {
			return nil, false
		}
	}
	ps, is := p.Shell(prev), p.Shell(in)
	if len(ps) != 1 || len(is) != 1 || len(is[0].Commands) != 1 || len(ps[0].Commands) == 0 {
		return nil, false
	}
	last := ps[0].Commands[len(ps[0].Commands)-1]
	a, b := installOf(ps[0], last), installOf(is[0], is[0].Commands[0])
	if a == nil || b == nil || a.Manager != b.Manager || installKey(a) != installKey(b) {
		return nil, false
	}
	if len(is[0].Commands[0].Redirects)+len(last.Redirects) > 0 {
		return nil, false
	}
	m, ok := edit.ShellFormOffsets(f, prev, ps[0])
	if !ok {
		return nil, false
	}
	var words []string
	have := map[string]bool{}
	for _, w := range a.Operands {
		have[w.Raw] = true
	}
	for _, w := range b.Operands {
		if !have[w.Raw] {
			words = append(words, w.Raw)
			have[w.Raw] = true
		}
	}
	at := m(a.Operands[len(a.Operands)-1].End.Offset)
	pos, end := edit.Bare(f, in)
	if prev.EndLine+1 == in.StartLine {
		// Keep no blank line where the RUN was.
		pos = f.LineEnd(prev.EndLine)
		end = f.LineEnd(in.EndLine)
	}
	added := ""
	if len(words) > 0 {
		added = " " + strings.Join(words, " ")
	}
	if at == pos {
		return []edit.TextEdit{{Pos: pos, End: end, NewText: added}}, true
	}
	out := []edit.TextEdit{{Pos: pos, End: end}}
	if added != "" {
		out = append([]edit.TextEdit{{Pos: at, End: at, NewText: added}}, out...)
	}
	return out, true
}

// installOf returns the install operation of c when it installs packages
// named literally with a distribution's package manager or pip, at the
// top level of the script (not in a pipeline, a condition or a loop), with
// no variable in its words.
func installOf(rs *edit.Script, c *shell.Command) *shell.PackageOp {
	for _, op := range rs.PackageOps() {
		if op.Command != c {
			continue
		}
		if op.Action != shell.ActionInstall || !(systemManager(op.Manager) || op.Manager == shell.Pip) || len(op.Operands) == 0 ||
			len(op.Operands) != len(op.Packages) || c.Pipeline >= 0 || c.Sudo || len(c.Assigns) > 0 {
			return nil
		}
		if c.Join != shell.JoinAnd && c.Join != shell.JoinEnd || c.Negated || c.InSubshell || c.InCmdSubst || c.InCondition ||
			c.InBranch || c.InLoop || c.InFunction {
			return nil
		}
		for _, pk := range op.Packages {
			if !pk.Literal || pk.Local || pk.URL {
				return nil
			}
		}
		if !c.NameWord.Literal || slices.ContainsFunc(c.ArgWords, func(w shell.Word) bool { return !w.Literal }) {
			return nil
		}
		if op.Manager == shell.Pip && (op.HasFlag("-r", "--requirement", "-c", "--constraint", "-e", "--editable")) {
			return nil
		}
		return op
	}
	return nil
}

// installKey is what an install command says besides its packages: the
// program and every other word, in order.
func installKey(op *shell.PackageOp) string {
	c := op.Command
	pkg := map[int]bool{}
	for _, w := range op.Operands {
		pkg[w.Pos.Offset] = true
	}
	parts := []string{c.NameWord.Value}
	for _, w := range c.ArgWords {
		if !pkg[w.Pos.Offset] {
			parts = append(parts, w.Value)
		}
	}
	return strings.Join(parts, "\x00")
}
