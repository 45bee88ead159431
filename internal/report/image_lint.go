package report

import (
	"fmt"
	"sort"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
)

// ImageLint turns the findings of an image mapped to a Dockerfile into a
// lint report on that Dockerfile, for the formats strata lint writes
// (SARIF, checkstyle, GitLab, GitHub). df must be the Dockerfile the
// result was mapped with; rules are the image rules that ran.
func ImageLint(r *image.Result, df *image.Dockerfile, rules check.Set, version string) (*Report, error) {
	if df == nil || r.Dockerfile == nil {
		return nil, fmt.Errorf("findings can only be reported on a Dockerfile with --dockerfile")
	}
	fr := FileResult{File: df.Path, Lines: df.Lines}
	for _, f := range r.Findings {
		msg := f.Message
		if f.Layer > 0 {
			msg = fmt.Sprintf("%s [image layer %d]", msg, f.Layer)
		}
		fr.Findings = append(fr.Findings, Finding{
			File: df.Path, Rule: f.Rule, Aliases: []string{}, Name: f.Name, Severity: f.Severity,
			Category: f.Category, Checklist: f.Checklist, Line: f.Line, EndLine: f.EndLine, Message: msg,
		})
	}
	SortFindings(fr.Findings)
	fr.Checklist = ImageChecklist(r, rules)
	rep := &Report{Tool: "strata", Version: version, Files: []FileResult{fr}}
	for _, rule := range rules {
		rep.Rules = append(rep.Rules, RuleInfo{
			ID: rule.ID, Aliases: []string{}, Name: rule.Name, Severity: rule.Severity, Category: rule.Category,
			Checklist: rule.Checklist, Summary: rule.Doc.Summary, Help: rule.Doc.Why,
		})
	}
	sort.Slice(rep.Rules, func(i, j int) bool { return rep.Rules[i].ID < rep.Rules[j].ID })
	return rep, nil
}
