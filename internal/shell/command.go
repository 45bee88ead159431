package shell

import (
	"path"
	"strings"
)

// Join tells how a command is connected to what follows it.
type Join int

const (
	// JoinEnd means nothing follows at this nesting level: the command is
	// the last of the script, of a command substitution, of a loop body or
	// of an if/while condition.
	JoinEnd Join = iota
	// JoinAnd is "&&".
	JoinAnd
	// JoinOr is "||".
	JoinOr
	// JoinPipe is "|" or "|&".
	JoinPipe
	// JoinSemicolon is ";".
	JoinSemicolon
	// JoinNewline is a newline separating two commands.
	JoinNewline
	// JoinBackground is "&": the command (or the list it ends) runs in the
	// background.
	JoinBackground
)

// String returns the operator as written ("&&", "||", "|", ";", "\n",
// "&") or "" for JoinEnd.
func (j Join) String() string {
	switch j {
	case JoinAnd:
		return "&&"
	case JoinOr:
		return "||"
	case JoinPipe:
		return "|"
	case JoinSemicolon:
		return ";"
	case JoinNewline:
		return "\n"
	case JoinBackground:
		return "&"
	}
	return ""
}

// Command is one simple command of a script, e.g. "sudo apt-get install -y
// curl". Wrappers such as sudo and env are stripped so that Name is the
// program that really runs.
//
// The last command of a brace group, subshell, if/else branch or case item
// inherits the Join of that construct: in "{ a; b; } && c", b has JoinAnd.
type Command struct {
	// Name is argv[0] of the real command as written (after wrappers),
	// unquoted; "" when it is not literal or when the command is only
	// variable assignments ("FOO=bar").
	Name string
	// NameWord is the word Name comes from (zero for assignment-only
	// commands).
	NameWord Word
	// Args are the arguments after Name: unquoted values for literal
	// words, raw source text otherwise. Args[i] == ArgWords[i].Value.
	Args []string
	// ArgWords are the argument words with their positions.
	ArgWords []Word
	// Assigns are the leading VAR=val prefixes, including those given to
	// env or sudo (see Assign.Via).
	Assigns []Assign
	// Wrappers lists the stripped wrapper programs in order, e.g.
	// ["sudo", "env"]. Recognised: sudo, doas, env, command, exec, nice,
	// nohup, time, timeout, stdbuf, xargs, eatmydata, gosu, su-exec,
	// chronic.
	Wrappers []string
	// Sudo reports whether the command runs through sudo.
	Sudo bool
	// SudoArgs are sudo's own options and their values (literal values),
	// e.g. ["-u", "app", "-E"].
	SudoArgs []string
	// Prefix holds every word before NameWord that belongs to wrappers:
	// wrapper names, their options, option values and env assignments.
	Prefix []Word
	// Redirects are the command's redirections (including here-documents).
	Redirects []Redirect
	// Pos is where the command starts (its first assignment, wrapper or
	// name) and End just past its last word.
	Pos, End Pos
	// Text is the source text between Pos and End.
	Text string
	// Join tells what connects the command to the next one.
	Join Join
	// Pipeline is the index of the enclosing pipeline in
	// Script.Pipelines(), or -1; PipeStage is the command's stage (0-based)
	// within it.
	Pipeline, PipeStage int
	// Negated is true inside a statement negated with "!".
	Negated bool
	// InSubshell is true inside ( ... ), a pipeline stage other than a
	// simple command, or a coprocess.
	InSubshell bool
	// InCmdSubst is true inside $( ... ), backquotes or a process
	// substitution <( ... ).
	InCmdSubst bool
	// InCondition is true inside the condition list of if, elif, while or
	// until.
	InCondition bool
	// InBranch is true inside a then/else branch or a case item.
	InBranch bool
	// InLoop is true inside the body of a for, while, until or select loop.
	InLoop bool
	// InFunction is true inside a function body.
	InFunction bool
	// Dir is the working directory the command runs in when it is known
	// statically from WithWorkdir and preceding literal cd commands; ""
	// when unknown.
	Dir string
	// Index is the position of the command in Script.Commands.
	Index int

	grammar *Grammar
}

