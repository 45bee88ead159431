package image

import (
	"fmt"
	"sort"
)

// Severities, as in the lint rules.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
	SeverityStyle   = "style"
)

// Categories of image rules.
const (
	CategorySize        = "size"
	CategoryCache       = "cache"
	CategorySecurity    = "security"
	CategoryCorrectness = "correctness"
	CategoryPerformance = "performance"
	CategoryStyle       = "style"
)

// Rule is one image check. Rules are values: an ID in the SI namespace, a
// short name, a severity, a category, the checklist item it informs, its
// documentation and its check.
type Rule struct {
	ID        string
	Name      string
	Severity  string
	Category  string
	Checklist string
	Doc       RuleDoc
	// Capture, if set, asks the layer reader to record files whose path
	// it accepts, in every layer, with their first bytes (Result.Captured).
	Capture func(path string) bool
	// Check reads the result and reports hits.
	Check func(r *Result) []Hit
}

// RuleDoc documents a rule.
type RuleDoc struct {
	Summary string
	Why     string
}

// Hit is one occurrence a rule found.
type Hit struct {
	Message string
	Path    string
	// Layer is the 1-based layer responsible, 0 for none.
	Layer int
	Bytes int64
	// Anchor names the Dockerfile keyword to report a hit with no layer
	// on (e.g. "USER"); AnchorText narrows it to an instruction whose
	// text contains it.
	Anchor     string
	AnchorText string
}

// maxHitsPerRule bounds how many hits of one rule are listed; the rest are
// summed up in one more finding.
const maxHitsPerRule = 20

// DefaultRules returns every image rule, ordered by ID.
func DefaultRules() []Rule {
	var rules []Rule
	rules = append(rules, wasteRules()...)
	rules = append(rules, cacheRules()...)
	rules = append(rules, toolchainRules()...)
	rules = append(rules, securityRules()...)
	rules = append(rules, secretRules()...)
	rules = append(rules, configRules()...)
	rules = append(rules, sizeRules()...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// FindRule returns the rule with the given ID or name.
func FindRule(idOrName string) (Rule, bool) {
	for _, r := range DefaultRules() {
		if r.ID == idOrName || r.Name == idOrName {
			return r, true
		}
	}
	return Rule{}, false
}

// runRules runs every rule and appends its findings to r.
func runRules(r *Result, rules []Rule) {
	for _, rule := range rules {
		if rule.Check == nil {
			continue
		}
		hits := rule.Check(r)
		extra := 0
		var extraBytes int64
		if len(hits) > maxHitsPerRule {
			for _, h := range hits[maxHitsPerRule:] {
				extra++
				extraBytes += h.Bytes
			}
			hits = hits[:maxHitsPerRule]
		}
		for _, h := range hits {
			r.Findings = append(r.Findings, rule.finding(h))
		}
		if extra > 0 {
			msg := fmt.Sprintf("%d more like these", extra)
			if extraBytes > 0 {
				msg += fmt.Sprintf(" (%s)", FormatSize(extraBytes))
			}
			r.Findings = append(r.Findings, rule.finding(Hit{Message: msg, Bytes: extraBytes}))
		}
	}
}

func (rule Rule) finding(h Hit) Finding {
	return Finding{
		Rule: rule.ID, Name: rule.Name, Severity: rule.Severity, Category: rule.Category,
		Checklist: rule.Checklist, Message: h.Message, Path: h.Path, Layer: h.Layer, Bytes: h.Bytes,
		anchor: h.Anchor, anchorText: h.AnchorText,
	}
}

// userLayer reports whether the 1-based layer n is after the base image.
func (r *Result) userLayer(n int) bool { return n > r.Base.Layers }

// layerName describes a 1-based layer for messages: "layer 9 (RUN apt-get
// update)" with the command shortened.
func (r *Result) layerName(n int) string {
	if n <= 0 || n > len(r.Layers) {
		return "no layer"
	}
	l := r.Layers[n-1]
	if l.CreatedBy == "" {
		return fmt.Sprintf("layer %d", n)
	}
	return fmt.Sprintf("layer %d (%s)", n, ShortCommand(l.CreatedBy, 50))
}
