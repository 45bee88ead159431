package rules

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/vocab"
)

// Options configure a lint run.
type Options struct {
	// Rules to run; nil means All().
	Rules []*Rule
	// Ignore lists rule IDs or aliases to switch off.
	Ignore []string
	// Severity overrides a rule's severity, keyed by ID or alias.
	// Ignore as a value switches the rule off.
	Severity map[string]vocab.Severity
	// Enable switches on rules that are off by default.
	Enable []string
	// Settings are values rules read.
	Settings Settings
	// NoInlineIgnores disregards "# strata ignore=" and "# hadolint
	// ignore=" comments.
	NoInlineIgnores bool
	// ShellCheck runs the shellcheck program for SD002; share one between
	// the files of a run. nil: SD002 makes one per file.
	ShellCheck *ShellCheck
	// Compose reads the Compose files around the build context; share
	// one between the files of a run. nil: each file reads them.
	Compose *intent.ComposeFiles
}

// ChecklistStatus is the state of one checklist item for a file.
type ChecklistStatus struct {
	Key    string
	Title  string
	Status vocab.Status
}

// Result is the outcome of linting one file.
type Result struct {
	Diagnostics []Diagnostic
	Checklist   []ChecklistStatus
}

// Run lints f with the enabled rules and returns the findings that
// survive suppression, sorted by position, and the checklist.
func Run(ctx context.Context, f *dockerfile.File, bc *BuildContext, opts Options) (*Result, error) {
	all := opts.Rules
	if all == nil {
		all = All()
	}
	sup := readSuppressions(f)
	if opts.NoInlineIgnores {
		sup.disableIgnorePragmas()
	}
	fx := newFacts(f)
	// "# check=experimental=NAME" switches on BuildKit's experimental
	// checks, which are off by default.
	opts.Enable = append(append([]string(nil), opts.Enable...), EnabledBySettings(&opts.Settings)...)
	// BuildKit compares the names as written.
	for _, n := range sup.checkExperimental {
		for _, r := range all {
			if r.DefaultOff && isBuildKitCheck(r, sup.buildkit) && (n == "all" || exactName(r, n)) {
				opts.Enable = append(opts.Enable, r.ID)
			}
		}
	}
	var out []Diagnostic
	collect := func(r *Rule, sev vocab.Severity, found []Diagnostic) {
		for _, d := range found {
			if sup.suppressed(d) {
				continue
			}
			// A rule may report under rules of its own (the ShellCheck
			// runner reports each SC code as a rule): configuration
			// applies to the rule the finding carries.
			d.Severity = sev
			if d.Rule != r {
				s, on := effectiveSeverity(d.Rule, opts)
				if !on {
					continue
				}
				d.Severity = s
			}
			if sup.checkError && isBuildKitCheck(d.Rule, sup.buildkit) {
				d.Severity = vocab.Error
			}
			if d.Uncertain {
				d.Severity, d.Fix = min(d.Severity, vocab.Info), nil
			}
			out = append(out, d)
		}
	}
	// Checks that left work for later (Pass.Later) are finished after the
	// others, and always: their work may hold processes.
	type pending struct {
		r     *Rule
		sev   vocab.Severity
		p     *Pass
		found *[]Diagnostic
	}
	var later []pending
	finish := func() error {
		var first error
		for _, pd := range later {
			for _, f := range pd.p.later {
				if err := runLater(pd.r, pd.p, f); err != nil && first == nil {
					first = err
				}
			}
			collect(pd.r, pd.sev, *pd.found)
		}
		later = nil
		return first
	}
	defer func() { _ = finish() }()
	for _, r := range earlyFirst(all) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("linting %s: %w", f.Path, err)
		}
		sev, on := effectiveSeverity(r, opts)
		if !on {
			continue
		}
		found := new([]Diagnostic)
		p := &Pass{Rule: r, File: f, Context: bc, Settings: &opts.Settings, facts: fx, report: func(d Diagnostic) {
			*found = append(*found, d)
		}, ctx: ctx, shellcheck: opts.ShellCheck, compose: opts.Compose}
		if err := runCheck(r, p); err != nil {
			return nil, fmt.Errorf("linting %s: %w", f.Path, err)
		}
		if len(p.later) > 0 {
			later = append(later, pending{r, sev, p, found})
			continue
		}
		collect(r, sev, *found)
	}
	if err := finish(); err != nil {
		return nil, fmt.Errorf("linting %s: %w", f.Path, err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule.ID < b.Rule.ID
	})
	out = dedupe(mergeTwins(out, all))
	return &Result{Diagnostics: out, Checklist: checklistFor(f, bc, all, opts, out)}, nil
}

