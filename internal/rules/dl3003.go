package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3003 reports cd used to change the working directory.
var DL3003 = &Rule{
	ID:       "DL3003",
	Name:     "use-workdir",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use WORKDIR to switch to a directory.",
		Why: "cd only lasts until the end of the RUN; the next instruction starts in the WORKDIR " +
			"again, which is easy to forget and makes the Dockerfile hard to follow. WORKDIR sets the " +
			"directory for every following instruction and creates it if needed. A cd inside a " +
			"subshell ( cd dir && make ) or into a directory made in the same RUN (mktemp) is not " +
			"reported: it cannot be replaced by WORKDIR. The fix turns a leading cd DIR && into a " +
			"WORKDIR before the RUN and adds a WORKDIR after it back to the directory in force before " +
			"(/ when the Dockerfile sets none), even at the end of a stage, which may be built with " +
			"--target; when that directory already is DIR the cd is only dropped. It is offered only " +
			"when that directory is known: a WORKDIR earlier in the stage chain, or a scratch or " +
			"distribution base (language images such as golang set a WORKDIR of their own).",
		Bad:  "RUN cd /app && make",
		Good: "WORKDIR /app\nRUN make",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("cd") {
				if c.InSubshell || c.InCmdSubst || cdToTemp(c) {
					continue
				}
				if fix := cdFix(p, r, c); fix != nil {
					p.ReportFix(r.outer, fix, "%sUse WORKDIR to switch to a directory", r.prefix())
				} else {
					p.ReportFix(r.outer, edit.Decline(cdDeclined(r, c)), "%sUse WORKDIR to switch to a directory", r.prefix())
				}
				break
			}
		}
		return nil
	},
}

// cdDeclined says why cdFix offers no WORKDIR for the cd c.
func cdDeclined(r shRun, c *shellCmd) string {
	if len(r.scripts) != 1 || len(r.scripts[0].Commands) == 0 || r.scripts[0].Commands[0] != c.Command {
		return "the cd is not the RUN's first command: a WORKDIR would move the commands before it too"
	}
	return "the cd cannot become a WORKDIR exactly (a path with a variable or a glob, a cd in a group or a condition, a directory the base image sets, or a later command that needs the starting directory)"
}

