package lsp

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// source names strata in the diagnostics it publishes.
const source = "strata"

// analysis is what strata found in one version of a document. The
// in-process rules run first (lintFast); ShellCheck's findings, which
// SD002 gets from the shellcheck program, come from a second, slower
// phase (lintShell) and are carried from one version to the next while
// the scripts they are about stay the same (carryShell).
type analysis struct {
	version int32
	text    *text
	// file is the parsed document; nil when it does not parse.
	file *dockerfile.File
	// settings are the configuration and build context it was linted
	// with; nil when the configuration could not be read.
	settings *lint.Settings
	// problems are diagnostics that are not findings: the parse error
	// or the configuration error that stopped the lint.
	problems []protocol.Diagnostic
	// found are the findings of every rule but SD002.
	found []rules.Diagnostic
	// shell are SD002's findings (ShellCheck's SC codes) for this text;
	// shellExact is false while they were carried from an earlier text
	// and ShellCheck has yet to run on this one.
	shell      []rules.Diagnostic
	shellExact bool
}

// lintFast parses the text and runs every rule but SD002 with the
// settings of the document's folder (its .strata.yaml or .hadolint.yaml
// found upwards, and its build context's .dockerignore).
func lintFast(ctx context.Context, path string, version int32, t *text, req lint.Request) (*analysis, error) {
	a := &analysis{version: version, text: t}
	f, err := dockerfile.Parse(path, []byte(t.s))
	if err != nil {
		a.problems = append(a.problems, a.problem(err, parseLine(err)))
		return a, nil
	}
	a.file = f
	set, err := lint.SettingsFor(path, req)
	if err != nil {
		a.problems = append(a.problems, a.problem(configError(err, path, req), 1))
		return a, nil
	}
	a.settings = set
	opts := set.Options
	opts.Ignore = append(append([]string(nil), opts.Ignore...), rules.SD002.ID)
	res, err := rules.Run(ctx, f, set.Context, opts)
	if err != nil {
		return nil, err
	}
	a.found = res.Diagnostics
	return a, nil
}

// lintShell runs SD002 alone: ShellCheck on every RUN script.
func lintShell(ctx context.Context, a *analysis) ([]rules.Diagnostic, error) {
	if a.file == nil || a.settings == nil {
		return nil, nil
	}
	opts := a.settings.Options
	opts.Rules = []*rules.Rule{rules.SD002}
	res, err := rules.Run(ctx, a.file, a.settings.Context, opts)
	if err != nil {
		return nil, err
	}
	return res.Diagnostics, nil
}

// configError names the configuration file in err when it does not:
// the diagnostic shows on the Dockerfile, so it must say which file is
// wrong.
func configError(err error, path string, req lint.Request) error {
	cfg := req.ConfigPath
	if cfg == "" {
		dir := "."
		if path != "-" {
			dir = filepath.Dir(path)
		}
		cfg, _ = config.Find(dir)
	}
	if cfg != "" && !strings.Contains(err.Error(), cfg) {
		return fmt.Errorf("%s: %w", cfg, err)
	}
	return err
}

// parseLine is the line a parse error names, 1 when it names none.
func parseLine(err error) int {
	var pe *dockerfile.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return pe.Line
	}
	return 1
}

// problem is a diagnostic for an error that stopped the lint, on line.
func (a *analysis) problem(err error, line int) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityError
	src := source
	l := protocol.UInteger(max(line-1, 0))
	from := a.text.offset(protocol.Position{Line: l})
	to := a.text.offset(protocol.Position{Line: l, Character: 1 << 30})
	return protocol.Diagnostic{Range: a.text.span(from, to), Severity: &sev, Source: &src, Message: err.Error()}
}

// findings returns every finding of the analysis, the in-process rules'
// and ShellCheck's, in the order of the file.
func (a *analysis) findings() []rules.Diagnostic {
	out := append(append([]rules.Diagnostic(nil), a.found...), a.shell...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}

// diagnostics are the LSP diagnostics to publish.
func (a *analysis) diagnostics() []protocol.Diagnostic {
	out := append([]protocol.Diagnostic{}, a.problems...)
	for _, d := range a.findings() {
		out = append(out, a.diagnostic(d))
	}
	return out
}

// rangeOf is the bytes a finding covers: from its column on its first
// line to the end of its last line.
func (a *analysis) rangeOf(d rules.Diagnostic) (int, int) {
	from := a.file.Offset(d.Line, max(d.Column, 1))
	to := a.file.LineEnd(max(d.EndLine, d.Line))
	return from, max(from, to)
}

// diagnostic converts a finding: the rule ID as the code with a link to
// its documentation, the effective severity mapped to LSP's.
func (a *analysis) diagnostic(d rules.Diagnostic) protocol.Diagnostic {
	from, to := a.rangeOf(d)
	sev := severity(d.Severity)
	src := source
	out := protocol.Diagnostic{
		Range:           a.text.span(from, to),
		Severity:        &sev,
		Code:            &protocol.IntegerOrString{Value: d.Rule.ID},
		CodeDescription: &protocol.CodeDescription{HRef: lint.DocURL(d.Rule)},
		Source:          &src,
		Message:         d.Message,
	}
	if deprecated(d.Rule) {
		out.Tags = []protocol.DiagnosticTag{protocol.DiagnosticTagDeprecated}
	}
	return out
}

// severity maps strata's severities onto LSP's four.
func severity(s vocab.Severity) protocol.DiagnosticSeverity {
	switch s {
	case vocab.Error:
		return protocol.DiagnosticSeverityError
	case vocab.Warning:
		return protocol.DiagnosticSeverityWarning
	case vocab.Info:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}

// deprecated reports whether the rule is about a deprecated instruction
// (MAINTAINER), which editors show struck through.
func deprecated(r *rules.Rule) bool {
	for _, n := range append([]string{r.Name}, r.Aliases...) {
		if strings.Contains(strings.ToLower(n), "deprecated") {
			return true
		}
	}
	return false
}

// instructionAt returns the instruction whose lines hold line, or nil.
func (a *analysis) instructionAt(line int) *dockerfile.Instruction {
	if a.file == nil {
		return nil
	}
	ins := a.file.Instructions
	i := sort.Search(len(ins), func(i int) bool { return ins[i].EndLine >= line })
	if i < len(ins) && ins[i].StartLine <= line {
		return ins[i]
	}
	return nil
}
