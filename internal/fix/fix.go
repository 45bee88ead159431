// Package fix rewrites a Dockerfile with the fixes its rules propose: it
// applies non-overlapping text edits in passes until nothing changes,
// checks that every intermediate result still parses, and records what
// changed and why. The fixes are edit.Fix values (internal/fix/edit):
// small edits the rules write themselves, and the structural rewrites of
// internal/fix/plan (a .dockerignore, a non-root user, dependency
// manifests first, a build stage), which the rules ask for.
package fix

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/rules"
)

// maxPasses bounds the fixing loop; a rule set that has not converged by
// then has fixes that undo each other, which is a bug worth reporting.
const maxPasses = 16

// Options configure a fix run.
type Options struct {
	// Unsafe also applies fixes that change what the image contains.
	Unsafe bool
	// Lint configures the rules that propose fixes.
	Lint rules.Options
	// Context is the build context the rules read.
	Context *rules.BuildContext
}

// Change is one applied fix.
type Change struct {
	Rule     string // rule ID
	Name     string // rule name
	Category string
	Line     int // line in the text the fix was applied to
	Message  string
	Unsafe   bool
	Pass     int // 1-based pass number
}

// Result is the outcome of fixing one file.
type Result struct {
	Path     string
	Original []byte
	Fixed    []byte
	Changes  []Change
	// Passes is the number of lint passes run.
	Passes int
	// Create lists the files the fixes add to the build context, by
	// context-relative path; the first fix to ask for a path wins.
	Create []edit.NewFile
	// Declined lists the findings of the fixed file whose rule has a fix
	// but did not offer it here, each with the reason (a structural
	// rewrite that could not be sure to keep the image working, say).
	Declined []Declined
}

// Declined is a finding left unfixed on purpose, and why.
type Declined struct {
	Rule    string
	Line    int
	Message string
	Reason  string
}

// Changed reports whether any fix was applied.
func (r *Result) Changed() bool { return string(r.Original) != string(r.Fixed) }

// ErrNotConverging is returned when fixes keep changing the file.
var ErrNotConverging = errors.New("fixes did not converge")

// ErrBrokeParse is returned when a pass of fixes leaves a Dockerfile
// that does not parse.
var ErrBrokeParse = errors.New("a fix produced a Dockerfile that does not parse")

// File fixes the Dockerfile source src (named path in messages). A
// source that does not parse is returned as an error and never touched.
func File(ctx context.Context, path string, src []byte, opts Options) (*Result, error) {
	res := &Result{Path: path, Original: src, Fixed: src}
	cur := src
	// ShellCheck (SD002) proposes no fix: running shellcheck on every
	// pass would only cost time.
	opts.Lint.Ignore = append(append([]string(nil), opts.Lint.Ignore...), rules.SD002.ID)
	for pass := 1; ; pass++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := dockerfile.Parse(path, cur)
		if err != nil {
			if pass == 1 {
				return nil, err
			}
			return nil, fmt.Errorf("fixing %s: pass %d: %w (a rule's fix is wrong): %w", path, pass-1, ErrBrokeParse, err)
		}
		if pass > maxPasses {
			return nil, fmt.Errorf("fixing %s: %w after %d passes", path, ErrNotConverging, maxPasses)
		}
		lr, err := rules.Run(ctx, f, opts.Context, opts.Lint)
		if err != nil {
			return nil, err
		}
		res.Passes = pass
		res.Declined = res.Declined[:0]
		for _, d := range lr.Diagnostics {
			if d.Declined != "" {
				res.Declined = append(res.Declined, Declined{Rule: d.Rule.ID, Line: d.Line, Message: d.Message, Reason: d.Declined})
			}
		}
		chosen := choose(lr.Diagnostics, opts.Unsafe, len(cur))
		if len(chosen) == 0 {
			break
		}
		var edits []edit.TextEdit
		created := false
		for _, d := range chosen {
			edits = append(edits, d.Fix.Edits...)
			for _, nf := range d.Fix.Create {
				if !hasFile(res.Create, nf.Path) {
					res.Create = append(res.Create, nf)
					created = true
				}
			}
			res.Changes = append(res.Changes, Change{
				Rule: d.Rule.ID, Name: d.Rule.Name, Category: string(d.Rule.Category),
				Line: d.Line, Message: d.Fix.Message, Unsafe: d.Fix.Unsafe, Pass: pass,
			})
		}
		next := applyEdits(cur, edits)
		if string(next) == string(cur) && !created {
			break
		}
		cur = next
		// Rules see files a fix creates as if they were in the context
		// already, so the next pass does not ask for them again.
		if created && opts.Context != nil {
			opts.Context = opts.Context.WithFiles(res.Create)
		}
	}
	res.Fixed = cur
	return res, nil
}

