package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/rules"
)

// The fixed point of `fix --unsafe`: linting a fixed file must report no
// finding that a fix exists for. A rule "has a fix" when it proposes one
// anywhere in the rule tests' cases (Fixable); on a fixed file, each
// finding of such a rule must say why it is not fixed there
// (rules.Diagnostic.Declined: the planner could not be sure to keep the
// image working), or be one the rule cannot be sure of (reported as
// uncertain, never with a fix). A finding that still carries a fix, or
// one of a fixable rule with no reason, is a fixed-point failure.

// Leftover is a finding of a fixed file whose rule has a fix.
type Leftover struct {
	Rule    string
	Line    int
	Message string
	// Reason says why the fix is not applied here: the planner's reason,
	// or "uncertain" for a finding the rule cannot be sure of; "" when
	// none is given, which is a failure.
	Reason string
	// Offered is true when the finding still carries a fix: the fixer
	// stopped before applying it, a failure too.
	Offered bool
}

// Failed reports whether the leftover breaks the fixed point.
func (l Leftover) Failed() bool { return l.Offered || l.Reason == "" }

// Fixable returns the IDs of the rules that propose a fix (or say why
// they decline one) in the rule cases under dir (the rules package's
// testdata/lint: NAME.Dockerfile files and directories holding a
// Dockerfile and its context), with every rule on.
func Fixable(ctx context.Context, dir string) (map[string]bool, error) {
	var enable []string
	for _, r := range rules.All() {
		if r.DefaultOff {
			enable = append(enable, r.ID)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the rule cases: %w", err)
	}
	out := map[string]bool{}
	for _, e := range entries {
		path, ctxDir := filepath.Join(dir, e.Name()), ""
		switch {
		case e.IsDir():
			ctxDir, path = path, filepath.Join(path, "Dockerfile")
		case strings.HasSuffix(e.Name(), ".Dockerfile"):
		default:
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		f, err := dockerfile.Parse(path, src)
		if err != nil {
			continue // the parse-error cases
		}
		var bc *rules.BuildContext
		if ctxDir != "" {
			if bc, err = rules.LoadBuildContext(ctxDir, path); err != nil {
				return nil, err
			}
		}
		res, err := rules.Run(ctx, f, bc, rules.Options{Enable: enable, Ignore: []string{rules.SD002.ID}})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, d := range res.Diagnostics {
			if d.Fix != nil && len(d.Fix.Edits)+len(d.Fix.Create) > 0 || d.Declined != "" {
				out[d.Rule.ID] = true
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no rule proposes a fix in %s", dir)
	}
	return out, nil
}

// Leftovers lints a fixed file (with the files the fixes create in its
// build context) and returns its findings of the fixable rules.
func Leftovers(ctx context.Context, path string, res *fix.Result, opts fix.Options, fixable map[string]bool) ([]Leftover, error) {
	f, err := dockerfile.Parse(path, res.Fixed)
	if err != nil {
		return nil, err
	}
	bc := opts.Context
	if bc != nil {
		bc = bc.WithFiles(res.Create)
	}
	lo := opts.Lint
	lo.Ignore = append(append([]string(nil), lo.Ignore...), rules.SD002.ID)
	lr, err := rules.Run(ctx, f, bc, lo)
	if err != nil {
		return nil, err
	}
	var out []Leftover
	for _, d := range lr.Diagnostics {
		offered := d.Fix != nil && len(d.Fix.Edits)+len(d.Fix.Create) > 0 && (opts.Unsafe || !d.Fix.Unsafe)
		if !offered && !fixable[d.Rule.ID] {
			continue
		}
		l := Leftover{Rule: d.Rule.ID, Line: d.Line, Message: d.Message, Reason: d.Declined, Offered: offered}
		if d.Uncertain {
			l.Reason = "uncertain"
		}
		out = append(out, l)
	}
	return out, nil
}

// reasonDigits are the numbers in a reason (line numbers, versions),
// left out when reasons are counted.
var reasonDigits = lazyre.New(`line \d+|lines? [\d, ]+\d`)

// reasonNames are the names in reasons that vary from file to file (a
// package, an image, a pinned requirement), left out when reasons are
// counted.
var reasonNames = lazyre.New(`^\S+ (is not among the packages strata knows to keep their name in) \S+'s release|^(requirements\.txt|\S+) (pins) \S+|^\S+ (skips) \d+ major versions`)

// ReasonKey is a leftover's reason with its line numbers (and the names
// that vary from file to file) left out, to count reasons over many
// files.
func ReasonKey(l Leftover) string {
	r := reasonDigits.Regexp().ReplaceAllString(l.Reason, "line N")
	r = reasonNames.Regexp().ReplaceAllStringFunc(r, func(m string) string {
		switch {
		case strings.Contains(m, "is not among"):
			return "PACKAGE is not among the packages strata knows to keep their name in the new base's release"
		case strings.Contains(m, " pins "):
			return "a requirements file pins a version,"
		}
		return "the move skips several major versions"
	})
	return l.Rule + ": " + r
}

// Exceptions counts the leftovers of the corpus by rule and reason, most
// frequent first, as lines "COUNT  RULE: REASON".
func (r *Report) Exceptions() []string {
	n := map[string]int{}
	for _, f := range r.Files {
		for _, l := range f.Leftovers {
			if !l.Failed() {
				n[ReasonKey(l)]++
			}
		}
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if n[keys[i]] != n[keys[j]] {
			return n[keys[i]] > n[keys[j]]
		}
		return keys[i] < keys[j]
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%5d  %s", n[k], k)
	}
	return out
}
