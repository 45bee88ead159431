package dockerfile

import (
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Instruction is one Dockerfile instruction with its exact source range.
type Instruction struct {
	// Index is the position in File.Instructions (-1 for an ONBUILD
	// trigger, which lives in its ONBUILD instruction).
	Index int
	// Cmd is the instruction keyword in lower case ("run", "from", ...).
	Cmd string
	// Keyword is the keyword as written ("Run", "FROM", ...).
	Keyword string
	// Args are the arguments as the parser split them: one string for a
	// shell-form RUN/CMD/ENTRYPOINT, the argv for the JSON form, the
	// whitespace-separated words for most others, and key, value pairs
	// flattened for ENV and LABEL.
	Args []string
	// Flags are the raw "--name=value" flags before the arguments.
	Flags []string
	// JSON is true for the exec (JSON array) form.
	JSON bool
	// Heredocs are the here-documents attached to the instruction.
	Heredocs []Heredoc
	// Original is the instruction text as the parser joined it (line
	// continuations removed, heredoc bodies excluded).
	Original string
	// StartLine and EndLine are 1-based and inclusive; EndLine covers
	// continuation lines and heredoc bodies.
	StartLine, EndLine int
	// Column is the 1-based byte column of the keyword on StartLine.
	Column int
	// Stage is the stage the instruction belongs to; nil for ARGs before
	// the first FROM.
	Stage *Stage
	// Trigger is the wrapped instruction of an ONBUILD.
	Trigger *Instruction
	// Shell is the shell argv in force for this instruction (SHELL, or
	// the default ["/bin/sh", "-c"]).
	Shell []string
	// Comments are the comment lines directly above the instruction.
	Comments []string
	// Typed is BuildKit's typed form of the instruction
	// (*instructions.RunCommand and so on); nil when TypedErr is set.
	Typed any
	// TypedErr is BuildKit's error for an instruction it would refuse to
	// build (bad flags, missing arguments, unknown instruction).
	TypedErr error
	// Node is the parser node.
	Node *parser.Node

	// workdir is the WORKDIR in force, computed by Parse (workdirSet).
	workdir    string
	workdirSet bool
}

// Heredoc is a here-document attached to an instruction.
type Heredoc struct {
	Name    string
	Content string
	Expand  bool // false when the delimiter was quoted
	Chomp   bool // <<- strips leading tabs
	FD      uint
}

// DefaultShell is the shell RUN uses when no SHELL instruction is given.
func DefaultShell() []string { return []string{"/bin/sh", "-c"} }

func (f *File) newInstruction(n *parser.Node) (*Instruction, error) {
	in := &Instruction{
		Cmd:       strings.ToLower(n.Value),
		Keyword:   keywordAsWritten(f, n),
		Flags:     n.Flags,
		JSON:      n.Attributes["json"],
		Original:  n.Original,
		StartLine: n.StartLine,
		EndLine:   n.EndLine,
		Comments:  n.PrevComment,
		Node:      n,
	}
	in.Column = f.keywordColumn(n.StartLine)
	for _, h := range n.Heredocs {
		in.Heredocs = append(in.Heredocs, Heredoc{Name: h.Name, Content: h.Content, Expand: h.Expand, Chomp: h.Chomp, FD: h.FileDescriptor})
	}
	if in.Cmd == "onbuild" {
		if n.Next != nil && len(n.Next.Children) > 0 {
			child := n.Next.Children[0]
			child.StartLine, child.EndLine = n.StartLine, n.EndLine
			t, err := f.newInstruction(child)
			if err != nil {
				return nil, err
			}
			t.Index = -1
			t.Column = in.Column
			in.Trigger = t
			in.Args = append([]string{t.Keyword}, t.Args...)
		}
	} else {
		for a := n.Next; a != nil; a = a.Next {
			in.Args = append(in.Args, a.Value)
		}
	}
	in.Typed, in.TypedErr = typedInstruction(n)
	return in, nil
}

// typedInstruction asks BuildKit for the typed form of an instruction. A
// linter with no warning function is passed because BuildKit consults it
// for per-instruction check comments; strata runs those checks itself.
func typedInstruction(n *parser.Node) (typed any, err error) {
	defer func() {
		if v := recover(); v != nil {
			typed, err = nil, fmt.Errorf("BuildKit could not read the instruction: %v", v)
		}
	}()
	v, err := instructions.ParseInstructionWithLinter(n, linter.New(&linter.Config{}))
	if err != nil {
		// BuildKit returns typed nil pointers with its errors; keep the
		// interface nil so callers' type switches never see them.
		return nil, err
	}
	return v, nil
}

// keywordAsWritten returns the instruction keyword with its original
// casing.
func keywordAsWritten(f *File, n *parser.Node) string {
	orig := strings.TrimSpace(n.Original)
	if i := strings.IndexAny(orig, " \t"); i > 0 {
		orig = orig[:i]
	}
	if strings.EqualFold(orig, n.Value) {
		return orig
	}
	return n.Value
}

func (f *File) keywordColumn(line int) int {
	if line < 1 || line > len(f.Lines) {
		return 1
	}
	l := f.Lines[line-1]
	return len(l) - len(strings.TrimLeft(l, " \t")) + 1
}

// Location describes the instruction as "path:line".
func (in *Instruction) Location(f *File) string {
	return fmt.Sprintf("%s:%d", f.Path, in.StartLine)
}

// Flag returns the value of the flag --name (the last one wins). A flag
// written without a value ("--link") returns "" and true.
func (in *Instruction) Flag(name string) (string, bool) {
	vals := in.FlagValues(name)
	if len(vals) == 0 {
		return "", false
	}
	return vals[len(vals)-1], true
}

// FlagValues returns every value given to the flag --name, in order.
func (in *Instruction) FlagValues(name string) []string {
	var out []string
	for _, fl := range in.Flags {
		fl = strings.TrimPrefix(fl, "--")
		k, v, hasValue := strings.Cut(fl, "=")
		if !strings.EqualFold(k, name) {
			continue
		}
		if !hasValue {
			v = ""
		}
		out = append(out, v)
	}
	return out
}

// FlagNames returns the names of the flags used, without dashes.
func (in *Instruction) FlagNames() []string {
	out := make([]string, 0, len(in.Flags))
	for _, fl := range in.Flags {
		k, _, _ := strings.Cut(strings.TrimPrefix(fl, "--"), "=")
		out = append(out, strings.ToLower(k))
	}
	return out
}

// Mount is one RUN --mount.
type Mount struct {
	Type   string // bind (default), cache, tmpfs, secret, ssh
	Target string
	Source string
	From   string
	ID     string
	Raw    map[string]string
}

// Mounts parses the instruction's --mount flags.
func (in *Instruction) Mounts() []Mount {
	var out []Mount
	for _, v := range in.FlagValues("mount") {
		m := Mount{Type: "bind", Raw: map[string]string{}}
		for _, field := range splitCSV(v) {
			k, val, _ := strings.Cut(field, "=")
			k = strings.ToLower(strings.TrimSpace(k))
			m.Raw[k] = val
			switch k {
			case "type":
				m.Type = strings.ToLower(val)
			case "target", "dst", "destination":
				m.Target = val
			case "source", "src":
				m.Source = val
			case "from":
				m.From = val
			case "id":
				m.ID = val
			}
		}
		out = append(out, m)
	}
	return out
}

// splitCSV splits a flag value on commas outside double quotes.
func splitCSV(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, cur.String())
}

