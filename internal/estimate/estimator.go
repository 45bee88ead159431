package estimate

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/estimate/apk"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/estimate/fetch"
	"github.com/stratatools/strata/internal/estimate/npm"
	"github.com/stratatools/strata/internal/estimate/pypi"
	"github.com/stratatools/strata/internal/vocab"
)

// Request says what to estimate.
type Request struct {
	// Dockerfile is the Dockerfile's path (for messages, and to find the
	// ignore file that applies); Source its content, read from the path
	// when nil.
	Dockerfile string
	Source     []byte
	// ContextDir is the build context.
	ContextDir string
	// Ignore, when not nil, is the .dockerignore to use instead of the
	// context's (the one strata fix creates).
	Ignore []byte
	// Target is the stage to build ("" for the last); BuildArgs the
	// --build-arg values.
	Target    string
	BuildArgs map[string]string
	// BaseSizes are sizes given for base images (--base-size), by
	// reference as the FROM writes it after expansion; the key "" is for
	// the final stage's base image.
	BaseSizes map[string]int64
}

// Estimator estimates images from their Dockerfiles. Its sources may be
// nil: what they would have told is then unknown.
type Estimator struct {
	Bases *baseimage.Resolver
	Deb   *deb.Loader
	Apk   *apk.Loader
	Npm   *npm.Client
	PyPI  *pypi.Client
	// Web asks servers the size of files a build downloads (ADD URL,
	// curl, wget); nil leaves them unknown.
	Web *fetch.Client
	// Arch is the Debian name of the platform's architecture (amd64).
	Arch string
}

// run is one estimate in progress.
type run struct {
	e      *Estimator
	req    Request
	out    *Estimate
	file   *dockerfile.File
	plan   *buildplan.Plan
	cix    *contextIndex
	reads  map[int][]buildplan.Read
	execs  map[int]*buildplan.Exec
	states map[*dockerfile.Stage]*stageState
	facts  map[string]*baseimage.Facts
	debs   map[string]*deb.Loaded
	apks   map[string]*apk.Loaded
}

// Estimate predicts the size of the image req's Dockerfile builds.
// Errors are bad input (a Dockerfile or ignore file that does not parse,
// a missing context: vocab.InputError) or the end of ctx; sources that
// cannot be reached only make parts unknown.
func (e *Estimator) Estimate(ctx context.Context, req Request) (*Estimate, error) {
	src := req.Source
	if src == nil {
		b, err := os.ReadFile(req.Dockerfile)
		if err != nil {
			return nil, vocab.Inputf("reading %s: %w", req.Dockerfile, err)
		}
		src = b
	}
	plan, err := buildplan.Convert(ctx, req.Dockerfile, src, buildplan.Options{BuildArgs: req.BuildArgs, Target: req.Target})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	cix, err := loadContext(ctx, req.ContextDir, req.Dockerfile, req.Ignore)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &vocab.InputError{Err: err}
	}
	r := &run{
		e: e, req: req, file: plan.File, plan: plan, cix: cix,
		reads: map[int][]buildplan.Read{}, execs: map[int]*buildplan.Exec{},
		states: map[*dockerfile.Stage]*stageState{}, facts: map[string]*baseimage.Facts{},
		debs: map[string]*deb.Loaded{}, apks: map[string]*apk.Loaded{},
		out: &Estimate{Dockerfile: req.Dockerfile, Context: req.ContextDir, Target: req.Target, Platform: "linux/" + e.arch(), Unknown: []string{}, Notes: []string{}},
	}
	for _, s := range plan.Steps {
		if !s.IsStep() {
			continue
		}
		if s.Exec != nil {
			r.execs[s.Line()] = s.Exec
		}
		for _, rd := range s.Reads {
			if !rd.Mount {
				r.reads[s.Line()] = append(r.reads[s.Line()], rd)
			}
		}
	}
	if err := r.estimate(ctx); err != nil {
		return nil, err
	}
	return r.out, nil
}

func (e *Estimator) arch() string {
	if e.Arch == "" {
		return "amd64"
	}
	return e.Arch
}

