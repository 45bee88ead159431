// Package check holds strata's image checks (rule IDs SI001 to SI051):
// what the accounting of internal/image found that a user should act on —
// waste (SI00x), package manager caches (SI01x), build toolchains in the
// final image (SI02x), security (SI03x), configuration (SI04x) and the
// largest paths (SI05x). Each family lives in the file named after its ID
// range; registry.go lists them all, and Validate holds every rule to the
// same standard (unique IDs and names, known severity, category and
// checklist item, complete documentation).
//
// Each rule informs one item of strata's optimization checklist: sixteen
// practices (a light and pinned base image, few RUN layers, caches
// cleaned in the layer that made them, no secrets, a non-root user, …)
// keyed like "size.clean_caches", which strata lint, image and measure
// each mark pass or fail. internal/rules (checklist.go) lists the items.
package check

import (
	"errors"
	"fmt"
	"sort"

	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/vocab"
)

// Rule is one image check, a value: an ID in the SI namespace, a short
// name, a severity, a category, the checklist item it informs, its
// documentation and its check.
type Rule struct {
	ID        string
	Name      string
	Severity  vocab.Severity
	Category  vocab.Category
	Checklist string
	Doc       Doc
	// Capture, if set, asks the layer reader to record files whose path
	// it accepts, in every layer, with their first bytes (Result.Captured).
	// It must be safe to call from several goroutines.
	Capture func(path string) bool
	// Check reads the result and reports hits.
	Check func(r *image.Result) []Hit
}

// Doc documents a rule.
type Doc struct {
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

// Set is a list of rules run together; it is the image.Checker that
// Analyze runs.
type Set []Rule

var _ image.Checker = Set(nil)

// Find returns the rule with the given ID or name.
func (s Set) Find(idOrName string) (Rule, bool) {
	for _, r := range s {
		if r.ID == idOrName || r.Name == idOrName {
			return r, true
		}
	}
	return Rule{}, false
}

// Find returns the rule of All with the given ID or name.
func Find(idOrName string) (Rule, bool) { return All().Find(idOrName) }

// Capture reports whether any rule wants to see the file at path.
func (s Set) Capture(path string) bool {
	for i := range s {
		if c := s[i].Capture; c != nil && c(path) {
			return true
		}
	}
	return false
}

// Check runs every rule on r and returns their findings, at most
// maxHitsPerRule of each rule plus one that sums up the rest.
func (s Set) Check(r *image.Result) []image.Finding {
	var out []image.Finding
	for _, rule := range s {
		if rule.Check == nil || rule.Severity == vocab.Ignore {
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
			out = append(out, rule.finding(h))
		}
		if extra > 0 {
			msg := fmt.Sprintf("%d more like these", extra)
			if extraBytes > 0 {
				msg += fmt.Sprintf(" (%s)", vocab.FormatSize(extraBytes))
			}
			out = append(out, rule.finding(Hit{Message: msg, Bytes: extraBytes}))
		}
	}
	return out
}

func (rule Rule) finding(h Hit) image.Finding {
	return image.Finding{
		Rule: rule.ID, Name: rule.Name, Severity: rule.Severity, Category: rule.Category,
		Checklist: rule.Checklist, Message: h.Message, Path: h.Path, Layer: h.Layer, Bytes: h.Bytes,
		Anchor: h.Anchor, AnchorText: h.AnchorText,
	}
}

// ChecklistItem is the state of one checklist item the rules inform.
type ChecklistItem struct {
	Item   string
	Status vocab.Status
}

// Checklist derives the state of the checklist items the rules of s
// inform: an item fails when a finding of severity warning or error
// carries it, and passes otherwise. Items come sorted.
func (s Set) Checklist(r *image.Result) []ChecklistItem {
	failed := map[string]bool{}
	for _, f := range r.Findings {
		if f.Severity >= vocab.Warning {
			failed[f.Checklist] = true
		}
	}
	seen := map[string]bool{}
	var out []ChecklistItem
	for _, rule := range s {
		if seen[rule.Checklist] {
			continue
		}
		seen[rule.Checklist] = true
		st := vocab.Pass
		if failed[rule.Checklist] {
			st = vocab.Fail
		}
		out = append(out, ChecklistItem{Item: rule.Checklist, Status: st})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Item < out[j].Item })
	return out
}

var idPattern = lazyre.New(`^SI\d{3}$`)

// Validate checks that every rule of s is complete and that none shares
// an ID or a name with another.
func (s Set) Validate() error {
	var errs []error
	seen := map[string]string{}
	for _, r := range s {
		if !idPattern.MatchString(r.ID) {
			errs = append(errs, fmt.Errorf("rule %q: the ID must be SI and three digits", r.ID))
		}
		for _, key := range []string{r.ID, r.Name} {
			if other, dup := seen[key]; dup {
				errs = append(errs, fmt.Errorf("rule %s: %q is already used by %s", r.ID, key, other))
			}
			seen[key] = r.ID
		}
		if r.Name == "" {
			errs = append(errs, fmt.Errorf("rule %s: no name", r.ID))
		}
		if r.Severity < vocab.Style || r.Severity > vocab.Error {
			errs = append(errs, fmt.Errorf("rule %s: severity %d is not style, info, warning or error", r.ID, r.Severity))
		}
		switch r.Category {
		case vocab.Size, vocab.Cache, vocab.Security, vocab.Correctness, vocab.Performance, vocab.StyleCat:
		default:
			errs = append(errs, fmt.Errorf("rule %s: unknown category %q", r.ID, r.Category))
		}
		if !vocab.IsChecklistKey(r.Checklist) {
			errs = append(errs, fmt.Errorf("rule %s: unknown checklist item %q", r.ID, r.Checklist))
		}
		if r.Doc.Summary == "" || r.Doc.Why == "" {
			errs = append(errs, fmt.Errorf("rule %s: documentation incomplete (summary and why)", r.ID))
		}
		if r.Check == nil {
			errs = append(errs, fmt.Errorf("rule %s: no check", r.ID))
		}
	}
	return errors.Join(errs...)
}

// userLayer reports whether the 1-based layer n is after the base image.
func userLayer(r *image.Result, n int) bool { return n > r.Base.Layers }

// layerName describes a 1-based layer for messages: "layer 9 (RUN apt-get
// update)" with the command shortened.
func layerName(r *image.Result, n int) string {
	if n <= 0 || n > len(r.Layers) {
		return "no layer"
	}
	l := r.Layers[n-1]
	if l.CreatedBy == "" {
		return fmt.Sprintf("layer %d", n)
	}
	return fmt.Sprintf("layer %d (%s)", n, image.ShortCommand(l.CreatedBy, 50))
}

// parentDir is the directory holding p ("" for a top-level path).
func parentDir(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return ""
}

// matcher compiles built-in patterns; TestBuiltinPatterns holds them all
// valid.
func matcher(patterns ...string) *image.Matcher {
	m, _ := image.NewMatcher(patterns)
	return m
}
