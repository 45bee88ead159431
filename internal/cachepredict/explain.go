package cachepredict

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/buildplan"
)

// Prediction is what Predict found.
type Prediction struct {
	// Steps are the Dockerfile steps of the stages the target needs, in
	// build order.
	Steps []StepResult `json:"steps"`
	// Total counts the steps (FROM excluded, as BuildKit counts);
	// Rebuilt those that rebuild for certain; Conditional those that
	// rebuild unless a stage's output comes out byte-identical.
	Total       int `json:"total"`
	Rebuilt     int `json:"rebuilt"`
	Conditional int `json:"conditional"`
	// Roots are the steps whose own change makes others rebuild, each
	// with the sentence that explains it.
	Roots []Root `json:"roots"`
	// ExpectedSeconds sums the recorded times of the steps that rebuild
	// (ConditionalSeconds of the conditional ones); nil when no step
	// time is known. Untimed counts the rebuilt steps without a time.
	ExpectedSeconds    *float64 `json:"expected_seconds,omitempty"`
	ConditionalSeconds *float64 `json:"conditional_seconds,omitempty"`
	Untimed            int      `json:"untimed"`
}

// Root is a step that rebuilds for a reason of its own, and what follows
// from it.
type Root struct {
	// Step is the index in Prediction.Steps.
	Step int `json:"step"`
	// Rebuilds counts it and the steps that rebuild because of it (FROM
	// excluded).
	Rebuilds int `json:"rebuilds"`
	// Text is the sentence: "line 7 `COPY . /app` takes src/app.py,
	// which changed → this step and the 5 after it rebuild, including
	// `RUN pip install -r requirements.txt` (line 9)".
	Text string `json:"text"`
}

// Predict compares the previous build with the next and says for every
// step of the next whether BuildKit takes it from the cache, and why not.
func Predict(req Request) *Prediction {
	if req.Old == nil {
		req.Old = &buildplan.Plan{}
	}
	pairs := match(req.Old, req.New)
	back := map[*buildplan.Step]*buildplan.Step{}
	for n, o := range pairs {
		back[o] = n
	}
	oldK := &keyer{keys: map[*buildplan.Step]string{}, session: "old",
		ctx: func(buildplan.Read) string { return "0" },
		out: func(_ *buildplan.Step, key string, sels []string) string {
			return key + "|" + strings.Join(sels, "\x00")
		}}
	oldKeys := map[string]bool{}
	for _, s := range req.Old.Steps {
		oldKeys[oldK.key(s)] = true
	}
	changed := map[string][]string{}
	ctxFiles := func(r buildplan.Read) []string {
		k := r.Path + "\x00" + fmt.Sprint(r.Wildcard)
		if v, ok := changed[k]; ok {
			return v
		}
		v := req.Change.changedFiles(r)
		changed[k] = v
		return v
	}
	var newK *keyer
	newK = &keyer{keys: map[*buildplan.Step]string{}, session: "new",
		ctx: func(r buildplan.Read) string {
			if len(ctxFiles(r)) > 0 {
				return "1"
			}
			return "0"
		},
		out: func(s *buildplan.Step, key string, sels []string) string {
			if !oldKeys[key] && req.Identical != nil && req.Identical(s.Stage, sels) {
				if o := pairs[s]; o != nil {
					key = oldK.key(o)
				}
			}
			return key + "|" + strings.Join(sels, "\x00")
		}}
	cached := func(s *buildplan.Step) bool { return oldKeys[newK.key(s)] }

	p := &Prediction{Steps: []StepResult{}, Roots: []Root{}}
	index := map[*buildplan.Step]int{}
	for _, s := range req.New.Named() {
		index[s] = len(p.Steps)
		r := StepResult{
			Name: s.Name, Stage: s.Stage, Line: s.Line(), Instruction: s.SourceText(), Kind: s.Kind,
			Status: Cached, Causes: []Cause{}, Root: -1, step: s,
		}
		if t, ok := req.Times[buildplan.StepKey(s.Name)]; ok {
			r.Seconds = &t
		}
		p.Steps = append(p.Steps, r)
	}
	// named returns the Dockerfile step an input comes from (through
	// unnamed helper operations).
	var named func(s *buildplan.Step) *buildplan.Step
	named = func(s *buildplan.Step) *buildplan.Step {
		if _, ok := index[s]; ok {
			return s
		}
		for _, in := range s.Inputs {
			if in.Kind == buildplan.InputBase {
				return named(in.Step)
			}
		}
		return nil
	}
	for i := range p.Steps {
		r := &p.Steps[i]
		s := r.step
		if cached(s) {
			continue
		}
		r.Causes = causes(s, pairs[s], index, named, cached, ctxFiles, req.Identical)
		r.Status = Rebuilt
		conditional := func(c Cause) bool {
			return c.Conditional ||
				(c.Kind == CauseParent || c.Kind == CauseInput) && c.From >= 0 && p.Steps[c.From].Status == Conditional
		}
		definite := -1
		for k, c := range r.Causes {
			if !conditional(c) && definite < 0 {
				definite = k
			}
		}
		switch {
		case definite < 0:
			r.Status = Conditional
		case conditional(r.Causes[0]):
			// A cause of its own that is certain comes before a parent
			// that only may rebuild.
			c := r.Causes[definite]
			r.Causes = append([]Cause{c}, append(r.Causes[:definite:definite], r.Causes[definite+1:]...)...)
		}
		r.Root = i
		if c := r.Causes[0]; c.Kind == CauseParent && c.From >= 0 && p.Steps[c.From].Root >= 0 {
			r.Root = p.Steps[c.From].Root
		}
	}
	p.sortByLine()
	for i := range p.Steps {
		r := &p.Steps[i]
		if !r.Counted() {
			continue
		}
		p.Total++
		switch r.Status {
		case Rebuilt:
			p.Rebuilt++
			p.ExpectedSeconds = addTime(p.ExpectedSeconds, r.Seconds, &p.Untimed)
		case Conditional:
			p.Conditional++
			p.ConditionalSeconds = addTime(p.ConditionalSeconds, r.Seconds, &p.Untimed)
		}
	}
	p.roots()
	return p
}

