package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/stratatools/strata/internal/vocab"
)

// A GitLab Code Quality issue (a subset of the Code Climate issue format,
// which GitLab reads). Field order is the output key order.
type (
	gitlabIssue struct {
		Type        string         `json:"type"`
		CheckName   string         `json:"check_name"`
		Description string         `json:"description"`
		Categories  []string       `json:"categories"`
		Severity    string         `json:"severity"`
		Fingerprint string         `json:"fingerprint"`
		Location    gitlabLocation `json:"location"`
	}
	gitlabLocation struct {
		Path  string      `json:"path"`
		Lines gitlabLines `json:"lines"`
	}
	gitlabLines struct {
		Begin int `json:"begin"`
		End   int `json:"end"`
	}
)

// GitLab writes a GitLab Code Quality report: a JSON array with one issue
// per finding. Severities map onto GitLab's scale as
//
//	error   → critical
//	warning → major
//	info    → minor
//	style   → info
//
// leaving "blocker" unused: no lint finding by itself should block a merge
// more than an error does. The fingerprint is the hex SHA-256 of the file,
// rule, line and message, so it stays put across runs while the finding
// does. Categories follow Code Climate's names for the rule's category.
func GitLab(w io.Writer, r *Report, _ Options) error {
	findings := sortedFindings(r)
	issues := make([]gitlabIssue, 0, len(findings))
	for _, f := range findings {
		desc := f.Message
		if f.Rule != "" {
			desc = f.Rule + ": " + f.Message
		}
		begin, end := lineSpan(f)
		issues = append(issues, gitlabIssue{
			Type:        "issue",
			CheckName:   firstNonEmpty(f.Rule, unknownRuleID),
			Description: desc,
			Categories:  []string{gitlabCategory(f.Category)},
			Severity:    gitlabSeverity(f.Severity),
			Fingerprint: gitlabFingerprint(f),
			Location: gitlabLocation{
				Path:  filepath.ToSlash(f.File),
				Lines: gitlabLines{Begin: begin, End: end},
			},
		})
	}
	return WriteJSON(w, issues, "GitLab Code Quality")
}

func gitlabSeverity(sev vocab.Severity) string {
	switch normSeverity(sev) {
	case vocab.Error:
		return "critical"
	case vocab.Warning:
		return "major"
	case vocab.Info:
		return "minor"
	}
	return "info"
}

// gitlabCategory names a rule category in Code Climate's vocabulary.
func gitlabCategory(category vocab.Category) string {
	switch category {
	case vocab.Security:
		return "Security"
	case vocab.Size, vocab.Cache, vocab.Performance:
		return "Performance"
	case vocab.Correctness:
		return "Bug Risk"
	}
	return "Style"
}

// gitlabFingerprint hashes what identifies a finding. Each part is
// length-prefixed so that no two different findings hash the same input.
func gitlabFingerprint(f Finding) string {
	h := sha256.New()
	for _, part := range []string{f.File, f.Rule, strconv.Itoa(f.Line), f.Message} {
		fmt.Fprintf(h, "%d:%s", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}
