package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/intent"
)

// Pass is what a rule's Check function sees: the file, its build
// context, settings, and a way to report.
type Pass struct {
	Rule     *Rule
	File     *dockerfile.File
	Context  *BuildContext
	Settings *Settings
	facts    *facts
	report   func(Diagnostic)

	ctx        context.Context
	shellcheck *ShellCheck
	compose    *intent.ComposeFiles
	later      []func(context.Context) error
}

// Later runs f once every rule of the file has run, so that work a check
// started in the background (an external program) overlaps the other
// rules. f may report; ctx is the lint run's.
func (p *Pass) Later(f func(ctx context.Context) error) {
	p.later = append(p.later, f)
}

// Report records a finding on an instruction.
func (p *Pass) Report(in *dockerfile.Instruction, format string, args ...any) {
	p.ReportFix(in, nil, format, args...)
}

// ReportFix records a finding on an instruction with a proposed fix.
func (p *Pass) ReportFix(in *dockerfile.Instruction, fix *edit.Fix, format string, args ...any) {
	d := Diagnostic{Rule: p.Rule, Message: fmt.Sprintf(format, args...), Fix: fix, Instruction: in, Line: 1, EndLine: 1, Column: 1}
	if fix != nil && fix.Declined != "" {
		// A declined fix: the finding carries the reason, not the fix.
		d.Fix, d.Declined = nil, fix.Declined
	}
	if in != nil {
		d.Line, d.EndLine, d.Column = in.StartLine, in.EndLine, in.Column
	}
	p.report(d)
}

// ReportUncertain records a finding the rule cannot be sure of, with the
// reason in its message: it is reported as info at most, without a fix.
func (p *Pass) ReportUncertain(in *dockerfile.Instruction, format string, args ...any) {
	d := Diagnostic{Rule: p.Rule, Message: fmt.Sprintf(format, args...), Uncertain: true, Instruction: in, Line: 1, EndLine: 1, Column: 1}
	if in != nil {
		d.Line, d.EndLine, d.Column = in.StartLine, in.EndLine, in.Column
	}
	p.report(d)
}

// ReportAt records a finding at an explicit position (line 1-based,
// column 1-based or 0 when unknown).
func (p *Pass) ReportAt(line, endLine, column int, format string, args ...any) {
	if endLine < line {
		endLine = line
	}
	p.report(Diagnostic{Rule: p.Rule, Message: fmt.Sprintf(format, args...), Line: line, EndLine: endLine, Column: column})
}

// Settings are the configuration values rules read.
type Settings struct {
	// TrustedRegistries limits where FROM may pull from (DL3026); empty
	// means any.
	TrustedRegistries []string
	// RequiredLabels maps label names to the schema their value must
	// follow ("text", "url", "semver", "hash", "rfc3339", "spdx",
	// "email"), for the label rules.
	RequiredLabels map[string]string
	// StrictLabels reports labels not in RequiredLabels.
	StrictLabels bool
	// Today is the day end-of-life dates are judged on (SD103); the zero
	// value means the current day.
	Today time.Time
}

// today returns the day end-of-life dates are judged on.
func (s *Settings) today() time.Time {
	if s == nil || s.Today.IsZero() {
		return time.Now()
	}
	return s.Today
}
