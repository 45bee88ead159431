package shell

import (
	"strings"
)

// wrapperSpec describes a program that runs another command given as its
// operands.
type wrapperSpec struct {
	grammar *Grammar
	// skip is the number of operands that precede the wrapped command
	// (timeout's duration, gosu's user).
	skip int
	// assigns: VAR=val words before the command are environment settings.
	assigns bool
	// noWrap lists options with which the program does not run a command
	// (command -v, env -S splits a string we do not analyse).
	noWrap []string
	// numeric: "-N" words are options (nice -10).
	numeric bool
}

// wrappers is read-only after initialisation.
var wrappers = map[string]wrapperSpec{
	"sudo": {grammar: &Grammar{ShortValue: "ugpCDrtTUhR", LongValue: []string{"user", "group", "prompt",
		"close-from", "chdir", "role", "type", "command-timeout", "other-user", "host", "chroot"}, StopAtOperand: true},
		assigns: true, noWrap: []string{"-v", "--validate", "-k", "--reset-timestamp", "-K", "--remove-timestamp", "-l", "--list", "-e", "--edit", "-V", "--version"}},
	"doas": {grammar: &Grammar{ShortValue: "uC", StopAtOperand: true}},
	"env": {grammar: &Grammar{ShortValue: "uCSP", LongValue: []string{"unset", "chdir", "split-string", "default-signal", "ignore-signal", "block-signal"}, StopAtOperand: true},
		assigns: true, noWrap: []string{"-S", "--split-string"}},
	"command":   {grammar: &Grammar{StopAtOperand: true}, noWrap: []string{"-v", "-V"}},
	"exec":      {grammar: &Grammar{ShortValue: "a", StopAtOperand: true}},
	"nice":      {grammar: &Grammar{ShortValue: "n", LongValue: []string{"adjustment"}, StopAtOperand: true}, numeric: true},
	"nohup":     {grammar: &Grammar{StopAtOperand: true}},
	"time":      {grammar: &Grammar{ShortValue: "fo", LongValue: []string{"format", "output"}, StopAtOperand: true}},
	"timeout":   {grammar: &Grammar{ShortValue: "sk", LongValue: []string{"signal", "kill-after"}, StopAtOperand: true}, skip: 1},
	"stdbuf":    {grammar: &Grammar{ShortValue: "ioe", LongValue: []string{"input", "output", "error"}, StopAtOperand: true}},
	"eatmydata": {grammar: &Grammar{StopAtOperand: true}},
	"chronic":   {grammar: &Grammar{StopAtOperand: true}},
	"gosu":      {grammar: &Grammar{StopAtOperand: true}, skip: 1},
	"su-exec":   {grammar: &Grammar{StopAtOperand: true}, skip: 1},
	"xargs": {grammar: &Grammar{ShortValue: "adEILnPs", OptionalShort: "eil", LongValue: []string{"arg-file",
		"delimiter", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var"}, StopAtOperand: true}},
}

// unwrapped is the result of stripping wrappers from a word list.
type unwrapped struct {
	start    int // index of the real command name in words; len(words) if none
	wrappers []string
	sudo     bool
	sudoArgs []string
	assigns  []Assign
}

// stripWrappers finds the real command in words (argv including argv[0]).
// A wrapper that has no command after it (sudo -v, env, xargs) is itself
// the command.
func stripWrappers(words []Word) unwrapped {
	var u unwrapped
	i := 0
	for i < len(words) {
		w := words[i]
		if !w.Literal {
			break
		}
		name := baseName(w.Value)
		spec, ok := wrappers[name]
		if !ok {
			break
		}
		optEnd, next, assigns, ok := skipWrapper(words, i, spec)
		if !ok || next >= len(words) {
			break
		}
		u.wrappers = append(u.wrappers, name)
		if name == "sudo" {
			u.sudo = true
			for _, a := range words[i+1 : optEnd] {
				u.sudoArgs = append(u.sudoArgs, a.Value)
			}
		}
		for k := range assigns {
			assigns[k].Via = name
		}
		u.assigns = append(u.assigns, assigns...)
		i = next
	}
	u.start = i
	return u
}

// skipWrapper returns, for the wrapper at words[at], the index just past
// its options, the index of the wrapped command, the assignments the
// wrapper makes, and false when the wrapper does not run a command.
func skipWrapper(words []Word, at int, spec wrapperSpec) (optEnd, next int, assigns []Assign, ok bool) {
	rest := words[at+1:]
	i := 0
	for i < len(rest) {
		s := rest[i].Value
		if s == "--" {
			i++
			break
		}
		if len(s) < 2 || s[0] != '-' || !rest[i].Literal {
			break
		}
		if spec.numeric && isDigits(s[1:]) {
			i++
			continue
		}
		flags, _ := parseArgs(rest[i:i+1], spec.grammar, nil)
		if len(flags) == 0 {
			break
		}
		for _, f := range flags {
			if anyMatch(f, spec.noWrap, false) {
				return 0, 0, nil, false
			}
		}
		i++
		if last := flags[len(flags)-1]; !last.HasValue && takesSeparateValue(spec.grammar, last.Name) {
			i++
		}
	}
	optEnd = at + 1 + min(i, len(rest))
	if spec.assigns {
		for i < len(rest) {
			a, ok := wordAssign(rest[i])
			if !ok {
				break
			}
			assigns = append(assigns, a)
			i++
		}
	}
	i += spec.skip
	return optEnd, at + 1 + i, assigns, true
}

// wordAssign interprets an argument word such as FOO=bar or FOO="$x" (as
// given to env or sudo) as an assignment.
func wordAssign(w Word) (Assign, bool) {
	name, _, ok := strings.Cut(w.Raw, "=")
	if !ok || !validName(name) {
		return Assign{}, false
	}
	n := len(name) + 1
	vp := Pos{Line: w.Pos.Line, Col: w.Pos.Col + n, Offset: w.Pos.Offset + n}
	if w.Pos.Col == 0 {
		vp.Col = 0
	}
	raw := w.Raw[n:]
	v := Word{Value: raw, Raw: raw, Pos: vp, End: w.End}
	if w.Literal {
		// The name is unquoted, so the value is what follows it.
		v = litWord(w.Value[n:], vp, w.End)
		v.Raw = raw
	}
	return Assign{Name: name, Value: v, Pos: w.Pos, End: w.End}, true
}

// takesSeparateValue reports whether the option name ("-u", "--user")
// consumes the following word under g.
func takesSeparateValue(g *Grammar, name string) bool {
	if strings.HasPrefix(name, "--") || (g != nil && g.GoStyle) {
		return g.longTakesValue(strings.TrimLeft(name, "-"))
	}
	rs := []rune(name)
	return len(rs) == 2 && g.shortTakesValue(rs[1])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validName reports whether s is a valid shell variable name.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
