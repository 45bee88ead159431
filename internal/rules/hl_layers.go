package rules

import (
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3059 reports consecutive RUN instructions that could be one layer.
var DL3059 = &Rule{
	ID:        "DL3059",
	Name:      "consecutive-run",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: LayersMinimalRun,
	Doc: Doc{
		Summary: "Multiple consecutive RUN instructions: consider consolidation.",
		Why: "Each RUN makes a layer. Files a later RUN deletes still take space in the earlier " +
			"layer, and every layer adds metadata and a cache entry. Chaining related commands " +
			"with && keeps the image smaller and the build graph simpler. RUNs with different " +
			"flags (mounts, network, security) cannot be merged, and when either RUN already " +
			"chains several commands the split is taken to be deliberate (for the cache), so " +
			"neither is reported. The safe fix chains the second command onto the first with " +
			"&& on a continuation line (comments between the two move above them); it is not " +
			"offered when the first command changes the shell's state for the next (cd, " +
			"export, set, exec) or for exec-form and heredoc RUNs.",
		Bad:  "RUN apt-get update\nRUN apt-get install -y curl",
		Good: "RUN apt-get update \\\n && apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			var prev *dockerfile.Instruction
			prevSingle := false
			for _, in := range st.Instructions {
				if in.Cmd != "run" {
					prev = nil
					continue
				}
				single := passCommandCount(p, in) <= 1
				if prev != nil && prevSingle && single && sortedFlags(prev.Flags) == sortedFlags(in.Flags) {
					p.ReportFix(in, mergeRunsFix(p, prev, in), "RUN follows another RUN (line %d) with the same flags: join them into one layer", prev.StartLine)
				}
				prev, prevSingle = in, single
			}
		}
		return nil
	},
}

func sortedFlags(fs []string) string {
	cp := append([]string(nil), fs...)
	sort.Strings(cp)
	return strings.Join(cp, "\x00")
}

// passCommandCount is runCommandCount using the scripts the pass has
// already parsed, when every script of the RUN parsed.
func passCommandCount(p *Pass, in *dockerfile.Instruction) int {
	scripts := p.Shell(in)
	if len(scripts) == 0 || len(scripts) != len(in.Scripts()) {
		return runCommandCount(in)
	}
	n := 0
	for _, s := range scripts {
		for _, c := range s.Commands {
			if !c.IsAssignment() {
				n++
			}
		}
	}
	return n
}

// runCommandCount returns how many commands a RUN runs: 1 for the exec
// form, the number of simple commands of its shell script otherwise.
// Scripts for other shells (PowerShell, cmd) and scripts that do not
// parse are judged by their separators.
func runCommandCount(in *dockerfile.Instruction) int {
	if in.JSON {
		return 1
	}
	scripts := in.Scripts()
	if len(scripts) == 0 {
		if len(in.Heredocs) > 0 {
			return 2 // a heredoc script for another interpreter
		}
		return 1
	}
	posix := len(in.Shell) == 0 || isPOSIXShell(in.Shell[0])
	n := 0
	for _, s := range scripts {
		if posix {
			if c, ok := shellCommandCount(s.Text); ok {
				n += c
				continue
			}
		}
		n += separatorCount(s.Text)
	}
	return n
}

// shellCommandCount counts the simple commands (and declarations) of a
// POSIX shell script.
func shellCommandCount(script string) (int, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return 0, false
	}
	n := 0
	syntax.Walk(f, func(node syntax.Node) bool {
		switch x := node.(type) {
		case *syntax.CallExpr:
			if len(x.Args) > 0 {
				n++
			}
		case *syntax.DeclClause:
			n++
		}
		return true
	})
	return n, true
}

// separatorCount estimates the commands of a script that cannot be parsed
// as POSIX shell: one plus the command separators outside quotes.
func separatorCount(script string) int {
	n := 1
	var quote byte
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ';' || c == '\n' && strings.TrimSpace(script[i:]) != "":
			n++
		case c == '&' && i+1 < len(script) && script[i+1] == '&', c == '|' && i+1 < len(script) && script[i+1] == '|':
			n++
			i++
		case c == '|':
			n++
		}
	}
	return n
}

