package buildcontext

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// Request says what to analyse.
type Request struct {
	// Dir is the build context directory.
	Dir string
	// Dockerfile is the Dockerfile's path; it must lie in Dir.
	Dockerfile string
	// Plan is what BuildKit builds for the Dockerfile (which paths its
	// instructions read).
	Plan *buildplan.Plan
	// Top is the length of the largest-files and -directories lists
	// (default 10).
	Top int
}

// topFiles is the name TopFolders gives the files directly in the
// context directory.
const topFiles = "(top-level files)"

// read is one context read of the plan, with its taker.
type read struct {
	buildplan.Read
	taker Taker
	use   *ReadUse
}

// dirAgg sums the files below one directory.
type dirAgg struct {
	bytes, sentBytes, wire, sentWire int64
	files, sentFiles                 int
	// taken counts the files any instruction reads; named those an
	// instruction reads by name (not only as part of the whole context).
	taken, named int
	maxChild     int64
}

// merge adds a subdirectory's sums.
func (ag *dirAgg) merge(c *dirAgg) {
	ag.bytes += c.bytes
	ag.sentBytes += c.sentBytes
	ag.wire += c.wire
	ag.sentWire += c.sentWire
	ag.files += c.files
	ag.sentFiles += c.sentFiles
	ag.taken += c.taken
	ag.named += c.named
	ag.maxChild = max(ag.maxChild, c.bytes)
}

// openDir is a directory the walk is in.
type openDir struct {
	path string
	agg  *dirAgg
}

// junkAgg sums one junk path.
type junkAgg struct {
	Junk
	takers    map[int]bool
	named     bool
	wire      int64
	sentWire  int64
	sentBytes int64
	sentFiles int
}

// fileAgg is one file at the top of the context.
type fileAgg struct {
	bytes, wire int64
	sent, taken bool
}

// analysis is one Analyze call's state.
type analysis struct {
	dir     string
	top     int
	reads   []*read
	whole   bool // an instruction reads the whole context
	usesCtx bool // an instruction reads the context at all
	follow  []string
	rep     *Report
	matcher *dockerignore.Matcher

	dirs map[string]*dirAgg
	open []openDir
	// fileSums are the sums of the top-level files, the Dockerfile, the
	// ignore file and the secrets.
	fileSums  map[string]*fileAgg
	ownFiles  [2]string
	tops      map[string]*Usage
	files     []Usage // largest files, sorted descending, at most top
	junk      map[string]*junkAgg
	junkOrder []string
	secrets   []*Secret
	venvs     map[string]bool
	// fromStages are the reads of other stages (nothing of the context).
	fromStages []ReadUse
}

