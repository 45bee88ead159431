package rules

import (
	"errors"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// facts are values computed once per file and shared by every rule's
// pass, such as parsed RUN scripts.
type facts struct {
	file    *dockerfile.File
	scripts map[*dockerfile.Instruction]*runShell
	parser  shell.Parser // parses the file's RUNs one after another
	memo    map[any]any  // *Key[T] -> T
}

// runShell is the shell analysis of one RUN.
type runShell struct {
	scripts []*edit.Script
	// errs are the scripts that did not parse.
	errs []ShellError
}

// ShellError is a RUN whose shell did not parse.
type ShellError struct {
	Instruction *dockerfile.Instruction
	Line        int // Dockerfile line of the error, best effort
	Err         error
}

func newFacts(f *dockerfile.File) *facts {
	return &facts{file: f, scripts: map[*dockerfile.Instruction]*runShell{}, memo: map[any]any{}}
}

// Key names a value computed once per file and shared by every rule of
// the run (see Memo). Keys are compared by identity, so two facts cannot
// clash even when they share a name, and the value's type is part of the
// key. Declare a key once, as a package-level variable:
//
//	var shellRunsKey = NewKey[[]shRun]("shell runs")
type Key[T any] struct{ name string }

// NewKey returns a new key for a fact of type T; name is for messages.
func NewKey[T any](name string) *Key[T] { return &Key[T]{name: name} }

// String returns the key's name.
func (k *Key[T]) String() string { return k.name }

// Memo computes the fact k once per file and shares it with every rule of
// the run: compute is called the first time k is asked for. Rules must
// treat the value as read-only.
func Memo[T any](p *Pass, k *Key[T], compute func() T) T {
	if v, ok := p.facts.memo[k]; ok {
		return v.(T) // stored under k by Memo[T] only: cannot fail
	}
	v := compute()
	p.facts.memo[k] = v
	return v
}

// Shell returns the parsed shell scripts of a RUN (or of the RUN an
// ONBUILD triggers). It returns nil for exec-form RUNs, other
// instructions, and RUNs whose SHELL is not a POSIX shell (PowerShell,
// cmd). Scripts that do not parse are left out; see ShellErrors.
func (p *Pass) Shell(in *dockerfile.Instruction) []*edit.Script {
	return p.facts.shell(in).scripts
}

// ShellErrors returns the RUN scripts of the file that did not parse.
func (p *Pass) ShellErrors() []ShellError {
	var out []ShellError
	for _, in := range p.File.Instructions {
		out = append(out, p.facts.shell(in).errs...)
	}
	return out
}

// Runs returns every RUN of stage st with its parsed scripts, ONBUILD
// triggers excluded.
func (p *Pass) Runs(st *dockerfile.Stage) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Cmd == "run" {
			out = append(out, in)
		}
	}
	return out
}

func (fx *facts) shell(in *dockerfile.Instruction) *runShell {
	if rs, ok := fx.scripts[in]; ok {
		return rs
	}
	rs := &runShell{}
	fx.scripts[in] = rs
	target := in
	if in.Trigger != nil {
		target = in.Trigger
	}
	if target.Cmd != "run" || target.JSON || !shell.IsPOSIXShell(target.Shell) {
		return rs
	}
	var opts []shell.Option
	if wd := in.Workdir(); wd != "" {
		opts = append(opts, shell.WithWorkdir(wd))
	}
	for _, sc := range target.Scripts() {
		if sc.Heredoc {
			if sb := shell.Shebang(sc.Text); sb != nil && !shell.IsPOSIXShell(sb) {
				continue
			}
		}
		parsed, err := fx.parser.Parse(sc.Text, opts...)
		if err != nil {
			line := sc.Line
			var pe *shell.ParseError
			if errors.As(err, &pe) && sc.Heredoc {
				line += pe.Line - 1
			}
			rs.errs = append(rs.errs, ShellError{Instruction: in, Line: line, Err: err})
			continue
		}
		rs.scripts = append(rs.scripts, &edit.Script{Script: parsed, Line: sc.Line, Heredoc: sc.Heredoc})
	}
	return rs
}