func (r *run) estimate(ctx context.Context) error {
	needed := map[string]bool{}
	for _, n := range r.plan.Stages {
		needed[n] = true
	}
	var target *dockerfile.Stage
	for _, st := range r.file.Stages {
		if needed[buildplan.StageName(st)] {
			target = st
		}
	}
	if r.req.Target != "" {
		for _, st := range r.file.Stages {
			if strings.EqualFold(st.Name, r.req.Target) {
				target = st
			}
		}
	}
	if target == nil {
		return vocab.Inputf("%s: no stage to build", r.req.Dockerfile)
	}
	ships := map[*dockerfile.Stage]bool{}
	for _, s := range target.Chain() {
		ships[s] = true
	}
	for _, st := range r.file.Stages {
		if !needed[buildplan.StageName(st)] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		state, err := r.stage(ctx, st, st == target.Chain()[len(target.Chain())-1] && ships[st])
		if err != nil {
			return err
		}
		r.states[st] = state
		ref, _ := r.baseRef(st)
		out := Stage{Name: buildplan.StageName(st), Index: st.Index, Base: ref.Raw, Steps: state.steps, Size: state.size, Ships: ships[st]}
		if st.BaseStage != nil {
			out.Base = "stage " + buildplan.StageName(st.BaseStage)
		}
		r.out.Stages = append(r.out.Stages, out)
		if st == target {
			break
		}
	}
	for _, st := range r.out.Stages {
		if !st.Ships {
			r.out.LeftBehind = r.out.LeftBehind.Add(st.Size)
		}
	}
	r.out.total()
	sort.Strings(r.out.Unknown)
	return nil
}

// stage estimates one stage: its base, then each instruction.
func (r *run) stage(ctx context.Context, st *dockerfile.Stage, rootOfImage bool) (*stageState, error) {
	name := buildplan.StageName(st)
	var s *stageState
	from := Step{Stage: name, Line: st.From.StartLine, Instruction: abbreviate(st.From.Original, 80)}
	if st.BaseStage != nil {
		parent := r.states[st.BaseStage]
		if parent == nil {
			return nil, fmt.Errorf("stage %s is built FROM %s, which was not estimated", name, buildplan.StageName(st.BaseStage))
		}
		s = parent.derive(st)
		from.add(Part{What: "stage " + buildplan.StageName(st.BaseStage), Size: Range{}, Confidence: Exact, Source: "counted in that stage"})
		from.Size, from.Confidence = Range{}, Exact
	} else {
		facts, part, err := r.base(ctx, st, rootOfImage)
		if err != nil {
			return nil, err
		}
		s = newStageState(st, facts)
		from.add(part)
		if from.Confidence == "" {
			from.Confidence = Exact
		}
	}
	s.steps = append(s.steps, from)
	s.size = s.size.Add(from.Size)
	for _, in := range st.Instructions[1:] {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step := Step{Stage: name, Line: in.StartLine, Instruction: abbreviate(in.Original, 80)}
		switch in.Cmd {
		case "env":
			for _, kv := range in.Pairs() {
				s.env[kv[0]] = kv[1]
			}
			continue
		case "arg", "label", "expose", "cmd", "entrypoint", "user", "stopsignal", "healthcheck", "shell", "volume", "onbuild", "maintainer":
			continue
		case "workdir":
			if len(in.Args) > 0 {
				if d := dockerfile.TrimQuotes(in.Args[0]); !strings.Contains(d, "$") {
					if !path.IsAbs(d) {
						d = path.Join(workdir(in), d)
					}
					s.addDir(path.Clean(d))
				}
			}
			continue
		case "copy", "add":
			if err := r.copyStep(ctx, s, in, &step); err != nil {
				return nil, err
			}
		case "run":
			if err := r.runStep(ctx, s, in, &step); err != nil {
				return nil, err
			}
		default:
			continue
		}
		if step.Confidence == "" {
			step.Confidence = Exact
		}
		s.steps = append(s.steps, step)
		s.size = s.size.Add(step.Size)
	}
	return s, nil
}

// workdir is the absolute working directory of in ("/" when unknown).
func workdir(in *dockerfile.Instruction) string {
	if w := in.Workdir(); w != "" {
		return w
	}
	return "/"
}

// resolveDest makes a COPY destination absolute.
func resolveDest(in *dockerfile.Instruction, dest string) string {
	dest = dockerfile.TrimQuotes(dest)
	if path.IsAbs(dest) {
		return dest
	}
	return path.Join(workdir(in), dest)
}