// addTime adds a step's time to a sum, counting steps without one.
func addTime(sum, t *float64, untimed *int) *float64 {
	if t == nil {
		*untimed++
		return sum
	}
	v := *t
	if sum != nil {
		v += *sum
	}
	return &v
}

// causes works out why a step that is not cached rebuilds.
func causes(s, old *buildplan.Step, index map[*buildplan.Step]int, named func(*buildplan.Step) *buildplan.Step,
	cached func(*buildplan.Step) bool, ctxFiles func(buildplan.Read) []string, identical func(string, []string) bool) []Cause {
	var parent, own []Cause
	from := func(x *buildplan.Step) int {
		if n := named(x); n != nil {
			return index[n]
		}
		return -1
	}
	if s.IgnoreCache {
		own = append(own, Cause{Kind: CauseNoCache, From: -1,
			Text: fmt.Sprintf("--no-cache-filter %s makes BuildKit run every step of stage %s afresh", s.Stage, s.Stage)})
	}
	switch {
	case s.Kind == buildplan.KindFrom:
		if old == nil || old.Source != s.Source {
			own = append(own, baseCause(s, old))
		}
	case old == nil:
		own = append(own, Cause{Kind: CauseInstruction, From: -1, Text: "the instruction is new or its text changed"})
	case old.Core != s.Core:
		own = append(own, definitionCause(s, old))
	}
	for _, in := range s.Inputs {
		x := in.Step
		switch {
		case in.ByContent && x.Kind == buildplan.KindContext:
			var files []string
			for _, sel := range in.Selectors {
				files = append(files, ctxFiles(readOf(in, sel))...)
			}
			if len(files) > 0 {
				files = dedupe(files)
				own = append(own, Cause{Kind: CauseFiles, From: -1, Files: files, Text: filesText(s, files)})
			}
		case x.Kind == buildplan.KindContext:
			own = append(own, Cause{Kind: CauseFiles, From: -1,
				Text: "it mounts the build context writable, which BuildKit never takes from the cache"})
		case cached(x):
		case in.ByContent && identical == nil:
			own = append(own, Cause{Kind: CauseStageOutput, From: from(x), Paths: in.Selectors, Conditional: true,
				Text: fmt.Sprintf("stage %s rebuilds; BuildKit compares the content of %s it copies, so this step rebuilds unless they come out byte-identical",
					x.Stage, strings.Join(in.Selectors, ", "))})
		case in.ByContent:
			if identical(x.Stage, in.Selectors) {
				continue
			}
			own = append(own, Cause{Kind: CauseStageOutput, From: from(x), Paths: in.Selectors,
				Text: fmt.Sprintf("stage %s rebuilt and %s it copies came out different", x.Stage, strings.Join(in.Selectors, ", "))})
		case in.Kind == buildplan.InputBase:
			text := "the step it builds on rebuilds"
			if n := named(x); n != nil && n.Line() > 0 {
				text = fmt.Sprintf("the step it builds on (line %d) rebuilds", n.Line())
			}
			parent = append(parent, Cause{Kind: CauseParent, From: from(x), Text: text})
		default:
			own = append(own, Cause{Kind: CauseInput, From: from(x),
				Text: fmt.Sprintf("stage %s, which it mounts, rebuilt (a writable mount is keyed on how it was made, not on its content)", x.Stage)})
		}
	}
	out := append(parent, own...)
	if len(out) == 0 {
		out = append(out, Cause{Kind: CauseInstruction, From: -1, Text: "its cache key differs from every key of the previous build"})
	}
	return out
}

