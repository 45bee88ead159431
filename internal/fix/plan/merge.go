package plan

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"mvdan.cc/sh/v3/syntax"
)

// mergeRuns returns the edits that make one RUN of runs, RUN
// instructions that follow one another with nothing but blank and
// comment lines between: each RUN's script is chained to the one before
// with " && " on a continuation line written with the file's escape
// character, and the comment lines between them move above the first.
// ok is false when the join could change what runs: exec form or
// heredocs, a shell that is not POSIX, an ONBUILD trigger, a command that
// changes the shell's state for the next RUN (cd, export, set, exec,
// exit, an assignment...), a later script that is not one && chain (a
// || or ; at its top level, or a background job, would then also cover
// the commands before it), or text that does not re-parse as the
// scripts chained.
func mergeRuns(p *pass, runs []*dockerfile.Instruction) ([]edit.TextEdit, bool) {
	edits, why := mergeRunsWhy(p, runs)
	return edits, why == ""
}

// mergeRunsWhy is mergeRuns, saying why the RUNs cannot be joined (""
// when they can).
func mergeRunsWhy(p *pass, runs []*dockerfile.Instruction) ([]edit.TextEdit, string) {
	if len(runs) < 2 {
		return nil, "one RUN only"
	}
	f := p.File
	var edits []edit.TextEdit
	var comments strings.Builder
	nl := f.Newline()
	for i := 1; i < len(runs); i++ {
		prev, in := runs[i-1], runs[i]
		e, why := mergeJoin(p, prev, in)
		if why != "" {
			return nil, why
		}
		edits = append(edits, e)
		for ln := prev.EndLine + 1; ln < in.StartLine; ln++ {
			if t := strings.TrimSpace(f.Lines[ln-1]); strings.HasPrefix(t, "#") {
				comments.WriteString(f.Lines[ln-1] + nl)
			}
		}
	}
	if comments.Len() > 0 {
		at := f.Offset(runs[0].StartLine, 1)
		edits = append(edits, edit.TextEdit{Pos: at, End: at, NewText: comments.String()})
	}
	return edits, ""
}

// mergeJoin returns the edit that chains in's script onto prev's,
// replacing everything between the two scripts (see mergeRuns).
func mergeJoin(p *pass, prev, in *dockerfile.Instruction) (edit.TextEdit, string) {
	f := p.File
	if prev.JSON || in.JSON || len(prev.Heredocs)+len(in.Heredocs) > 0 || prev.Trigger != nil || in.Trigger != nil ||
		!shell.IsPOSIXShell(prev.Shell) || !shell.IsPOSIXShell(in.Shell) {
		return edit.TextEdit{}, "an exec-form, heredoc, ONBUILD or non-POSIX RUN cannot be chained with &&"
	}
	ps, is := p.Shell(prev), p.Shell(in)
	if len(ps) != 1 || len(is) != 1 || len(ps[0].Commands) == 0 || len(is[0].Commands) == 0 {
		return edit.TextEdit{}, "a script strata cannot read"
	}
	for _, c := range ps[0].Commands {
		if c.IsAssignment() || c.Join == shell.JoinBackground {
			return edit.TextEdit{}, "the first RUN sets a variable or starts a background job, which would carry over to the second"
		}
		switch c.Base() {
		case "cd", "pushd", "popd", "export", "set", "unset", "source", ".", "alias", "umask", "ulimit",
			"shopt", "trap", "exec", "eval", "exit", "return", "readonly", "declare", "typeset", "local", "hash":
			return edit.TextEdit{}, "the first RUN runs " + c.Base() + ", which changes the shell the second RUN would run in"
		}
	}
	prevSrc := strings.TrimSpace(ps[0].Source)
	inSrc := strings.TrimSpace(is[0].Source)
	if strings.HasSuffix(prevSrc, ";") || strings.HasSuffix(prevSrc, "&") || strings.HasSuffix(prevSrc, "|") || !andChainScript(inSrc) {
		return edit.TextEdit{}, "the second RUN is not one && chain (a || or ; would also cover the first RUN's commands)"
	}
	merged, err := shell.Parse(prevSrc + " && " + inSrc)
	if err != nil || len(merged.Commands) != len(ps[0].Commands)+len(is[0].Commands) {
		return edit.TextEdit{}, "the chained script does not parse as the two scripts"
	}
	pm, ok := edit.ShellFormOffsets(f, prev, ps[0])
	if !ok {
		return edit.TextEdit{}, "the script's position in the file cannot be told"
	}
	im, ok := edit.ShellFormOffsets(f, in, is[0])
	if !ok {
		return edit.TextEdit{}, "the script's position in the file cannot be told"
	}
	lead := len(is[0].Source) - len(strings.TrimLeft(is[0].Source, " \t\r\n"))
	pend, istart := pm(len(strings.TrimRight(ps[0].Source, " \t\r\n"))), im(lead)
	if pend > istart {
		return edit.TextEdit{}, "the script's position in the file cannot be told"
	}
	esc := string(f.Escape)
	if f.Escape == 0 {
		esc = `\`
	}
	return edit.TextEdit{Pos: pend, End: istart, NewText: " " + esc + f.Newline() + " && "}, ""
}

// andChainScript reports whether a script is one list of commands joined
// only by && (pipelines and compound commands allowed as its members), so
// that "x && script" runs script exactly when x succeeds.
func andChainScript(src string) bool {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil || len(f.Stmts) != 1 {
		return false
	}
	var chain func(st *syntax.Stmt) bool
	chain = func(st *syntax.Stmt) bool {
		if st.Background || st.Coprocess {
			return false
		}
		b, ok := st.Cmd.(*syntax.BinaryCmd)
		if !ok {
			return true
		}
		switch b.Op {
		case syntax.AndStmt:
			return !st.Negated && chain(b.X) && chain(b.Y)
		case syntax.OrStmt:
			return false
		}
		return true // a pipeline
	}
	return chain(f.Stmts[0])
}