// IsShellForm reports whether a RUN, CMD or ENTRYPOINT is in shell form.
func (in *Instruction) IsShellForm() bool {
	switch in.Cmd {
	case "run", "cmd", "entrypoint":
		return !in.JSON
	}
	return false
}

// Script is shell text to analyse, with the line in the Dockerfile where
// it starts.
type Script struct {
	Text string
	Line int
	// Heredoc is true when Text is a heredoc body run as the script.
	Heredoc bool
}

// Scripts returns the shell text a shell-form RUN executes. For
// "RUN <<EOF" the heredoc body is the script; for "RUN cmd <<EOF" the
// command line is rebuilt with its heredoc so that a shell parser sees
// both. Exec-form RUNs and non-RUN instructions return nil.
func (in *Instruction) Scripts() []Script {
	if in.Cmd != "run" || in.JSON || len(in.Args) == 0 {
		return nil
	}
	cmd := in.Args[0]
	if len(in.Heredocs) == 0 {
		return []Script{{Text: cmd, Line: in.StartLine}}
	}
	trimmed := strings.TrimSpace(cmd)
	if len(in.Heredocs) == 1 && isHeredocMarker(trimmed, in.Heredocs[0].Name) {
		body := in.Heredocs[0].Content
		if strings.HasPrefix(body, "#!") {
			first, _, _ := strings.Cut(body, "\n")
			if !strings.Contains(first, "sh") {
				return nil // a script for another interpreter
			}
		}
		return []Script{{Text: body, Line: in.StartLine + 1, Heredoc: true}}
	}
	var b strings.Builder
	b.WriteString(cmd)
	for _, h := range in.Heredocs {
		b.WriteString("\n")
		b.WriteString(h.Content)
		if !strings.HasSuffix(h.Content, "\n") && h.Content != "" {
			b.WriteString("\n")
		}
		b.WriteString(h.Name)
	}
	b.WriteString("\n")
	return []Script{{Text: b.String(), Line: in.StartLine}}
}

func isHeredocMarker(s, name string) bool {
	s = strings.TrimPrefix(s, "<<")
	s = strings.TrimPrefix(s, "-")
	s = strings.Trim(s, `"'`)
	return s == name
}

// ExecArgs returns the argv of an exec-form instruction, or for a
// shell-form one the shell argv followed by the command text.
func (in *Instruction) ExecArgs() []string {
	if in.JSON {
		return in.Args
	}
	if len(in.Args) == 0 {
		return nil
	}
	sh := in.Shell
	if len(sh) == 0 {
		sh = DefaultShell()
	}
	return append(append([]string{}, sh...), strings.Join(in.Args, " "))
}
