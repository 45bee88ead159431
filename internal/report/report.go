// Package report renders what strata found and measured. Findings go out
// as text, JSON, SARIF, checkstyle, GitLab Code Quality and GitHub
// workflow annotations, one format per file; an image's analysis and the
// diff of two images (internal/image's models), measurements and
// comparisons (internal/measure's) as text, JSON and HTML pages; and
// progress.go draws the live progress line of long commands. The package
// also holds what strata's other renderers share: Palette, WriteJSON and
// PageWriter.
//
// What a build will do before it runs (estimate, context, cache) is
// rendered by report/buildreport, and the audit by report/auditreport:
// their models pull in BuildKit's LLB conversion and the registry client,
// which this package, and so the lint, never depends on. This file holds
// the types every findings format shares.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// Finding is one problem found in one file (see vocab.Finding).
type Finding = vocab.Finding

// ChecklistItem is the state of one optimization checklist item for a file.
type ChecklistItem struct {
	Item   string       `json:"item"`
	Status vocab.Status `json:"status"`
	// Title is the item's human-readable title, shown by the text format
	// when set. It is not part of the JSON contract.
	Title string `json:"-"`
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
	Severity  vocab.Severity
	Category  vocab.Category
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

// SortFindings orders findings by file, line, column and rule ID, then by
// message so that equal positions still come out in a fixed order.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return findingLess(&fs[i], &fs[j]) })
}

func findingLess(a, b *Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}

// Formats lists the format names accepted by Lookup.
func Formats() []string {
	return []string{"text", "json", "sarif", "checkstyle", "gitlab", "github"}
}

// NeedsRules reports whether the format named prints the report's Rules
// (SARIF's rule metadata); the others need not be given them.
func NeedsRules(name string) bool { return strings.EqualFold(name, "sarif") }

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

// MergeChecklist combines the checklists of several files into one: an
// item fails if any file fails it, else passes if any file passes it, else
// it is n/a. Items keep the order in which they first appear; a status
// other than pass or fail counts as n/a.
func MergeChecklist(files []FileResult) []ChecklistItem {
	merged := []ChecklistItem{}
	index := map[string]int{}
	for _, f := range files {
		for _, it := range f.Checklist {
			st := it.Status
			if st != vocab.Pass && st != vocab.Fail {
				st = vocab.NA
			}
			i, seen := index[it.Item]
			if !seen {
				index[it.Item] = len(merged)
				merged = append(merged, ChecklistItem{Item: it.Item, Status: st, Title: it.Title})
				continue
			}
			m := &merged[i]
			if m.Title == "" {
				m.Title = it.Title
			}
			switch {
			case st == vocab.Fail:
				m.Status = vocab.Fail
			case st == vocab.Pass && m.Status == vocab.NA:
				m.Status = vocab.Pass
			}
		}
	}
	return merged
}

// The helpers below are shared by the formatters. None of them modifies
// the Report it is given.

// entry is a finding together with the source lines of its file.
type entry struct {
	Finding
	lines []string
}

// sortedFiles returns r's files ordered by name (nil-safe, copied).
func sortedFiles(r *Report) []FileResult {
	if r == nil {
		return nil
	}
	fs := append([]FileResult(nil), r.Files...)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].File < fs[j].File })
	return fs
}

// sortedEntries returns every finding of r, in SortFindings order, with
// File filled from its FileResult when empty and Aliases never nil.
func sortedEntries(r *Report) []entry {
	var es []entry
	if r == nil {
		return es
	}
	for _, fr := range r.Files {
		for _, f := range fr.Findings {
			if f.File == "" {
				f.File = fr.File
			}
			if f.Aliases == nil {
				f.Aliases = []string{}
			} else {
				f.Aliases = append([]string{}, f.Aliases...)
			}
			es = append(es, entry{Finding: f, lines: fr.Lines})
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return findingLess(&es[i].Finding, &es[j].Finding) })
	return es
}

// sortedFindings is sortedEntries without the source lines.
func sortedFindings(r *Report) []Finding {
	es := sortedEntries(r)
	fs := make([]Finding, len(es))
	for i, e := range es {
		fs[i] = e.Finding
	}
	return fs
}

// normSeverity maps s to one of the four severities a finding can have;
// anything else (Ignore, an out-of-range value) is treated as a warning.
func normSeverity(s vocab.Severity) vocab.Severity {
	if s >= vocab.Style && s <= vocab.Error {
		return s
	}
	return vocab.Warning
}

// lineSpan returns the finding's first and last line clamped to the forms
// line-based formats need: start ≥ 1 and end ≥ start.
func lineSpan(f Finding) (start, end int) {
	start = max(f.Line, 1)
	end = max(f.EndLine, start)
	return start, end
}

// toolName returns the report's tool name, "strata" by default.
func toolName(r *Report) string {
	if r == nil || r.Tool == "" {
		return "strata"
	}
	return r.Tool
}
