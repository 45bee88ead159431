package shell

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Lang selects the shell dialect used to parse a script.
type Lang int

const (
	// LangBash parses Bash. It is the default: scripts run by /bin/sh -c
	// often contain bash-isms that still parse, and Bash is a superset of
	// POSIX sh for parsing purposes.
	LangBash Lang = iota
	// LangPOSIX parses strict POSIX sh; bash-only syntax is an error.
	LangPOSIX
	// LangMirBSDKorn parses mksh.
	LangMirBSDKorn
)

// String returns "bash", "posix" or "mksh".
func (l Lang) String() string {
	switch l {
	case LangPOSIX:
		return "posix"
	case LangMirBSDKorn:
		return "mksh"
	}
	return "bash"
}

func (l Lang) variant() syntax.LangVariant {
	switch l {
	case LangPOSIX:
		return syntax.LangPOSIX
	case LangMirBSDKorn:
		return syntax.LangMirBSDKorn
	}
	return syntax.LangBash
}

// Option configures Parse.
type Option func(*config)

type config struct {
	lang    Lang
	workdir string
	home    string
}

// WithLang selects the shell dialect (default LangBash).
func WithLang(l Lang) Option { return func(c *config) { c.lang = l } }

// WithWorkdir sets the directory the script starts in (the Dockerfile
// WORKDIR), used to resolve relative paths in clean-up analysis. It must
// be absolute to be used; by default the start directory is unknown.
func WithWorkdir(dir string) Option {
	return func(c *config) {
		if path.IsAbs(dir) {
			c.workdir = path.Clean(dir)
		}
	}
}

// WithHome sets the home directory that ~, $HOME and ${HOME} stand for in
// path operands and cd (default "/root"; "" disables the expansion).
func WithHome(dir string) Option { return func(c *config) { c.home = dir } }

// ParseError is a shell syntax error. Line and Col (1-based, Col in bytes)
// and Offset (0-based) locate it within the script text given to Parse.
type ParseError struct {
	// Line is the 1-based line of the error within the script.
	Line int
	// Col is the 1-based column, in bytes.
	Col int
	// Offset is the 0-based byte offset.
	Offset int
	// Msg describes the problem.
	Msg string
	// Incomplete is true when more input could have completed the script
	// (unclosed quote, missing fi, ...).
	Incomplete bool
	// Err is the underlying parser error.
	Err error
}