// InPipeline reports whether the command is a stage of a pipeline.
func (c *Command) InPipeline() bool { return c.Pipeline >= 0 }

// IsAssignment reports whether the command only assigns variables.
func (c *Command) IsAssignment() bool { return c.Name == "" && c.NameWord.Raw == "" }

// Base returns the last path element of Name ("apt-get" for
// "/usr/bin/apt-get").
func (c *Command) Base() string { return baseName(c.Name) }

// Is reports whether the command's Name or its base name equals one of
// names.
func (c *Command) Is(names ...string) bool {
	if c.Name == "" {
		return false
	}
	b := c.Base()
	for _, n := range names {
		if n == c.Name || n == b {
			return true
		}
	}
	return false
}

// HasArgs reports whether any argument equals one of values.
func (c *Command) HasArgs(values ...string) bool {
	for _, a := range c.Args {
		for _, v := range values {
			if a == v {
				return true
			}
		}
	}
	return false
}

// Grammar returns the built-in option grammar used for the command, or nil
// when the program is unknown (all options are then booleans).
func (c *Command) Grammar() *Grammar { return c.grammar }

// ParseArgs splits the arguments into options and operand words using g
// (nil: every option is a boolean).
func (c *Command) ParseArgs(g *Grammar) (flags []Flag, operands []Word) {
	flags, idx := parseArgs(c.ArgWords, g, nil)
	operands = make([]Word, 0, len(idx))
	for _, i := range idx {
		operands = append(operands, c.ArgWords[i])
	}
	return flags, operands
}

// Flags returns the options of the command parsed with its built-in
// grammar.
func (c *Command) Flags() []Flag {
	f, _ := parseArgs(c.ArgWords, c.grammar, nil)
	return f
}

// Operands returns the non-option arguments, parsed with the built-in
// grammar (so option values are not operands).
func (c *Command) Operands() []Word {
	_, ops := c.ParseArgs(c.grammar)
	return ops
}

func (c *Command) flagSet(valueNames []string) flagSet {
	f, _ := parseArgs(c.ArgWords, c.grammar, valueNames)
	return flagSet{flags: f, goStyle: c.grammar != nil && c.grammar.GoStyle}
}

// HasFlag reports whether any of the named options is present. Names are
// written with their dashes: "-y" matches -y and clusters such as -qy;
// "--yes" matches --yes and --yes=...; a single-dash name of several
// letters ("-qq") matches that exact option word. A bare name is taken as
// short when it has one letter and long otherwise. Option values are
// skipped according to the program's built-in grammar.
func (c *Command) HasFlag(names ...string) bool { return c.flagSet(nil).has(names) }

// FlagCount returns how many times the named options occur; clusters
// count each letter ("-qq" counts 2 for "-q").
func (c *Command) FlagCount(names ...string) int { return c.flagSet(nil).count(names) }

// FlagValue returns the value of the last occurrence of the named options
// that has a value. The queried names are treated as taking a value
// (--opt=v, --opt v, -o v, -ov) even when the built-in grammar does not
// know them.
func (c *Command) FlagValue(names ...string) (string, bool) {
	return c.flagSet(names).value(names)
}

// FlagValues returns the values of every occurrence of the named options,
// in order (see FlagValue).
func (c *Command) FlagValues(names ...string) []string { return c.flagSet(names).values(names) }

// Env returns the value the command gives to variable name through its
// own assignments (VAR=x cmd, env VAR=x cmd, sudo VAR=x cmd).
func (c *Command) Env(name string) (string, bool) {
	for i := len(c.Assigns) - 1; i >= 0; i-- {
		if c.Assigns[i].Name == name {
			return c.Assigns[i].Value.Value, true
		}
	}
	return "", false
}

// baseName returns the last element of a slash- or backslash-separated
// path.
func baseName(s string) string {
	i := len(s) - 1 // the last separator (a loop: rules call this for every command)
	for i >= 0 && s[i] != '/' && s[i] != '\\' {
		i--
	}
	switch {
	case i < 0:
		return s
	case i < len(s)-1:
		return s[i+1:]
	}
	return path.Base(strings.ReplaceAll(s, `\`, "/"))
}