// runCheck runs one rule. An error the check returns, or a panic in it,
// comes back as an error that names the rule (the caller adds the file)
// instead of crashing the program.
func runCheck(r *Rule, p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("rule %s failed: %v", r.ID, v)
		}
	}()
	if r.Check == nil {
		return nil
	}
	if err := r.Check(p); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	}
	return nil
}

// earlyFirst returns the rules with the Early ones first, each group in
// its order.
func earlyFirst(all []*Rule) []*Rule {
	out := make([]*Rule, 0, len(all))
	for _, early := range []bool{true, false} {
		for _, r := range all {
			if r.Early == early {
				out = append(out, r)
			}
		}
	}
	return out
}

// runLater runs work a check left for later, as runCheck runs the check.
func runLater(r *Rule, p *Pass, f func(context.Context) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("rule %s failed: %v", r.ID, v)
		}
	}()
	if err := f(p.ctx); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	}
	return nil
}

// effectiveSeverity applies the configuration to a rule.
func effectiveSeverity(r *Rule, opts Options) (vocab.Severity, bool) {
	if r.Retired || r.Check == nil {
		return vocab.Ignore, false
	}
	for _, n := range opts.Ignore {
		if r.Matches(n) {
			return vocab.Ignore, false
		}
	}
	on := !r.DefaultOff
	for _, n := range opts.Enable {
		if r.Matches(n) {
			on = true
		}
	}
	sev := r.Severity
	for name, s := range opts.Severity {
		if r.Matches(name) {
			sev = s
			on = true
		}
	}
	if sev == vocab.Ignore {
		return vocab.Ignore, false
	}
	return sev, on
}

// mergeTwins folds the finding of a rule into its twin's on the same
// line (see Rule.Twins): the rule listed first in all keeps the finding,
// the other's ID goes to Also. ds is sorted by line.
func mergeTwins(ds []Diagnostic, all []*Rule) []Diagnostic {
	order := make(map[*Rule]int, len(all))
	for i, r := range all {
		order[r] = i
	}
	out := ds[:0]
	for i := 0; i < len(ds); {
		j := i
		for j < len(ds) && ds[j].Line == ds[i].Line {
			j++
		}
		line := ds[i:j]
		dropped := make([]bool, len(line))
		for a := range line {
			for b := range line {
				if a == b || dropped[a] || dropped[b] || !line[a].Rule.twinOf(line[b].Rule) {
					continue
				}
				keep, drop := a, b
				if order[line[b].Rule] < order[line[a].Rule] {
					keep, drop = b, a
				}
				line[keep].Also = append(line[keep].Also, line[drop].Rule.ID)
				if line[keep].Fix == nil {
					line[keep].Fix = line[drop].Fix
				}
				dropped[drop] = true
			}
		}
		for k, d := range line {
			if !dropped[k] {
				out = append(out, d)
			}
		}
		i = j
	}
	return out
}

// dedupe drops exact repeats (same rule, line and message).
func dedupe(ds []Diagnostic) []Diagnostic {
	seen := map[string]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := fmt.Sprintf("%s\x00%d\x00%d\x00%s", d.Rule.ID, d.Line, d.Column, d.Message)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// checklistFor derives each checklist item's status: fail when a finding
// serves it, pass when it applies and no enabled rule found anything,
// n/a otherwise.
func checklistFor(f *dockerfile.File, bc *BuildContext, all []*Rule, opts Options, ds []Diagnostic) []ChecklistStatus {
	failed := map[string]bool{}
	for _, d := range ds {
		if d.Rule.Checklist != "" {
			failed[d.Rule.Checklist] = true
		}
	}
	covered := map[string]bool{}
	for _, r := range all {
		if _, on := effectiveSeverity(r, opts); on && r.Checklist != "" {
			covered[r.Checklist] = true
		}
	}
	var out []ChecklistStatus
	for _, it := range Checklist() {
		st := vocab.NA
		switch {
		case failed[it.Key]:
			st = vocab.Fail
		case covered[it.Key] && it.Applies(f, bc):
			st = vocab.Pass
		}
		out = append(out, ChecklistStatus{Key: it.Key, Title: it.Title, Status: st})
	}
	return out
}

// Lookup finds a rule by ID, alias or, failing those, twin among rs.
func Lookup(rs []*Rule, name string) *Rule {
	for _, r := range rs {
		if strings.EqualFold(r.ID, name) {
			return r
		}
	}
	for _, r := range rs {
		if r.Matches(name) {
			return r
		}
	}
	return nil
}

// Known reports whether name is a rule ID or alias (retired codes
// included) or a ShellCheck code.
func Known(rs []*Rule, name string) bool {
	if Lookup(rs, name) != nil {
		return true
	}
	up := strings.ToUpper(name)
	return strings.HasPrefix(up, "SC") && len(up) == 6
}
