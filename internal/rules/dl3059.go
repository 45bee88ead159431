package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/vocab"
	"mvdan.cc/sh/v3/syntax"
)

// DL3059 reports consecutive RUN instructions that could be one layer.
var DL3059 = &Rule{
	ID:        "DL3059",
	Name:      "consecutive-run",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: vocab.LayersMinimalRun,
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
		for _, st := range stagesWithPrelude(p) {
			var prev *dockerfile.Instruction
			prevSingle := false
			for _, in := range st.Instructions {
				if in.Cmd != "run" {
					prev = nil
					continue
				}
				single := passCommandCount(p, in) <= 1
				if prev != nil && prevSingle && single && prev.SameFlags(in) {
					p.ReportFix(in, mergeRunsFix(p, prev, in), "RUN follows another RUN (line %d) with the same flags: join them into one layer", prev.StartLine)
				}
				prev, prevSingle = in, single
			}
		}
		return nil
	},
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
func mergeRunsFix(p *Pass, prev, in *dockerfile.Instruction) *edit.Fix {
	edits, why := plan.MergeRuns(planInput{p}, prev, in)
	if why != "" {
		return edit.Decline(why)
	}
	return &edit.Fix{
		Message: fmt.Sprintf("chain the command onto the RUN at line %d with &&: one layer instead of two", prev.StartLine),
		Edits:   edits,
	}
}