// Error formats the error as "shell: line L, column C: msg".
func (e *ParseError) Error() string {
	return fmt.Sprintf("shell: line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Unwrap returns the underlying parser error.
func (e *ParseError) Unwrap() error { return e.Err }

// Script is a parsed RUN script.
type Script struct {
	// Source is the text given to Parse.
	Source string
	// Lang is the dialect it was parsed as.
	Lang Lang
	// Commands are the simple commands of the script in source order,
	// including nested ones.
	Commands []*Command
	// CodeEnd is the byte offset just past the last statement: what
	// follows it is blanks and comments (or a here-document body).
	CodeEnd int

	pipelines []Pipeline
	removals  []removal
	ops       []*PackageOp
	exports   map[string][]export // by variable name, in source order
	home      string
}

// Pipeline is a pipeline of two or more stages ("a | b").
type Pipeline struct {
	// Pos and End delimit the pipeline in the source.
	Pos, End Pos
	// Text is the pipeline's source text.
	Text string
	// Stages is the number of stages.
	Stages int
	// Commands are the simple commands inside the pipeline, in source
	// order (see Command.PipeStage).
	Commands []*Command
}

// Parse parses the shell text of a RUN instruction. A syntax error is
// returned as *ParseError.
func Parse(src string, opts ...Option) (*Script, error) {
	var p Parser
	return p.Parse(src, opts...)
}

// Parser parses scripts one after another with the same mvdan/sh parsers
// (one per dialect, 2.5 KB each), as the RUNs of one Dockerfile are.
// The zero value is ready to use; it is not safe for concurrent use.
type Parser struct {
	parsers map[Lang]*syntax.Parser
}

// Parse parses src as the package's Parse does.
func (p *Parser) Parse(src string, opts ...Option) (*Script, error) {
	cfg := config{lang: LangBash, home: "/root"}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	f, err := p.parseFile(src, cfg.lang)
	if err != nil {
		return nil, err
	}
	b := &builder{src: src, cfg: cfg, cwd: cfg.workdir}
	b.stmts(f.Stmts, JoinEnd, scope{pipeline: -1}, true)
	s := &Script{Source: src, Lang: cfg.lang, home: cfg.home}
	if n := len(f.Stmts); n > 0 {
		s.CodeEnd = int(f.Stmts[n-1].End().Offset())
	}
	s.Commands = b.cmds
	sort.SliceStable(s.Commands, func(i, j int) bool { return s.Commands[i].Pos.Offset < s.Commands[j].Pos.Offset })
	s.pipelines = b.pipes
	for i, c := range s.Commands {
		c.Index = i
		if c.Pipeline >= 0 {
			s.pipelines[c.Pipeline].Commands = append(s.pipelines[c.Pipeline].Commands, c)
		}
	}
	s.exports = findExports(s.Commands)
	s.removals = s.findRemovals()
	s.ops = s.findPackageOps()
	return s, nil
}

// parseFile runs the third-party parser, converting its errors and, as a
// last resort, its panics into *ParseError (the parser that panicked is
// not used again).
func (p *Parser) parseFile(src string, lang Lang) (f *syntax.File, err error) {
	sp := p.parsers[lang]
	if sp == nil {
		sp = syntax.NewParser(syntax.Variant(lang.variant()))
	}
	defer func() {
		if r := recover(); r != nil {
			delete(p.parsers, lang)
			f, err = nil, &ParseError{Line: 1, Col: 1, Msg: fmt.Sprintf("internal parser failure: %v", r)}
		}
	}()
	f, err = sp.Parse(strings.NewReader(src), "")
	if p.parsers == nil {
		p.parsers = map[Lang]*syntax.Parser{}
	}
	p.parsers[lang] = sp
	if err != nil {
		return nil, convertError(err)
	}
	return f, nil
}

func convertError(err error) error {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		p := toPos(pe.Pos)
		return &ParseError{Line: p.Line, Col: p.Col, Offset: p.Offset, Msg: pe.Text, Incomplete: pe.Incomplete, Err: err}
	}
	var le syntax.LangError
	if errors.As(err, &le) {
		p := toPos(le.Pos)
		msg := strings.TrimPrefix(le.Error(), le.Pos.String()+": ")
		return &ParseError{Line: p.Line, Col: p.Col, Offset: p.Offset, Msg: msg, Err: err}
	}
	return &ParseError{Line: 1, Col: 1, Msg: err.Error(), Err: fmt.Errorf("parsing shell: %w", err)}
}

// scope carries the nesting context while walking the syntax tree.
type scope struct {
	inSubshell, inCmdSubst, inCondition, inBranch, inLoop, inFunction, negated bool
	pipeline, stage                                                            int
}

// builder walks the syntax tree and collects commands.
type builder struct {
	src   string
	cfg   config
	cmds  []*Command
	pipes []Pipeline
	cwd   string // current directory, "" when unknown
}

// stmts walks a statement list. follow is the Join of the last statement;
// inherit reports whether the list passes it on (brace groups, subshells,
// branches) rather than ending with JoinEnd.
func (b *builder) stmts(list []*syntax.Stmt, follow Join, sc scope, inherit bool) {
	for i, st := range list {
		j := JoinEnd
		switch {
		case i < len(list)-1:
			j = JoinNewline
			if st.Semicolon.IsValid() {
				j = JoinSemicolon
			}
		case inherit:
			j = follow
		}
		b.stmt(st, j, sc)
	}
}

func (b *builder) stmt(st *syntax.Stmt, follow Join, sc scope) {
	if st == nil {
		return
	}
	if st.Background || st.Coprocess || st.Disown {
		follow = JoinBackground
	}
	if st.Negated {
		sc.negated = true
	}
	if _, isCall := st.Cmd.(*syntax.CallExpr); !isCall {
		// Redirections of compound commands may hold substitutions.
		for _, r := range st.Redirs {
			b.nested(r, sc)
		}
	}
	switch x := st.Cmd.(type) {
	case *syntax.CallExpr:
		b.call(x, st, follow, sc)
	case *syntax.BinaryCmd:
		b.binary(st, x, follow, sc)
	case *syntax.Subshell:
		sc.inSubshell = true
		saved := b.cwd
		b.stmts(x.Stmts, follow, sc, true)
		b.cwd = saved
	case *syntax.Block:
		b.stmts(x.Stmts, follow, sc, true)
	case *syntax.IfClause:
		for c := x; c != nil; c = c.Else {
			cond := sc
			cond.inCondition = true
			b.stmts(c.Cond, JoinEnd, cond, false)
			branch := sc
			branch.inBranch = true
			b.stmts(c.Then, follow, branch, true)
		}
	case *syntax.WhileClause:
		cond := sc
		cond.inCondition, cond.inLoop = true, true
		b.stmts(x.Cond, JoinEnd, cond, false)
		body := sc
		body.inLoop = true
		b.stmts(x.Do, JoinEnd, body, false)
	case *syntax.ForClause:
		b.nested(x.Loop, sc)
		body := sc
		body.inLoop = true
		b.stmts(x.Do, JoinEnd, body, false)
	case *syntax.CaseClause:
		b.nested(x.Word, sc)
		for _, it := range x.Items {
			for _, p := range it.Patterns {
				b.nested(p, sc)
			}
			branch := sc
			branch.inBranch = true
			b.stmts(it.Stmts, follow, branch, true)
		}
	case *syntax.FuncDecl:
		fn := scope{inFunction: true, pipeline: -1}
		saved := b.cwd
		b.stmt(x.Body, JoinEnd, fn)
		b.cwd = saved
	case *syntax.DeclClause:
		b.decl(x, st, follow, sc)
	case *syntax.LetClause:
		b.let(x, st, follow, sc)
	case *syntax.TimeClause:
		b.stmt(x.Stmt, follow, sc)
	case *syntax.CoprocClause:
		if x.Name != nil {
			b.nested(x.Name, sc)
		}
		sc.inSubshell = true
		saved := b.cwd
		b.stmt(x.Stmt, JoinBackground, sc)
		b.cwd = saved
	case *syntax.TestDecl:
		b.nested(x.Description, sc)
		b.stmt(x.Body, follow, sc)
	case nil:
	default:
		// [[ ]], (( )) and anything newer: only look for substitutions.
		b.nested(x, sc)
	}
}

// binary handles &&, || and pipelines.
func (b *builder) binary(st *syntax.Stmt, x *syntax.BinaryCmd, follow Join, sc scope) {
	switch x.Op {
	case syntax.AndStmt, syntax.OrStmt:
		op := JoinAnd
		if x.Op == syntax.OrStmt {
			op = JoinOr
		}
		b.stmt(x.X, op, sc)
		b.stmt(x.Y, follow, sc)
	default: // Pipe, PipeAll
		stages := pipeStages(st)
		pos, end := toPos(st.Pos()), toPos(x.End())
		idx := len(b.pipes)
		b.pipes = append(b.pipes, Pipeline{Pos: pos, End: end, Text: slice(b.src, pos.Offset, end.Offset), Stages: len(stages)})
		saved := b.cwd
		for i, s := range stages {
			ssc := sc
			ssc.pipeline, ssc.stage = idx, i
			if _, simple := s.Cmd.(*syntax.CallExpr); !simple {
				ssc.inSubshell = true
			}
			j := JoinPipe
			if i == len(stages)-1 {
				j = follow
			}
			b.cwd = saved
			b.stmt(s, j, ssc)
		}
		// Every stage runs in its own process: cd inside does not leak.
		b.cwd = saved
	}
}

// pipeStages flattens a left-associated chain of pipes into its stages.
func pipeStages(st *syntax.Stmt) []*syntax.Stmt {
	bc, ok := st.Cmd.(*syntax.BinaryCmd)
	if !ok || (bc.Op != syntax.Pipe && bc.Op != syntax.PipeAll) {
		return []*syntax.Stmt{st}
	}
	left := []*syntax.Stmt{bc.X}
	if !bc.X.Negated && !bc.X.Background && len(bc.X.Redirs) == 0 {
		left = pipeStages(bc.X)
	}
	return append(left, bc.Y)
}

// nested walks node looking for command and process substitutions, whose
// statements are analysed in a new scope.
func (b *builder) nested(node syntax.Node, sc scope) {
	if node == nil {
		return
	}
	syntax.Walk(node, func(n syntax.Node) bool {
		var list []*syntax.Stmt
		switch x := n.(type) {
		case *syntax.CmdSubst:
			list = x.Stmts
		case *syntax.ProcSubst:
			list = x.Stmts
		default:
			return true
		}
		inner := sc
		inner.inCmdSubst = true
		inner.pipeline, inner.stage = -1, 0
		inner.negated = false
		saved := b.cwd
		b.stmts(list, JoinEnd, inner, false)
		b.cwd = saved
		return false
	})
}

// call converts a simple command.
func (b *builder) call(x *syntax.CallExpr, st *syntax.Stmt, follow Join, sc scope) {
	if len(x.Args) == 0 && len(x.Assigns) == 0 {
		return
	}
	for _, a := range x.Assigns {
		b.nested(a, sc)
	}
	for _, w := range x.Args {
		b.nested(w, sc)
	}
	for _, r := range st.Redirs {
		b.nested(r, sc)
	}
	words := make([]Word, len(x.Args))
	for i, w := range x.Args {
		words[i] = wordFrom(b.src, w)
	}
	assigns := make([]Assign, 0, len(x.Assigns))
	for _, a := range x.Assigns {
		assigns = append(assigns, assignFrom(b.src, a))
	}
	c := b.newCommand(words, assigns, st, follow, sc)
	c.Pos, c.End = toPos(x.Pos()), toPos(x.End())
	c.Text = slice(b.src, c.Pos.Offset, c.End.Offset)
	b.add(c)
}

// decl converts export/declare/local/readonly/typeset/nameref, whose
// arguments are shown as words ("FOO=bar" when literal).
func (b *builder) decl(x *syntax.DeclClause, st *syntax.Stmt, follow Join, sc scope) {
	for _, a := range x.Args {
		b.nested(a, sc)
	}
	for _, r := range st.Redirs {
		b.nested(r, sc)
	}
	vp, ve := toPos(x.Variant.Pos()), toPos(x.Variant.End())
	words := []Word{b.srcLit(x.Variant.Value, vp, ve)}
	for _, a := range x.Args {
		words = append(words, b.declWord(a))
	}
	c := b.newCommand(words, nil, st, follow, sc)
	c.Pos, c.End = toPos(x.Pos()), toPos(x.End())
	c.Text = slice(b.src, c.Pos.Offset, c.End.Offset)
	b.add(c)
}

func (b *builder) declWord(a *syntax.Assign) Word {
	if a.Naked && a.Name == nil && a.Value != nil {
		return wordFrom(b.src, a.Value)
	}
	as := assignFrom(b.src, a)
	if a.Naked {
		return b.srcLit(as.Name, as.Pos, as.End)
	}
	raw := slice(b.src, as.Pos.Offset, as.End.Offset)
	op := "="
	if a.Append {
		op = "+="
	}
	if !as.Value.Literal || a.Index != nil {
		return Word{Value: raw, Raw: raw, Pos: as.Pos, End: as.End}
	}
	w := litWord(as.Name+op+as.Value.Value, as.Pos, as.End)
	w.Raw = raw
	return w
}

// srcLit builds a literal word whose Raw is the source between pos and end
// (the parser may drop bytes such as NUL from literal values).
func (b *builder) srcLit(value string, pos, end Pos) Word {
	w := litWord(value, pos, end)
	w.Raw = slice(b.src, pos.Offset, end.Offset)
	return w
}

// let converts a bash let clause; its expressions are kept as raw words.
func (b *builder) let(x *syntax.LetClause, st *syntax.Stmt, follow Join, sc scope) {
	b.nested(x, sc)
	lp := toPos(x.Let)
	words := []Word{b.srcLit("let", lp, Pos{Line: lp.Line, Col: lp.Col + 3, Offset: lp.Offset + 3})}
	for _, e := range x.Exprs {
		p, e2 := toPos(e.Pos()), toPos(e.End())
		raw := slice(b.src, p.Offset, e2.Offset)
		words = append(words, Word{Value: raw, Raw: raw, Pos: p, End: e2})
	}
	c := b.newCommand(words, nil, st, follow, sc)
	c.Pos, c.End = lp, words[len(words)-1].End
	c.Text = slice(b.src, c.Pos.Offset, c.End.Offset)
	b.add(c)
}

// newCommand builds a Command from its argv words, stripping wrappers.
func (b *builder) newCommand(words []Word, assigns []Assign, st *syntax.Stmt, follow Join, sc scope) *Command {
	c := &Command{
		Assigns:     assigns,
		Join:        follow,
		Pipeline:    sc.pipeline,
		PipeStage:   sc.stage,
		Negated:     sc.negated,
		InSubshell:  sc.inSubshell,
		InCmdSubst:  sc.inCmdSubst,
		InCondition: sc.inCondition,
		InBranch:    sc.inBranch,
		InLoop:      sc.inLoop,
		InFunction:  sc.inFunction,
		Dir:         b.cwd,
	}
	if sc.pipeline < 0 {
		c.PipeStage = 0
	}
	for _, r := range st.Redirs {
		c.Redirects = append(c.Redirects, redirectFrom(b.src, r))
	}
	if len(words) == 0 {
		return c
	}
	u := stripWrappers(words)
	c.Wrappers, c.Sudo, c.SudoArgs = u.wrappers, u.sudo, u.sudoArgs
	c.Assigns = append(c.Assigns, u.assigns...)
	c.Prefix = words[:u.start]
	if u.start < len(words) {
		c.NameWord = words[u.start]
		if c.NameWord.Literal {
			c.Name = c.NameWord.Value
		}
		c.ArgWords = words[u.start+1:]
	}
	c.Args = make([]string, len(c.ArgWords))
	for i, w := range c.ArgWords {
		c.Args[i] = w.Value
	}
	c.grammar = grammarFor(c.Base())
	return c
}

// add records c and applies its effect on the working directory.
func (b *builder) add(c *Command) {
	b.cmds = append(b.cmds, c)
	if c.Is("cd", "pushd") && !c.InPipeline() {
		b.cwd = b.chdir(c)
	}
}

// chdir returns the directory after the cd command c, "" when unknown.
func (b *builder) chdir(c *Command) string {
	ops := c.Operands()
	if len(ops) == 0 {
		if c.Is("pushd") {
			return ""
		}
		return b.cfg.home
	}
	if ops[0].Value == "-" {
		return ""
	}
	p, ok := b.resolve(ops[0], c.Dir)
	if !ok || strings.ContainsAny(p, "*?[") {
		return ""
	}
	return p
}

// resolve turns a literal path operand into an absolute, cleaned glob
// pattern (quoted metacharacters escaped), expanding a leading ~, $HOME or
// ${HOME} and resolving relative paths against dir.
func (b *builder) resolve(w Word, dir string) (string, bool) {
	return resolvePath(w, dir, b.cfg.home)
}

func resolvePath(w Word, dir, home string) (string, bool) {
	var pat string
	switch {
	case w.Literal:
		pat = w.pattern
		if home != "" && (pat == "~" || strings.HasPrefix(pat, "~/")) {
			pat = escapeGlob(home) + pat[1:]
		}
	case home != "":
		// Only $HOME / ${HOME} (optionally quoted) followed by literal text.
		raw := strings.Trim(w.Raw, `"`)
		var rest string
		switch {
		case raw == "$HOME" || strings.HasPrefix(raw, "$HOME/"):
			rest = raw[len("$HOME"):]
		case raw == "${HOME}" || strings.HasPrefix(raw, "${HOME}/"):
			rest = raw[len("${HOME}"):]
		default:
			return "", false
		}
		if strings.ContainsAny(rest, "$`\"'\\") {
			return "", false
		}
		pat = escapeGlob(home) + rest
	default:
		return "", false
	}
	if pat == "" {
		return "", false
	}
	if !path.IsAbs(pat) {
		if dir == "" {
			return "", false
		}
		pat = escapeGlob(dir) + "/" + pat
	}
	return path.Clean(pat), true
}

// grammarFor returns the built-in grammar for a program's base name.
func grammarFor(base string) *Grammar {
	if g, ok := grammars[base]; ok {
		return g
	}
	if isPipName(base) {
		return pipGrammar
	}
	if isPythonName(base) {
		return pythonGrammar
	}
	return nil
}
