// Package corpus checks lint and `fix --unsafe` on a corpus of real
// Dockerfiles kept outside the repository (SOURCES.tsv lists them: the
// repository, commit, path, whether the build context is complete and
// whether Docker accepts the file). Every file is linted and fixed in
// process, nothing is written to the corpus, and a file counts against
// strata when linting or fixing it crashes, a file Docker accepts is
// rejected, the fixes do not converge or leave a file that does not
// parse, or the casing fix changes a word that is not an instruction
// keyword. scripts/corpus.sh runs it through the package's test.
package corpus

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/command"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

// Entry is one Dockerfile of the corpus.
type Entry struct {
	Repo    string // owner/name
	Commit  string
	Path    string // inside the repository
	Context string // "full" or "partial"
	Expect  string // "ok" when Docker accepts the file
	// File is the Dockerfile's path on disk: the corpus directory, the
	// repository's folder (owner__name) and Path.
	File string
}

// Name is the entry's short name: folder/path.
func (e Entry) Name() string { return strings.ReplaceAll(e.Repo, "/", "__") + "/" + e.Path }

// Load reads dir/SOURCES.tsv (a header line, then one tab-separated line
// per file: repo, commit, path, context, expect).
func Load(dir string) ([]Entry, error) {
	p := filepath.Join(dir, "SOURCES.tsv")
	fh, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("reading the corpus list: %w", err)
	}
	defer fh.Close()
	var out []Entry
	sc := bufio.NewScanner(fh)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if line == 1 || strings.TrimSpace(t) == "" {
			continue
		}
		cols := strings.Split(t, "\t")
		if len(cols) < 5 {
			return nil, fmt.Errorf("%s:%d: want 5 tab-separated columns (repo, commit, path, context, expect), got %d", p, line, len(cols))
		}
		e := Entry{Repo: cols[0], Commit: cols[1], Path: cols[2], Context: cols[3], Expect: cols[4]}
		e.File = filepath.Join(dir, strings.ReplaceAll(e.Repo, "/", "__"), filepath.FromSlash(e.Path))
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	return out, nil
}

// Kind is a kind of problem a corpus file shows.
type Kind string

// The problems Run looks for.
const (
	Crash          Kind = "crash"             // a panic, a hang, or an error that is not about the input
	FalseRejection Kind = "false rejection"   // lint refuses a file Docker accepts
	NotConverging  Kind = "non-converging"    // the fixes keep changing the file
	Unparsable     Kind = "unparsable fix"    // a fixed file that does not parse
	BadCasing      Kind = "bad casing edit"   // the casing fix changed a word that is not a keyword
	NotFixedPoint  Kind = "not a fixed point" // the fixed file still has a finding a fix exists for, with no reason
)

// Kinds lists the problem kinds in the order the summary prints them.
var kinds = []Kind{Crash, FalseRejection, NotConverging, Unparsable, BadCasing, NotFixedPoint}

// Problem is one thing wrong on one file.
type Problem struct {
	Kind   Kind
	Detail string
}

// Options configure a run.
type Options struct {
	// ShellCheck runs ShellCheck (SD002) on the RUN scripts; it is off
	// by default because it takes most of the time.
	ShellCheck bool
	// Workers is how many files are checked at a time (0: GOMAXPROCS).
	Workers int
	// Timeout bounds the work on one file (0: one minute).
	Timeout time.Duration
	// Fixable are the rules that have a fix (see Fixable): when set, the
	// fixed file's findings of these rules are checked (Leftovers).
	Fixable map[string]bool
}

// FileResult is what Run found on one file.
type FileResult struct {
	Entry    Entry
	Findings map[string]int // rule ID -> findings of the lint
	Problems []Problem
	// Fix is the --unsafe fix of the file (nil when it failed).
	Fix *fix.Result
	// Leftovers are the fixed file's findings of rules that have a fix
	// (with Options.Fixable).
	Leftovers []Leftover
}

// Report is the outcome of a run.
type Report struct {
	Files []FileResult
}

// Run lints and fixes every entry.
func Run(ctx context.Context, entries []Entry, opts Options) *Report {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	rep := &Report{Files: make([]FileResult, len(entries))}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rep.Files[i] = checkFile(ctx, entries[i], opts)
			}
		}()
	}
	for i := range entries {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return rep
}