// mergeRunsFix joins the RUN in onto the RUN prev just before it (same
// flags, nothing but blank and comment lines between): in's command is
// chained to prev's with " && " on a continuation line written with the
// file's escape character, and the comment lines between the two move
// above prev. It returns nil when the join could change what runs (see
// mergeRunsEdits).
func mergeRunsFix(p *Pass, prev, in *dockerfile.Instruction) *Fix {
	edits, ok := mergeRunsEdits(p, []*dockerfile.Instruction{prev, in})
	if !ok {
		return nil
	}
	return &Fix{
		Message: fmt.Sprintf("chain the command onto the RUN at line %d with &&: one layer instead of two", prev.StartLine),
		Edits:   edits,
	}
}

// mergeRunsEdits returns the edits that make one RUN of runs, RUN
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
func mergeRunsEdits(p *Pass, runs []*dockerfile.Instruction) ([]TextEdit, bool) {
	if len(runs) < 2 {
		return nil, false
	}
	f := p.File
	var edits []TextEdit
	var comments strings.Builder
	nl := f.Newline()
	for i := 1; i < len(runs); i++ {
		prev, in := runs[i-1], runs[i]
		e, ok := mergeRunsJoin(p, prev, in)
		if !ok {
			return nil, false
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
		edits = append(edits, TextEdit{Pos: at, End: at, NewText: comments.String()})
	}
	return edits, true
}

// mergeRunsJoin returns the edit that chains in's script onto prev's,
// replacing everything between the two scripts (see mergeRunsEdits).
func mergeRunsJoin(p *Pass, prev, in *dockerfile.Instruction) (TextEdit, bool) {
	f := p.File
	if prev.JSON || in.JSON || len(prev.Heredocs)+len(in.Heredocs) > 0 || prev.Trigger != nil || in.Trigger != nil ||
		!shell.IsPOSIXShell(prev.Shell) || !shell.IsPOSIXShell(in.Shell) {
		return TextEdit{}, false
	}
	ps, is := p.Shell(prev), p.Shell(in)
	if len(ps) != 1 || len(is) != 1 || len(ps[0].Commands) == 0 || len(is[0].Commands) == 0 {
		return TextEdit{}, false
	}
	for _, c := range ps[0].Commands {
		if c.IsAssignment() || c.Join == shell.JoinBackground {
			return TextEdit{}, false
		}
		switch c.Base() {
		case "cd", "pushd", "popd", "export", "set", "unset", "source", ".", "alias", "umask", "ulimit",
			"shopt", "trap", "exec", "eval", "exit", "return", "readonly", "declare", "typeset", "local", "hash":
			return TextEdit{}, false
		}
	}
	prevSrc := strings.TrimSpace(ps[0].Source)
	inSrc := strings.TrimSpace(is[0].Source)
	if strings.HasSuffix(prevSrc, ";") || strings.HasSuffix(prevSrc, "&") || strings.HasSuffix(prevSrc, "|") || !andChainScript(inSrc) {
		return TextEdit{}, false
	}
	merged, err := shell.Parse(prevSrc + " && " + inSrc)
	if err != nil || len(merged.Commands) != len(ps[0].Commands)+len(is[0].Commands) {
		return TextEdit{}, false
	}
	pm, ok := fxScriptOffset(f, prev, ps[0])
	if !ok {
		return TextEdit{}, false
	}
	im, ok := fxScriptOffset(f, in, is[0])
	if !ok {
		return TextEdit{}, false
	}
	lead := len(is[0].Source) - len(strings.TrimLeft(is[0].Source, " \t\r\n"))
	pend, istart := pm(len(strings.TrimRight(ps[0].Source, " \t\r\n"))), im(lead)
	if pend > istart {
		return TextEdit{}, false
	}
	esc := string(f.Escape)
	if f.Escape == 0 {
		esc = `\`
	}
	return TextEdit{Pos: pend, End: istart, NewText: " " + esc + f.Newline() + " && "}, true
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