// choose picks the fixes to apply in one pass: those allowed by the
// safety setting whose edits are valid and overlap no edit already
// chosen, the structural rewrites before the others (see
// structuralFirst). Candidates are taken in order of their rank
// (edit.Fix.Order), their first edit's position, then rule ID, so the outcome is deterministic; a fix that loses an
// overlap is proposed again on the next pass against the new text.
func choose(ds []rules.Diagnostic, unsafe bool, size int) []rules.Diagnostic {
	var cands []rules.Diagnostic
	for _, d := range ds {
		if d.Fix == nil || len(d.Fix.Edits)+len(d.Fix.Create) == 0 || (d.Fix.Unsafe && !unsafe) {
			continue
		}
		if !validEdits(d.Fix.Edits, size) {
			continue
		}
		cands = append(cands, d)
	}
	cands = structuralFirst(cands)
	sort.SliceStable(cands, func(i, j int) bool {
		if oi, oj := cands[i].Fix.Order, cands[j].Fix.Order; oi != oj {
			return oi < oj
		}
		a, b := firstPos(cands[i].Fix.Edits), firstPos(cands[j].Fix.Edits)
		if a != b {
			return a < b
		}
		return cands[i].Rule.ID < cands[j].Rule.ID
	})
	var taken []edit.TextEdit
	var regions []edit.Span
	var out []rules.Diagnostic
	for _, d := range cands {
		if overlapsAny(d.Fix.Edits, taken) || touchesAny(d.Fix.Edits, regions) {
			continue
		}
		if r := d.Fix.Region; r != nil && touchesAny(taken, []edit.Span{*r}) {
			continue
		}
		taken = append(taken, d.Fix.Edits...)
		if d.Fix.Region != nil {
			regions = append(regions, *d.Fix.Region)
		}
		out = append(out, d)
	}
	return out
}

// structuralFirst keeps, when any candidate is a structural rewrite
// (edit.Fix.Structural), only the structural rewrites and the fixes that
// only add files: rewrites are planned on the whole file as written, and
// the local edits (joins, flags, clean-ups) are proposed again on the
// next pass against the rewritten text. Otherwise it returns cands.
func structuralFirst(cands []rules.Diagnostic) []rules.Diagnostic {
	any := false
	for _, d := range cands {
		any = any || d.Fix.Structural
	}
	if !any {
		return cands
	}
	var out []rules.Diagnostic
	for _, d := range cands {
		if d.Fix.Structural || len(d.Fix.Edits) == 0 {
			out = append(out, d)
		}
	}
	return out
}

// touchesAny reports whether an edit lies within or at an end of one of
// the regions.
func touchesAny(es []edit.TextEdit, regions []edit.Span) bool {
	for _, e := range es {
		for _, r := range regions {
			if e.Pos <= r.End && e.End >= r.Pos {
				return true
			}
		}
	}
	return false
}

func validEdits(es []edit.TextEdit, size int) bool {
	for i, e := range es {
		if e.Pos < 0 || e.End < e.Pos || e.End > size {
			return false
		}
		for _, o := range es[:i] {
			if overlap(e, o) {
				return false
			}
		}
	}
	return true
}

func hasFile(fs []edit.NewFile, path string) bool {
	for _, f := range fs {
		if f.Path == path {
			return true
		}
	}
	return false
}

func firstPos(es []edit.TextEdit) int {
	if len(es) == 0 {
		return -1
	}
	p := es[0].Pos
	for _, e := range es[1:] {
		if e.Pos < p {
			p = e.Pos
		}
	}
	return p
}

// overlap reports whether two edits touch the same bytes. Two insertions
// at the same point overlap too: their order would be arbitrary.
func overlap(a, b edit.TextEdit) bool {
	if a.Pos == a.End && b.Pos == b.End {
		return a.Pos == b.Pos
	}
	if a.Pos == a.End {
		return a.Pos > b.Pos && a.Pos < b.End
	}
	if b.Pos == b.End {
		return b.Pos > a.Pos && b.Pos < a.End
	}
	return a.Pos < b.End && b.Pos < a.End
}

func overlapsAny(es, taken []edit.TextEdit) bool {
	for _, e := range es {
		for _, t := range taken {
			if overlap(e, t) {
				return true
			}
		}
	}
	return false
}

// applyEdits applies non-overlapping edits to src.
func applyEdits(src []byte, edits []edit.TextEdit) []byte {
	sorted := append([]edit.TextEdit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Pos != sorted[j].Pos {
			return sorted[i].Pos < sorted[j].Pos
		}
		return sorted[i].End < sorted[j].End
	})
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Pos]...)
		out = append(out, e.NewText...)
		last = e.End
	}
	return append(out, src[last:]...)
}