// checkFile lints and fixes one file, turning a panic into a Crash.
func checkFile(ctx context.Context, e Entry, opts Options) (fr FileResult) {
	fr = FileResult{Entry: e, Findings: map[string]int{}}
	defer func() {
		if r := recover(); r != nil {
			fr.Problems = append(fr.Problems, Problem{Crash, fmt.Sprintf("panic: %v\n%s", r, debug.Stack())})
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	src, err := os.ReadFile(e.File)
	if err != nil {
		fr.Problems = append(fr.Problems, Problem{Crash, fmt.Sprintf("reading the file: %v", err)})
		return fr
	}
	req := lint.Request{Paths: []string{e.File}}
	if !opts.ShellCheck {
		req.Ignore = []string{"SD002"}
	}
	set, err := lint.SettingsFor(e.File, req)
	if err != nil {
		fr.Problems = append(fr.Problems, Problem{Crash, fmt.Sprintf("settings: %v", err)})
		return fr
	}
	f, err := dockerfile.Parse(e.File, src)
	if err != nil {
		if e.Expect == "ok" {
			fr.Problems = append(fr.Problems, Problem{FalseRejection, err.Error()})
		}
		return fr
	}
	if e.Expect != "ok" {
		// A file Docker rejects: nothing more to check on it.
		return fr
	}
	res, err := rules.Run(ctx, f, set.Context, set.Options)
	if err != nil {
		fr.Problems = append(fr.Problems, Problem{Crash, "lint: " + err.Error()})
		return fr
	}
	for _, d := range res.Diagnostics {
		fr.Findings[d.Rule.ID]++
	}
	fr.Problems = append(fr.Problems, checkFix(ctx, e, src, set, &fr, opts.Fixable)...)
	fr.Problems = append(fr.Problems, checkCasing(ctx, e, src, set)...)
	return fr
}

// checkFix runs `fix --unsafe` on the file, then again on its output
// (with the files the first run creates), which must change nothing.
func checkFix(ctx context.Context, e Entry, src []byte, set *lint.Settings, fr *FileResult, fixable map[string]bool) []Problem {
	opts := fix.Options{Unsafe: true, Lint: set.Options, Context: set.Context}
	res, err := fix.File(ctx, e.File, src, opts)
	if err != nil {
		return []Problem{fixProblem(err)}
	}
	fr.Fix = res
	if _, err := dockerfile.Parse(e.File, res.Fixed); err != nil {
		return []Problem{{Unparsable, err.Error()}}
	}
	var problems []Problem
	if fixable != nil {
		left, err := Leftovers(ctx, e.File, res, opts, fixable)
		if err != nil {
			return []Problem{{Crash, "linting the fixed file: " + err.Error()}}
		}
		fr.Leftovers = left
		for _, l := range left {
			if l.Failed() {
				what := "no reason why its fix is not applied"
				if l.Offered {
					what = "its fix is still offered"
				}
				problems = append(problems, Problem{NotFixedPoint, fmt.Sprintf("line %d %s (%s): %s", l.Line, l.Rule, what, l.Message)})
			}
		}
	}
	if !res.Changed() && len(res.Create) == 0 {
		return problems
	}
	opts.Context = set.Context.WithFiles(res.Create)
	again, err := fix.File(ctx, e.File, res.Fixed, opts)
	if err != nil {
		return []Problem{fixProblem(err)}
	}
	if again.Changed() {
		var rs []string
		for _, c := range again.Changes {
			rs = append(rs, fmt.Sprintf("%s line %d: %s", c.Rule, c.Line, c.Message))
		}
		return append(problems, Problem{NotConverging, "fixing the fixed file changes it again: " + strings.Join(rs, "; ")})
	}
	return problems
}

// fixProblem classifies an error of fix.File.
func fixProblem(err error) Problem {
	switch {
	case errors.Is(err, fix.ErrNotConverging):
		return Problem{NotConverging, err.Error()}
	case errors.Is(err, fix.ErrBrokeParse):
		return Problem{Unparsable, err.Error()}
	}
	return Problem{Crash, "fix: " + err.Error()}
}

// checkCasing applies the casing fixes alone (ConsistentInstructionCasing
// and FromAsCasing) and checks that they changed nothing but the letter
// case of keywords: the text keeps its length, and every changed byte
// lies in the keyword of an instruction Docker knows or in the AS of a
// FROM.
func checkCasing(ctx context.Context, e Entry, src []byte, set *lint.Settings) []Problem {
	lo := set.Options
	lo.Rules = []*rules.Rule{rules.ConsistentInstructionCasing, rules.FromAsCasing}
	res, err := fix.File(ctx, e.File, src, fix.Options{Lint: lo, Context: set.Context})
	if err != nil {
		return []Problem{fixProblem(err)}
	}
	if !res.Changed() {
		return nil
	}
	f, err := dockerfile.Parse(e.File, src)
	if err != nil {
		return []Problem{{Crash, err.Error()}}
	}
	if bad := casingOnly(f, res.Fixed); len(bad) > 0 {
		return []Problem{{BadCasing, strings.Join(bad, "; ")}}
	}
	return nil
}

// casingOnly returns the lines where fixed, a re-cased copy of f's
// source, changes more than the letter case of keywords (one entry per
// line: "line N: before -> after").
func casingOnly(f *dockerfile.File, fixed []byte) []string {
	src := f.Source
	if len(fixed) != len(src) {
		return []string{"the length of the file changed"}
	}
	inKeyword := make([]bool, len(src))
	for _, in := range f.Instructions {
		for _, k := range keywordSpans(f, in) {
			for i := k[0]; i < k[1] && i < len(src); i++ {
				inKeyword[i] = true
			}
		}
	}
	var bad []string
	for i := 0; i < len(src); i++ {
		if src[i] == fixed[i] {
			continue
		}
		if !inKeyword[i] || !strings.EqualFold(string(src[i]), string(fixed[i])) {
			ln := 1 + strings.Count(string(src[:i]), "\n")
			bad = append(bad, fmt.Sprintf("line %d: %q -> %q", ln, lineOf(src, i), lineOf(fixed, i)))
			// One entry per line.
			for i < len(src) && src[i] != '\n' {
				i++
			}
		}
	}
	return bad
}

// keywordSpans returns the byte ranges of the keywords of a known
// instruction (and of the instruction an ONBUILD wraps).
func keywordSpans(f *dockerfile.File, in *dockerfile.Instruction) [][2]int {
	if !known(in.Cmd) {
		return nil
	}
	pos := f.Offset(in.StartLine, in.Column)
	out := [][2]int{{pos, pos + len(in.Keyword)}}
	if t := in.Trigger; t != nil && known(t.Cmd) {
		i := pos + len(in.Keyword)
		for i < len(f.Source) && (f.Source[i] == ' ' || f.Source[i] == '\t') {
			i++
		}
		out = append(out, [2]int{i, i + len(t.Keyword)})
	}
	if in.Cmd == "from" && len(in.Args) == 3 && strings.EqualFold(in.Args[1], "as") {
		// FROM [--flags] IMAGE AS NAME on one line: AS is the word
		// after the image.
		words := strings.Fields(lineOf(f.Source, pos)[in.Column-1+len(in.Keyword):])
		at := pos + len(in.Keyword)
		rest := string(f.Source[at:])
		for n, w := range words {
			i := strings.Index(rest, w)
			if i < 0 {
				break
			}
			if n > 0 && strings.EqualFold(w, "as") && !strings.HasPrefix(words[n-1], "--") {
				out = append(out, [2]int{at + i, at + i + 2})
				break
			}
			at += i + len(w)
			rest = rest[i+len(w):]
		}
	}
	return out
}

// known reports whether cmd is an instruction Docker knows.
func known(cmd string) bool {
	_, ok := command.Commands[cmd]
	return ok
}

// lineOf returns the line of b that holds offset i.
func lineOf(b []byte, i int) string {
	s := strings.LastIndexByte(string(b[:i]), '\n') + 1
	e := strings.IndexByte(string(b[i:]), '\n')
	if e < 0 {
		return string(b[s:])
	}
	return string(b[s : i+e])
}

// Counts returns the number of files with each kind of problem.
func (r *Report) Counts() map[Kind]int {
	out := map[Kind]int{}
	for _, f := range r.Files {
		seen := map[Kind]bool{}
		for _, p := range f.Problems {
			if !seen[p.Kind] {
				seen[p.Kind] = true
				out[p.Kind]++
			}
		}
	}
	return out
}

// Findings returns the lint findings per rule over every file.
func (r *Report) Findings() map[string]int {
	out := map[string]int{}
	for _, f := range r.Files {
		for id, n := range f.Findings {
			out[id] += n
		}
	}
	return out
}

// Edits returns how many fixes each rule applied over every file,
// unsafe ones under "ID (unsafe)".
func (r *Report) Edits() map[string]int {
	out := map[string]int{}
	for _, f := range r.Files {
		if f.Fix == nil {
			continue
		}
		for _, c := range f.Fix.Changes {
			k := c.Rule
			if c.Unsafe {
				k += " (unsafe)"
			}
			out[k]++
		}
	}
	return out
}

// Summary is the last line of the report: files and the count of each
// problem kind.
func (r *Report) Summary() string {
	c := r.Counts()
	parts := []string{fmt.Sprintf("files %d", len(r.Files))}
	names := map[Kind]string{Crash: "crashes", FalseRejection: "false rejections", NotConverging: "non-converging fixes", Unparsable: "unparsable fixes", BadCasing: "bad casing edits",
		NotFixedPoint: "findings left that a fix exists for"}
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", names[k], c[k]))
	}
	return "corpus: " + strings.Join(parts, ", ")
}

// Table returns per-rule counts as aligned lines, most frequent first.
func Table(title string, m map[string]int) string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if m[ids[i]] != m[ids[j]] {
			return m[ids[i]] > m[ids[j]]
		}
		return ids[i] < ids[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%s:\n", title)
	for _, id := range ids {
		fmt.Fprintf(&b, "  %-36s %5d\n", id, m[id])
	}
	return b.String()
}
