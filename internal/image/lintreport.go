package image

import (
	"fmt"
	"sort"

	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// LintReport turns the findings of an image mapped to a Dockerfile into a
// lint report on that Dockerfile, for the formats strata lint writes
// (SARIF, checkstyle, GitLab, GitHub). df must be the Dockerfile the
// result was mapped with.
func LintReport(r *Result, df *Dockerfile, rules []Rule, version string) (*report.Report, error) {
	if df == nil || r.Dockerfile == nil {
		return nil, fmt.Errorf("findings can only be reported on a Dockerfile with --dockerfile")
	}
	fr := report.FileResult{File: df.Path, Lines: df.Lines}
	for _, f := range r.Findings {
		msg := f.Message
		if f.Layer > 0 {
			msg = fmt.Sprintf("%s [image layer %d]", msg, f.Layer)
		}
		fr.Findings = append(fr.Findings, report.Finding{
			File: df.Path, Rule: f.Rule, Aliases: []string{}, Name: f.Name, Severity: lintSeverity(f.Severity),
			Category: vocab.Category(f.Category), Checklist: f.Checklist, Line: f.Line, EndLine: f.EndLine, Message: msg,
		})
	}
	report.SortFindings(fr.Findings)
	for _, c := range Checklist(r, rules) {
		fr.Checklist = append(fr.Checklist, report.ChecklistItem{Item: c.Item, Status: vocab.Status(c.Status)})
	}
	rep := &report.Report{Tool: "strata", Version: version, Files: []report.FileResult{fr}}
	for _, rule := range rules {
		rep.Rules = append(rep.Rules, report.RuleInfo{
			ID: rule.ID, Aliases: []string{}, Name: rule.Name, Severity: lintSeverity(rule.Severity), Category: vocab.Category(rule.Category),
			Checklist: rule.Checklist, Summary: rule.Doc.Summary, Help: rule.Doc.Why,
		})
	}
	sort.Slice(rep.Rules, func(i, j int) bool { return rep.Rules[i].ID < rep.Rules[j].ID })
	return rep, nil
}

// lintSeverity reads an image severity name; an unknown one is a warning.
func lintSeverity(s string) vocab.Severity {
	if r := severityRank(s); r > 0 {
		return vocab.Severity(r)
	}
	return vocab.Warning
}
