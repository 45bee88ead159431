package shell

import (
	"iter"
	"sort"
	"strings"
)

// Find returns the commands whose Name or base name equals one of names,
// in source order.
func (s *Script) Find(names ...string) []*Command {
	var out []*Command
	for _, c := range s.Commands {
		if c.Is(names...) {
			out = append(out, c)
		}
	}
	return out
}

// CDs returns the cd commands.
func (s *Script) CDs() []*Command { return s.Find("cd") }

// UsesSudo reports whether any command runs through sudo or is sudo
// itself (sudo -v, sudo -l).
func (s *Script) UsesSudo() bool {
	for _, c := range s.Commands {
		if c.Sudo || c.Is("sudo") {
			return true
		}
	}
	return false
}

// Pipelines returns the pipelines of the script in the order they were
// found (outer before inner); Command.Pipeline indexes this slice.
func (s *Script) Pipelines() []Pipeline { return s.pipelines }

// HasPipes reports whether the script contains a pipeline.
func (s *Script) HasPipes() bool { return len(s.pipelines) > 0 }

// HasPipefail reports whether the script turns on pipefail with set (set
// -o pipefail, set -eo pipefail, set -euxo pipefail, ...; set +o pipefail
// turns it off) before its first pipeline, or anywhere when it has no
// pipeline. Only set commands that affect the main shell count (not those
// in subshells, command substitutions, pipelines or functions). Whether
// the Dockerfile SHELL enables pipefail is the caller's business (see
// ShellHasPipefail).
func (s *Script) HasPipefail() bool {
	first := -1
	for _, p := range s.pipelines {
		if first < 0 || p.Pos.Offset < first {
			first = p.Pos.Offset
		}
	}
	on := false
	for _, c := range s.Commands {
		if first >= 0 && c.Pos.Offset >= first {
			break
		}
		if !c.Is("set") || c.InSubshell || c.InCmdSubst || c.InPipeline() || c.InFunction {
			continue
		}
		if v, ok := setOption(c.Args, "pipefail"); ok {
			on = v
		}
	}
	return on
}

// setOption scans set-style arguments ("-euo pipefail", "-o pipefail",
// "+o pipefail") for the named -o option. It returns its final state and
// whether it was mentioned.
func setOption(args []string, name string) (on, found bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" {
			return on, found
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
			continue
		}
		enable := a[0] == '-'
		if strings.HasPrefix(a, "--") || strings.HasPrefix(a, "++") {
			continue
		}
		letters := a[1:]
		if strings.ContainsRune(letters, 'o') && i+1 < len(args) {
			// Each 'o' in a cluster consumes the next argument.
			for _, ch := range letters {
				if ch != 'o' || i+1 >= len(args) {
					continue
				}
				i++
				if args[i] == name {
					on, found = enable, true
				}
			}
		}
	}
	return on, found
}

// Words iterates over every word of every command: the prefix (wrappers),
// the name and the arguments, with the command they belong to.
func (s *Script) Words() iter.Seq2[*Command, Word] {
	return func(yield func(*Command, Word) bool) {
		for _, c := range s.Commands {
			for _, w := range c.Prefix {
				if !yield(c, w) {
					return
				}
			}
			if c.NameWord.Raw != "" {
				if !yield(c, c.NameWord) {
					return
				}
			}
			for _, w := range c.ArgWords {
				if !yield(c, w) {
					return
				}
			}
		}
	}
}

// export is one NAME=value exported by a command.
type export struct {
	cmd   *Command
	value string
}

// findExports indexes the NAME=value arguments of export, declare -x and
// typeset -x commands by name.
func findExports(cmds []*Command) map[string][]export {
	var m map[string][]export
	for _, e := range cmds {
		if !exports(e) {
			continue
		}
		for _, a := range e.ArgWords {
			if k, v, ok := strings.Cut(a.Value, "="); ok && a.Literal && validName(k) {
				if m == nil {
					m = map[string][]export{}
				}
				m[k] = append(m[k], export{cmd: e, value: v})
			}
		}
	}
	return m
}

// Env returns the value environment variable name has for command c: from
// c's own assignments (VAR=x cmd, env VAR=x cmd), else from the last
// "export NAME=value" (or declare/typeset -x) before c in the main shell or
// in a subshell when c is in one too. Plain "NAME=value" without export is
// not passed to programs and does not count.
func (s *Script) Env(c *Command, name string) (string, bool) {
	if c == nil {
		return "", false
	}
	if v, ok := c.Env(name); ok {
		return v, true
	}
	list := s.exports[name]
	i := sort.Search(len(list), func(i int) bool { return list[i].cmd.Pos.Offset >= c.Pos.Offset })
	for j := i - 1; j >= 0; j-- {
		e := list[j].cmd
		if e.InCmdSubst || e.InFunction || (e.InSubshell && !c.InSubshell) {
			continue
		}
		return list[j].value, true
	}
	return "", false
}

// exports reports whether e exports its NAME=value arguments.
func exports(e *Command) bool {
	switch {
	case e.Is("export"):
		return true
	case e.Is("declare", "typeset"):
		for _, a := range e.Args {
			if strings.HasPrefix(a, "-") && strings.Contains(a, "x") {
				return true
			}
		}
	}
	return false
}