func baseCause(s, old *buildplan.Step) Cause {
	now := imageRef(s.Source)
	if old == nil {
		return Cause{Kind: CauseBase, From: -1, Text: fmt.Sprintf("the stage is new (FROM %s)", now)}
	}
	return Cause{Kind: CauseBase, From: -1, Text: fmt.Sprintf("the base image changed from %s to %s (BuildKit compares the image's layers: a new name for the same layers would keep the cache)", imageRef(old.Source), now)}
}

// imageRef shortens a docker-image source to the reference as written.
func imageRef(src string) string {
	ref := strings.TrimPrefix(src, "docker-image://")
	if i := strings.Index(ref, "@sha256:"); i >= 0 {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	return strings.TrimPrefix(ref, "library/")
}

// definitionCause says what changed in a step whose text did not.
func definitionCause(s, old *buildplan.Step) Cause {
	c := Cause{Kind: CauseDefinition, From: -1}
	if s.Exec == nil || old.Exec == nil {
		c.Text = "a variable, WORKDIR or option it uses resolves differently, so what it does changed"
		return c
	}
	var parts []string
	oldEnv, newEnv := envMap(old.Exec.Env), envMap(s.Exec.Env)
	for _, kv := range s.Exec.Env {
		k, v, _ := strings.Cut(kv, "=")
		if ov, ok := oldEnv[k]; !ok {
			c.Variables = append(c.Variables, k)
			parts = append(parts, fmt.Sprintf("%s is now set (%s)", k, clip(v, 30)))
		} else if ov != v {
			c.Variables = append(c.Variables, k)
			parts = append(parts, fmt.Sprintf("%s changed from %q to %q", k, clip(ov, 30), clip(v, 30)))
		}
	}
	for _, kv := range old.Exec.Env {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := newEnv[k]; !ok {
			c.Variables = append(c.Variables, k)
			parts = append(parts, fmt.Sprintf("%s is no longer set", k))
		}
	}
	if len(parts) == 0 && strings.Join(s.Exec.Env, "\n") != strings.Join(old.Exec.Env, "\n") {
		parts = append(parts, "the ARG and ENV variables are set in a different order (BuildKit keys the environment as an ordered list)")
	}
	if s.Exec.Cwd != old.Exec.Cwd {
		parts = append(parts, fmt.Sprintf("the working directory changed from %s to %s", old.Exec.Cwd, s.Exec.Cwd))
	}
	if s.Exec.User != old.Exec.User {
		parts = append(parts, fmt.Sprintf("the user changed from %q to %q", old.Exec.User, s.Exec.User))
	}
	if strings.Join(s.Exec.Args, "\x00") != strings.Join(old.Exec.Args, "\x00") {
		parts = append(parts, "the command it runs changed (SHELL or a variable in it)")
	}
	if len(parts) == 0 {
		parts = append(parts, "its mounts or options changed")
	}
	c.Text = strings.Join(parts, "; ")
	return c
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

// filesText says which changed files a step takes.
func filesText(s *buildplan.Step, files []string) string {
	verb := "takes"
	if s.Kind == buildplan.KindRun {
		verb = "mounts"
	}
	switch len(files) {
	case 1:
		return fmt.Sprintf("%s %s, which changed", verb, files[0])
	case 2:
		return fmt.Sprintf("%s %s and %s, which changed", verb, files[0], files[1])
	}
	return fmt.Sprintf("%s %s and %d other changed files", verb, files[0], len(files)-1)
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// sortByLine puts the steps in Dockerfile order (they were worked out
// in build order) and renumbers the references between them.
func (p *Prediction) sortByLine() {
	order := make([]int, len(p.Steps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return p.Steps[order[a]].Line < p.Steps[order[b]].Line })
	at := make([]int, len(order))
	steps := make([]StepResult, len(order))
	for newI, oldI := range order {
		at[oldI] = newI
		steps[newI] = p.Steps[oldI]
	}
	for i := range steps {
		if steps[i].Root >= 0 {
			steps[i].Root = at[steps[i].Root]
		}
		for k := range steps[i].Causes {
			if f := steps[i].Causes[k].From; f >= 0 {
				steps[i].Causes[k].From = at[f]
			}
		}
	}
	p.Steps = steps
}

// roots writes the sentence of every step that rebuilds for a reason of
// its own.
func (p *Prediction) roots() {
	for i := range p.Steps {
		r := &p.Steps[i]
		if r.Root != i {
			continue
		}
		n := 0
		for j := range p.Steps {
			if p.Steps[j].Root == i && p.Steps[j].Counted() {
				n++
			}
		}
		c := r.Causes[0]
		var b strings.Builder
		fmt.Fprintf(&b, "line %d `%s` ", r.Line, clip(r.Instruction, 60))
		switch c.Kind {
		case CauseFiles:
			b.WriteString(c.Text)
		case CauseInstruction:
			b.WriteString("is new or its text changed")
		case CauseDefinition:
			b.WriteString("runs differently: " + c.Text)
		case CauseNoCache:
			fmt.Fprintf(&b, "is in stage %s, which --no-cache-filter rebuilds", r.Stage)
		case CauseBase:
			b.WriteString("starts stage " + r.Stage + ": " + c.Text)
		case CauseStageOutput:
			if c.Conditional {
				fmt.Fprintf(&b, "copies %s from a stage that rebuilds", strings.Join(c.Paths, ", "))
			} else {
				fmt.Fprintf(&b, "copies %s, which came out different, from a stage that rebuilt", strings.Join(c.Paths, ", "))
			}
		default:
			b.WriteString(c.Text)
		}
		switch {
		case !r.Counted():
			fmt.Fprintf(&b, " → the %d steps after it rebuild", n)
		case n <= 1:
			b.WriteString(" → this step rebuilds")
		default:
			fmt.Fprintf(&b, " → this step and the %d after it rebuild", n-1)
		}
		if r.Status == Conditional {
			b.WriteString(" unless the copied files come out byte-identical")
		}
		if k := p.heaviest(i); k >= 0 {
			fmt.Fprintf(&b, ", including `%s` (line %d)", clip(p.Steps[k].Instruction, 50), p.Steps[k].Line)
		}
		p.Roots = append(p.Roots, Root{Step: i, Rebuilds: n, Text: b.String()})
	}
}

// heaviest picks the step worth naming among those that rebuild because
// of root: the slowest when step times are known, else the first that
// installs packages; -1 for none.
func (p *Prediction) heaviest(root int) int {
	best := -1
	for j := range p.Steps {
		s := &p.Steps[j]
		if j == root || s.Root != root || s.Seconds == nil {
			continue
		}
		if best < 0 || *s.Seconds > *p.Steps[best].Seconds {
			best = j
		}
	}
	if best >= 0 {
		return best
	}
	for j := range p.Steps {
		s := &p.Steps[j]
		if j != root && s.Root == root && installs(s.step) {
			return j
		}
	}
	return -1
}