// Analyze walks the context of req and reports what a build sends (see
// the package documentation). A context that is not a directory, a
// Dockerfile outside it and an invalid ignore file are
// *vocab.InputError; unreadable entries are listed in Problems and the
// walk goes on.
func Analyze(ctx context.Context, req Request) (*Report, error) {
	fi, err := os.Stat(req.Dir)
	switch {
	case err != nil:
		return nil, vocab.Inputf("build context %s: %w", req.Dir, unwrapPath(err))
	case !fi.IsDir():
		return nil, vocab.Inputf("build context %s is not a directory", req.Dir)
	}
	if dockerignore.InContext(req.Dir, req.Dockerfile) == "" {
		return nil, vocab.Inputf("the Dockerfile %s lies outside the build context %s: give the folder that holds both as the context", req.Dockerfile, req.Dir)
	}
	m, err := dockerignore.Load(req.Dir, req.Dockerfile)
	if err != nil {
		return nil, err
	}
	a := &analysis{
		dir: req.Dir, top: req.Top, matcher: m, dirs: map[string]*dirAgg{}, tops: map[string]*Usage{}, fileSums: map[string]*fileAgg{},
		junk: map[string]*junkAgg{}, venvs: map[string]bool{},
		rep: &Report{Dir: req.Dir, Dockerfile: req.Dockerfile, IgnoreFile: m.Path, IgnorePatterns: append([]string{}, m.Patterns...)},
	}
	if a.top <= 0 {
		a.top = 10
	}
	a.ownFiles = [2]string{dockerignore.InContext(req.Dir, req.Dockerfile), dockerignore.InContext(req.Dir, m.Path)}
	a.setReads(req.Plan)
	rep := a.rep
	dfs := newDiskFS(req.Dir)
	rep.Passed.Transfer, err = transfer(ctx, dfs, m.Patterns, nil, a.add)
	if err != nil {
		return nil, walkError(ctx, req.Dir, err)
	}
	a.leave("")
	rep.Problems = dfs.problems
	if err := a.finish(); err != nil {
		return nil, err
	}
	switch {
	case !a.usesCtx:
	case a.follow == nil:
		rep.Sent = rep.Passed
	default:
		sentFS := newDiskFS(req.Dir)
		rep.Sent.Transfer, err = transfer(ctx, sentFS, m.Patterns, a.follow, func(e *sent) error {
			countEntry(&rep.Sent, e)
			if !e.Readable {
				rep.Unreadable = append(rep.Unreadable, e.Path)
			}
			return nil
		})
		if err != nil {
			return nil, walkError(ctx, req.Dir, err)
		}
	}
	if err := a.suggest(ctx, m); err != nil {
		return nil, err
	}
	return rep, nil
}