// cdFix moves the cd DIR that starts a RUN script into a WORKDIR:
// "RUN cd /app && make" becomes "WORKDIR /app", "RUN make" and a WORKDIR
// back to the previous directory. It returns nil unless the RUN is a
// shell-form RUN of a stage (no ONBUILD, no heredoc) whose script starts
// with a plain "cd DIR &&" (one literal path argument, no options, no
// wrappers, assignments or redirections, not in a subshell, a group or a
// background list), the directory can be made absolute and written as
// is, and nothing else in the RUN depends on the directory it started in
// (cd -, $OLDPWD, relative mount targets).
func cdFix(p *Pass, r shRun, c *shellCmd) *edit.Fix {
	f, in := p.File, r.run
	if r.onbuild || r.outer != in || in.JSON || len(in.Heredocs) > 0 || len(r.scripts) != 1 {
		return nil
	}
	rs := r.scripts[0]
	if rs.Heredoc || c.script != rs || len(rs.Commands) < 2 || rs.Commands[0] != c.Command {
		return nil
	}
	src := rs.Source
	start := c.Pos.Offset
	if start > len(src) || strings.TrimLeft(src[:start], " \t") != "" || c.NameWord.Pos.Offset != start ||
		c.InSubshell || c.InCmdSubst || c.InCondition || c.InBranch || c.InLoop || c.InFunction || c.Negated ||
		c.InPipeline() || c.Join != shell.JoinAnd || c.Name != "cd" || len(c.Assigns) > 0 || len(c.Wrappers) > 0 ||
		len(c.Prefix) > 0 || len(c.Redirects) > 0 || len(c.ArgWords) != 1 {
		return nil
	}
	arg := c.ArgWords[0]
	if !arg.Literal || arg.Glob || dockerfile.HasVariable(arg.Raw) || !cdPlainPath(arg.Value) {
		return nil
	}
	// A background list runs in a subshell: "cd /a && make & ls" lists
	// the directory the RUN started in.
	for _, o := range rs.Commands {
		if o.Join == shell.JoinBackground || o != c.Command && o.Is("cd") && o.HasArgs("-") {
			return nil
		}
	}
	if strings.Contains(src, "OLDPWD") {
		return nil
	}
	// Relative mount targets are resolved against the WORKDIR.
	for _, m := range r.mounts() {
		if t := dockerfile.TrimQuotes(m.Target); t != "" && !strings.HasPrefix(t, "/") {
			return nil
		}
	}
	prev := in.Workdir()
	if !workdirCertain(in) {
		// The base image may set a WORKDIR of its own (golang: /go):
		// restoring "/" would change what follows.
		return nil
	}
	if !strings.HasPrefix(arg.Value, "/") {
		// cd looks a relative name up in $CDPATH first.
		if _, ok := r.vars.lookup("CDPATH"); ok || dockerfile.HasVariable(prev) {
			return nil
		}
	}
	dir := dockerfile.ResolvePath(prev, arg.Value)
	if dir == "" || prev == "" || !cdPlainPath(dir) || !cdPlainPath(prev) {
		return nil
	}
	// The cd and the && after it, with the blanks up to the next command.
	i := c.End.Offset
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if !strings.HasPrefix(src[i:], "&&") {
		return nil
	}
	i += 2
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i >= len(src) || src[i] == '\n' || src[i] == '#' {
		return nil
	}
	m, ok := edit.ShellFormOffsets(f, in, rs)
	if !ok {
		return nil
	}
	cut := edit.TextEdit{Pos: m(start), End: m(i)}
	kw := f.Offset(in.StartLine, in.Column)
	lineStart := f.Offset(in.StartLine, 1)
	if cut.Pos <= kw || cut.End <= cut.Pos || cut.End > len(f.Source) ||
		strings.Contains(string(f.Source[cut.Pos:cut.End]), "#") ||
		strings.Trim(string(f.Source[lineStart:kw]), " \t") != "" {
		return nil
	}
	after, pre := edit.After(f, in)
	region := &edit.Span{Pos: lineStart, End: after}
	if dir == prev {
		return &edit.Fix{Message: "remove cd " + arg.Value + ": the RUN already starts in " + dir, Edits: []edit.TextEdit{cut}, Region: region}
	}
	nl := f.Newline()
	indent := string(f.Source[lineStart:kw])
	workdir := edit.Keyword(in, "workdir")
	return &edit.Fix{
		Region:  region,
		Message: "switch to " + dir + " with WORKDIR before the RUN and back to " + prev + " after it",
		Edits: []edit.TextEdit{
			{Pos: kw, End: kw, NewText: workdir + " " + dir + nl + indent},
			cut,
			{Pos: after, End: after, NewText: pre + indent + workdir + " " + prev + nl},
		},
	}
}

// cdPlainPath reports whether a cd operand or WORKDIR path can be written
// in a WORKDIR as is and names the same directory for cd: no quoting,
// variables, escapes, blanks or tilde, and not an option.
func cdPlainPath(s string) bool {
	if s == "" || s[0] == '-' || s[0] == '~' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./@%+,:=-", c) >= 0) {
			return false
		}
	}
	return true
}

// cdToTemp reports whether a cd goes into a directory computed at run
// time (cd "$(mktemp -d)", cd "$tmp"), which WORKDIR cannot name.
func cdToTemp(c *shellCmd) bool {
	for _, w := range c.ArgWords {
		if strings.Contains(w.Raw, "mktemp") {
			return true
		}
	}
	return false
}

// workdirCertain reports whether the working directory in force before
// in is known: set by a WORKDIR of its stage chain, or the chain starts
// from scratch or from a distribution image, which leaves it at "/".
// Language images set their own (golang: /go) and are not trusted.
func workdirCertain(in *dockerfile.Instruction) bool {
	root := rootStage(in.Stage)
	for s := in.Stage; s != nil; s = s.BaseStage {
		for _, i := range s.Instructions {
			if i == in {
				break
			}
			if i.Cmd == "workdir" {
				return true
			}
		}
		if s == root {
			break
		}
	}
	return root != nil && plainBase(root.Base)
}
