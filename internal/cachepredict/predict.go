// Package cachepredict says, step by step, which steps of a BuildKit
// build are taken from the cache after a change and which rebuild, and
// why, in BuildKit's own terms: a step is cached when its cache key is
// one the previous build made. The key is the step's definition (the
// operation BuildKit's frontend makes of the instruction: the command, its
// environment in order, working directory, user, mounts, copy flags) and
// its inputs: the step before it by how it was made; the files COPY and
// read-only RUN mounts take, by their content (modification times do not
// count, modes do); and, for COPY --from, the copied paths of the other
// stage by their content, so that a stage that rebuilds into
// byte-identical output does not invalidate the steps that copy from it.
// Cache and secret mounts are no part of the key; bind mounts are.
//
// The plans come from internal/buildplan (BuildKit's frontend); what
// changed in the context is a Change. Predict compares the plan of the
// previous build with the plan of the next.
package cachepredict

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/stratatools/strata/internal/buildplan"
)

// Step statuses.
const (
	Cached  = "cached"
	Rebuilt = "rebuilt"
	// Conditional steps rebuild unless the output of another stage they
	// copy from comes out byte-identical, which only the build can tell.
	Conditional = "conditional"
)

// Cause kinds, in the order a step's own causes are given.
const (
	// CauseParent: the step it builds on rebuilt.
	CauseParent = "parent"
	// CauseNoCache: --no-cache-filter names its stage.
	CauseNoCache = "no-cache-filter"
	// CauseBase: the base image of a FROM changed.
	CauseBase = "base-image"
	// CauseInstruction: the instruction is new or its text changed.
	CauseInstruction = "instruction"
	// CauseDefinition: the text is the same but what it runs is not: an
	// ARG or ENV value in scope, their order, WORKDIR, USER or SHELL.
	CauseDefinition = "definition"
	// CauseFiles: files it copies or mounts from the context changed.
	CauseFiles = "files"
	// CauseInput: another stage it mounts rebuilt.
	CauseInput = "input"
	// CauseStageOutput: a stage it copies from rebuilds; BuildKit
	// compares the copied files' content.
	CauseStageOutput = "stage-output"
)

// Cause is one reason a step rebuilds.
type Cause struct {
	Kind string `json:"kind"`
	// Text says it in words, for a learner.
	Text string `json:"text"`
	// From is the index in Prediction.Steps of the step it comes from
	// (the parent, the mounted or copied stage's step); -1 for none.
	From int `json:"from"`
	// Files are the changed context files (CauseFiles).
	Files []string `json:"files,omitempty"`
	// Variables are the changed ARG or ENV names (CauseDefinition).
	Variables []string `json:"variables,omitempty"`
	// Paths are the paths copied from another stage
	// (CauseStageOutput).
	Paths []string `json:"paths,omitempty"`
	// Conditional is true for a stage output whose content only the
	// build can tell.
	Conditional bool `json:"conditional,omitempty"`
}

// StepResult is the prediction for one Dockerfile step.
type StepResult struct {
	// Name is BuildKit's name for the step ("[build 2/4] COPY a ./").
	Name        string `json:"name"`
	Stage       string `json:"stage"`
	Line        int    `json:"line"`
	Instruction string `json:"instruction"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	// Causes are why it rebuilds, the first cause first; empty when
	// cached.
	Causes []Cause `json:"causes"`
	// Root is the index of the step whose change this one follows from
	// (its own index when it has a cause of its own); -1 when cached.
	Root int `json:"root"`
	// Seconds is how long the step took when strata measure last timed
	// it; nil when unknown.
	Seconds *float64 `json:"seconds,omitempty"`

	step *buildplan.Step
}

// Counted reports whether the step counts among the build's steps, as
// BuildKit's summary counts them (FROM does not).
func (r *StepResult) Counted() bool { return r.Kind != buildplan.KindFrom }

// Request is what Predict compares.
type Request struct {
	// Old is the plan of the previous build; New of the next.
	Old, New *buildplan.Plan
	Change   Change
	// Identical, when set, says whether the paths a step copies from a
	// rebuilt stage come out byte-identical; a step that depends only on
	// those is then cached or rebuilt accordingly. Nil leaves such steps
	// Conditional.
	Identical func(stage string, paths []string) bool
	// Times are the seconds each step took when last timed, by
	// buildplan.StepKey of its name.
	Times map[string]float64
}

// keyer computes BuildKit-like cache keys of one plan's steps.
type keyer struct {
	keys map[*buildplan.Step]string
	// ctx returns the content version of a context read ("0" as before).
	ctx func(r buildplan.Read) string
	// out returns the content key of paths copied from a step.
	out func(s *buildplan.Step, key string, sels []string) string
	// session names the build's context transfer, which BuildKit never
	// takes from the cache.
	session string
}

func (k *keyer) key(s *buildplan.Step) string {
	if v, ok := k.keys[s]; ok {
		return v
	}
	var b strings.Builder
	b.WriteString(s.Core)
	switch {
	case s.IgnoreCache:
		b.WriteString("|nocache|" + s.Digest + k.session)
	case s.Kind == buildplan.KindContext:
		b.WriteString("|session|" + k.session)
	}
	for _, in := range s.Inputs {
		sels := strings.Join(in.Selectors, "\x00")
		switch {
		case in.ByContent && in.Step.Kind == buildplan.KindContext:
			b.WriteString("|ctx|" + sels)
			for _, sel := range in.Selectors {
				b.WriteString("|" + k.ctx(readOf(in, sel)))
			}
		case in.ByContent:
			b.WriteString("|out|" + k.out(in.Step, k.key(in.Step), in.Selectors))
		default:
			b.WriteString("|dep|" + sels + "|" + k.key(in.Step))
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	v := hex.EncodeToString(sum[:])
	k.keys[s] = v
	return v
}

// readOf is the context read an input selector makes.
func readOf(in buildplan.Input, sel string) buildplan.Read {
	p := strings.Trim(sel, "/")
	return buildplan.Read{Path: p, Wildcard: in.Wildcard && strings.ContainsAny(p, "*?["), Mount: in.Kind == buildplan.InputMount}
}

// match pairs each Dockerfile step of the new plan with the step of the
// old plan that comes from the same instruction: same stage, same text,
// same occurrence.
func match(oldPlan, newPlan *buildplan.Plan) map[*buildplan.Step]*buildplan.Step {
	type id struct {
		stage, text string
		n           int
	}
	index := func(p *buildplan.Plan) map[id]*buildplan.Step {
		out := map[id]*buildplan.Step{}
		count := map[[2]string]int{}
		for _, s := range p.Named() {
			text := s.SourceText()
			if s.Kind == buildplan.KindFrom {
				text = "FROM" // a stage's base pairs whatever it is
			}
			k := [2]string{s.Stage, text}
			out[id{s.Stage, text, count[k]}] = s
			count[k]++
		}
		return out
	}
	olds := index(oldPlan)
	out := map[*buildplan.Step]*buildplan.Step{}
	for k, s := range index(newPlan) {
		if o, ok := olds[k]; ok {
			out[s] = o
		}
	}
	return out
}