func walkError(ctx context.Context, dir string, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return vocab.Inputf("reading the build context %s: %w", dir, err)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// setReads takes the context reads of the plan.
func (a *analysis) setReads(p *buildplan.Plan) {
	a.rep.WholeContext = []Taker{}
	a.rep.Reads = []ReadUse{}
	if p == nil || p.Context == nil {
		return
	}
	a.usesCtx = true
	a.follow = p.Context.FollowPaths
	a.rep.FollowPaths = a.follow
	for _, s := range p.Named() {
		for _, in := range s.Inputs {
			if (in.Kind == buildplan.InputCopy || in.Kind == buildplan.InputMount) && in.Step.Kind != buildplan.KindContext && in.Step.Stage != "" {
				t := Taker{Line: s.Line(), Instruction: s.SourceText()}
				a.fromStages = append(a.fromStages, ReadUse{Taker: t, Path: strings.Join(in.Selectors, " "), Mount: in.Kind == buildplan.InputMount, FromStage: in.Step.Stage})
			}
		}
	}
	for _, sr := range p.ContextReads() {
		t := Taker{Line: sr.Step.Line(), Instruction: sr.Step.SourceText()}
		if t.Instruction == "" {
			t.Instruction = sr.Step.Text()
		}
		r := &read{Read: sr.Read, taker: t, use: &ReadUse{Taker: t, Path: sr.Path, Mount: sr.Mount}}
		a.reads = append(a.reads, r)
		if sr.Path == "" {
			a.whole = true
			a.rep.WholeContext = append(a.rep.WholeContext, t)
		}
	}
}

// takes reports whether read r takes the context entry rel.
func (r *read) takes(rel string) bool { return Takes(r.Read, rel) }

// Takes reports whether a step's read of the context takes the context
// entry rel (slash-separated), as BuildKit copies: the whole context, the
// path itself and everything below it, or, for a pattern, the entries at
// the pattern's depth it matches and everything below them.
func Takes(r buildplan.Read, rel string) bool {
	p := r.Path
	switch {
	case p == "":
		return true
	case !r.Wildcard:
		return rel == p || strings.HasPrefix(rel, p+"/")
	}
	depth := strings.Count(p, "/") + 1
	parts := strings.SplitN(rel, "/", depth+1)
	if len(parts) < depth {
		return false
	}
	ok, err := path.Match(p, strings.Join(parts[:depth], "/"))
	return err == nil && ok
}

// countEntry adds an entry to totals (its transfer bytes are summed by
// transfer).
func countEntry(t *Totals, e *sent) {
	if e.Mode.IsDir() {
		t.Dirs++
		return
	}
	t.Files++
	if !e.Hardlink {
		t.Bytes += e.Size
	}
}

// add takes in one entry of the files that pass the ignore file.
func (a *analysis) add(e *sent) error {
	rep := a.rep
	countEntry(&rep.Passed, e)
	a.leave(e.Path)
	if e.Mode.IsDir() {
		a.open = append(a.open, openDir{path: e.Path, agg: a.dirAt(e.Path)})
		return nil
	}
	size := e.Size
	if e.Hardlink {
		size = 0
	}
	var takers []int
	named := false
	for i, r := range a.reads {
		if r.takes(e.Path) {
			takers = append(takers, i)
			named = named || r.Path != ""
		}
	}
	sentHere := a.usesCtx && (a.follow == nil || len(takers) > 0)
	sentBytes := int64(0)
	if sentHere {
		sentBytes = size
	}
	if !e.Readable && a.follow == nil && a.usesCtx {
		rep.Unreadable = append(rep.Unreadable, e.Path)
	}
	if len(takers) == 0 {
		rep.Unused.Files++
		rep.Unused.Bytes += size
	}
	for _, i := range takers {
		u := a.reads[i].use
		u.Files++
		u.Bytes += size
	}
	// The directory the file is in (its sums reach the directories above
	// when the walk leaves it).
	if n := len(a.open); n > 0 {
		ag := a.open[n-1].agg
		if ag == nil {
			return nil
		}
		ag.bytes += size
		ag.wire += e.Wire
		ag.files++
		if sentHere {
			ag.sentBytes += sentBytes
			ag.sentWire += e.Wire
			ag.sentFiles++
		}
		if len(takers) > 0 {
			ag.taken++
		}
		if named {
			ag.named++
		}
	}
	secretName := (e.Mode.IsRegular() || e.Mode&fs.ModeSymlink != 0) && rules.SecretFileName(e.Path)
	if !nestedPath(e.Path) || e.Path == a.ownFiles[0] || e.Path == a.ownFiles[1] || secretName {
		a.fileSums[e.Path] = &fileAgg{bytes: size, wire: e.Wire, sent: sentHere, taken: len(takers) > 0}
	}
	top, _, nested := strings.Cut(e.Path, "/")
	if !nested {
		top = topFiles
	}
	u := a.tops[top]
	if u == nil {
		u = &Usage{Path: top}
		a.tops[top] = u
	}
	u.Bytes += size
	u.SentBytes += sentBytes
	u.Files++
	a.addLargest(Usage{Path: e.Path, Bytes: size, Files: 1, SentBytes: sentBytes})

	if root, cat := a.junkRoot(e.Path, false, size); root != "" && (e.Mode.IsRegular() || e.Mode&fs.ModeSymlink != 0) {
		j := a.junk[root]
		if j == nil {
			j = &junkAgg{Junk: Junk{Path: root, Category: cat, TakenBy: []Taker{}}, takers: map[int]bool{}}
			a.junk[root] = j
			a.junkOrder = append(a.junkOrder, root)
		}
		j.Bytes += size
		j.Files++
		j.wire += e.Wire
		j.Sent = j.Sent || sentHere
		if sentHere {
			j.sentBytes += size
			j.sentWire += e.Wire
			j.sentFiles++
		}
		for _, i := range takers {
			j.takers[i] = true
		}
		j.named = j.named || named
	}
	if secretName {
		s := &Secret{Path: e.Path, Sent: sentHere, Named: named, TakenBy: []Taker{}}
		for _, i := range takers {
			s.TakenBy = append(s.TakenBy, a.reads[i].taker)
		}
		// Only regular files are read to confirm; a link is judged by
		// its name (it is never followed).
		if !e.Mode.IsRegular() || rules.SecretFile(a.dir, e.Path) {
			a.secrets = append(a.secrets, s)
		}
	}
	return nil
}

// nestedPath reports whether rel lies in a directory.
func nestedPath(rel string) bool { return strings.IndexByte(rel, '/') >= 0 }

// leave closes the directories the walk has left before the entry p
// ("" closes them all), adding their sums to their parents'.
func (a *analysis) leave(p string) {
	for n := len(a.open); n > 0; n = len(a.open) {
		top := a.open[n-1]
		if p != "" && strings.HasPrefix(p, top.path+"/") {
			return
		}
		a.open = a.open[:n-1]
		if n > 1 {
			a.open[n-2].agg.merge(top.agg)
		}
	}
}

// dirAt returns the aggregate of directory d, making it.
func (a *analysis) dirAt(d string) *dirAgg {
	ag := a.dirs[d]
	if ag == nil {
		ag = &dirAgg{}
		a.dirs[d] = ag
	}
	return ag
}

// addLargest keeps the a.top largest files.
func (a *analysis) addLargest(u Usage) {
	if len(a.files) == a.top && u.Bytes <= a.files[len(a.files)-1].Bytes {
		return
	}
	i := sort.Search(len(a.files), func(i int) bool { return a.files[i].Bytes < u.Bytes })
	a.files = append(a.files, Usage{})
	copy(a.files[i+1:], a.files[i:])
	a.files[i] = u
	if len(a.files) > a.top {
		a.files = a.files[:a.top]
	}
}

// finish turns the sums into the report's lists.
func (a *analysis) finish() error {
	rep := a.rep
	for _, u := range a.tops {
		rep.TopFolders = append(rep.TopFolders, *u)
	}
	sortUsage(rep.TopFolders)
	rep.LargestFiles = append([]Usage{}, a.files...)
	rep.LargestDirs = []Usage{}
	rep.UnusedPaths = []Usage{}
	var dirs []Usage
	for d, ag := range a.dirs {
		// A directory that is nearly all one subdirectory says nothing
		// the subdirectory does not.
		if ag.bytes > 0 && ag.maxChild*10 < ag.bytes*9 {
			dirs = append(dirs, Usage{Path: d, Bytes: ag.bytes, Files: ag.files, SentBytes: ag.sentBytes})
		}
		if ag.files > 0 && ag.taken == 0 {
			if p := path.Dir(d); p == "." || a.dirs[p] == nil || a.dirs[p].taken > 0 {
				rep.UnusedPaths = append(rep.UnusedPaths, Usage{Path: d, Bytes: ag.bytes, Files: ag.files, SentBytes: ag.sentBytes})
			}
		}
	}
	sortUsage(dirs)
	rep.LargestDirs = append(rep.LargestDirs, dirs[:min(len(dirs), a.top)]...)
	sortUsage(rep.UnusedPaths)

	rep.Junk = []Junk{}
	for _, root := range a.junkOrder {
		j := a.junk[root]
		for _, i := range sortedKeys(j.takers) {
			j.TakenBy = append(j.TakenBy, a.reads[i].taker)
		}
		rep.Junk = append(rep.Junk, j.Junk)
	}
	sort.SliceStable(rep.Junk, func(i, k int) bool { return rep.Junk[i].Bytes > rep.Junk[k].Bytes })
	rep.Secrets = []Secret{}
	for _, s := range a.secrets {
		rep.Secrets = append(rep.Secrets, *s)
	}
	for _, r := range a.reads {
		r.use.Missing = r.use.Files == 0 && r.Path != ""
		rep.Reads = append(rep.Reads, *r.use)
	}
	rep.Reads = append(rep.Reads, a.fromStages...)
	sort.SliceStable(rep.Reads, func(i, k int) bool { return rep.Reads[i].Line < rep.Reads[k].Line })
	if rep.Problems == nil {
		rep.Problems = []Problem{}
	}
	if rep.Unreadable == nil {
		rep.Unreadable = []string{}
	}
	return nil
}

func sortUsage(us []Usage) {
	sort.SliceStable(us, func(i, k int) bool {
		if us[i].Bytes != us[k].Bytes {
			return us[i].Bytes > us[k].Bytes
		}
		return us[i].Path < us[k].Path
	})
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
