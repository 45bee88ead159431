// Package vocab is the vocabulary every part of strata shares: how serious
// a finding is (Severity), what it protects (Category), the state of an
// optimization checklist item (Status), the error type that marks bad
// input (InputError, exit status 2), and how sizes and counts are written
// (FormatSize, FormatCount). It has no dependencies inside strata
// so that rules, image checks, measurements and formatters can all speak
// it.
package vocab

import (
	"errors"
	"fmt"
	"strings"
)

// Severity orders how serious a finding is. The zero value, Ignore, turns
// a rule off.
type Severity int

// Severities, from least to most serious.
const (
	Ignore Severity = iota
	Style
	Info
	Warning
	Error
)

// String is the severity's name as it appears in every output format.
func (s Severity) String() string {
	switch s {
	case Style:
		return "style"
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name (see ParseSeverity).
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads a severity name, hadolint's spellings included
// ("warn", "none", "off", "ignore").
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	case "style":
		return Style, nil
	case "ignore", "none", "off":
		return Ignore, nil
	}
	return Ignore, fmt.Errorf("unknown severity %q (want error, warning, info, style or none)", s)
}

// Category groups findings by what they protect.
type Category string

// Categories.
const (
	Size        Category = "size"
	Cache       Category = "cache"
	Security    Category = "security"
	Correctness Category = "correctness"
	Performance Category = "performance"
	StyleCat    Category = "style"
)

// Status is the state of one optimization checklist item.
type Status string

// Checklist statuses.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	NA   Status = "n/a"
)

// InputError is bad input: a file, image, registry or setting that cannot
// be read or makes no sense. Its message names what was wrong and where
// (file and line, layer, registry). Commands exit 2 on it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Inputf returns an InputError with a formatted message; %w wraps.
func Inputf(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// IsInput reports whether err is, or wraps, an InputError.
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
