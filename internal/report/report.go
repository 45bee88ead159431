// Package report turns findings into the output formats strata speaks:
// text, JSON, SARIF, checkstyle, GitLab Code Quality and GitHub workflow
// annotations. Each format lives in its own file; this file holds the
// types every format shares.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Severity names, lowest to highest importance.
const (
	SeverityStyle   = "style"
	SeverityInfo    = "info"
	SeverityWarning = "warning"
	SeverityError   = "error"
)

// Checklist statuses.
const (
	StatusPass = "pass"
	StatusFail = "fail"
	StatusNA   = "n/a"
)

// Finding is one problem found in one file. Its JSON shape is a contract
// other tools read; do not rename fields.
type Finding struct {
	File      string   `json:"file"`
	Rule      string   `json:"rule"`
	Aliases   []string `json:"aliases"`
	Name      string   `json:"name"`
	Severity  string   `json:"severity"`
	Category  string   `json:"category"`
	Checklist string   `json:"checklist"`
	Line      int      `json:"line"`
	EndLine   int      `json:"end_line"`
	Column    int      `json:"column"`
	Message   string   `json:"message"`
	Fixable   bool     `json:"fixable"`
}

// ChecklistItem is the state of one optimization checklist item for a file.
type ChecklistItem struct {
	Item   string `json:"item"`
	Status string `json:"status"`
}

// FileResult is everything found in one input file.
type FileResult struct {
	File      string
	Findings  []Finding
	Checklist []ChecklistItem
	// Lines is the file's source, one entry per line without terminators,
	// used for code frames. It may be nil.
	Lines []string
}

// RuleInfo describes a rule for formats that carry rule metadata (SARIF).
type RuleInfo struct {
	ID        string
	Aliases   []string
	Name      string
	Severity  string
	Category  string
	Checklist string
	Summary   string
	Help      string // markdown: why, bad and good example
	HelpURI   string
}

// Report is the input of every formatter.
type Report struct {
	Tool    string // "strata"
	Version string
	Files   []FileResult
	Rules   []RuleInfo // every rule that can appear in Files
}

// Options tune the human-oriented formats.
type Options struct {
	Color bool // ANSI colour in text output
}

// Formatter writes a report in one format.
type Formatter func(w io.Writer, r *Report, opts Options) error

// SeverityRank orders severities; unknown names rank lowest.
func SeverityRank(s string) int {
	switch s {
	case SeverityError:
		return 4
	case SeverityWarning:
		return 3
	case SeverityInfo:
		return 2
	case SeverityStyle:
		return 1
	}
	return 0
}

// ValidSeverity reports whether s names a severity.
func ValidSeverity(s string) bool { return SeverityRank(s) > 0 }

// SortFindings orders findings by file, line, column and rule ID.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}

// Formats lists the format names accepted by Lookup.
func Formats() []string {
	return []string{"text", "json", "sarif", "checkstyle", "gitlab", "github"}
}

// Lookup returns the formatter for a format name.
func Lookup(name string) (Formatter, error) {
	switch strings.ToLower(name) {
	case "text", "tty":
		return Text, nil
	case "json":
		return JSON, nil
	case "sarif":
		return SARIF, nil
	case "checkstyle":
		return Checkstyle, nil
	case "gitlab", "gitlab_codeclimate", "codeclimate":
		return GitLab, nil
	case "github", "gh", "github-actions":
		return GitHub, nil
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Formats(), ", "))
}
