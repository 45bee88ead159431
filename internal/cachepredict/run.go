package cachepredict

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/gitchange"
	"github.com/stratatools/strata/internal/vocab"
)

// Input is a prediction as a command asks for it: the next build as the
// files are now, and what was different at the previous build.
type Input struct {
	// Dir is the build context; Dockerfile the Dockerfile, inside it.
	Dir, Dockerfile string
	// PreviousDockerfile is the Dockerfile's text at the previous build;
	// nil when it is the same as now.
	PreviousDockerfile []byte
	// PreviousIgnore is the ignore file at the previous build (nil for
	// none) when PreviousIgnoreKnown; else it is the same as now.
	PreviousIgnore      *dockerignore.Matcher
	PreviousIgnoreKnown bool
	// Changed are the context paths that changed (see Change.Paths).
	Changed []string
	// BuildArgs are the next build's --build-arg values;
	// PreviousBuildArgs the previous build's.
	BuildArgs, PreviousBuildArgs map[string]string
	Target                       string
	NoCacheFilter                []string
	// Times are recorded step times (see Request.Times), taken at
	// TimesRecorded.
	Times         map[string]float64
	TimesRecorded time.Time
}

// Report is a prediction with what it was asked.
type Report struct {
	Dir        string            `json:"dir"`
	Dockerfile string            `json:"dockerfile"`
	Target     string            `json:"target"`
	Changed    []string          `json:"changed"`
	BuildArgs  map[string]string `json:"build_args"`
	// PreviousBuildArgs are the previous build's, when they differ.
	PreviousBuildArgs map[string]string `json:"previous_build_args"`
	DockerfileChanged bool              `json:"dockerfile_changed"`
	IgnoreChanged     bool              `json:"ignore_file_changed"`
	*Prediction
	// TimesRecorded is when the step times were taken; nil without.
	TimesRecorded *time.Time `json:"times_recorded,omitempty"`
	// Notes say what the prediction assumed.
	Notes []string `json:"notes"`
}

// Run converts the previous and the next Dockerfile with BuildKit's
// frontend and predicts the next build. A next Dockerfile BuildKit
// rejects is a *vocab.InputError; a previous one that does not convert
// means the previous build left no cache, and every step rebuilds.
func Run(ctx context.Context, in Input) (*Report, error) {
	if dockerignore.InContext(in.Dir, in.Dockerfile) == "" {
		return nil, vocab.Inputf("the Dockerfile %s lies outside the build context %s: give the folder that holds both as the context", in.Dockerfile, in.Dir)
	}
	if fi, err := os.Stat(in.Dir); err != nil || !fi.IsDir() {
		return nil, vocab.Inputf("build context %s is not a directory", in.Dir)
	}
	newIgnore, err := dockerignore.Load(in.Dir, in.Dockerfile)
	if err != nil {
		return nil, err
	}
	oldIgnore := newIgnore
	if in.PreviousIgnoreKnown {
		oldIgnore = in.PreviousIgnore
	}
	next, err := buildplan.Convert(ctx, in.Dockerfile, nil, buildplan.Options{BuildArgs: in.BuildArgs, Target: in.Target, NoCacheFilter: in.NoCacheFilter})
	if err != nil {
		return nil, err
	}
	rep := &Report{Dir: in.Dir, Dockerfile: in.Dockerfile, Target: in.Target, Changed: nonNil(in.Changed),
		BuildArgs: nonNilMap(in.BuildArgs), PreviousBuildArgs: nonNilMap(in.PreviousBuildArgs), Notes: []string{}}
	for _, name := range in.NoCacheFilter {
		if !hasStage(next, name) {
			return nil, vocab.Inputf("--no-cache-filter %s: the build of %s needs no stage of that name", name, in.Dockerfile)
		}
	}
	var prev *buildplan.Plan
	src := in.PreviousDockerfile
	if src != nil {
		cur, err := os.ReadFile(in.Dockerfile)
		if err != nil {
			return nil, vocab.Inputf("reading %s: %w", in.Dockerfile, err)
		}
		rep.DockerfileChanged = string(cur) != string(src)
	}
	prevArgs := in.PreviousBuildArgs
	if prevArgs == nil {
		prevArgs = map[string]string{}
	}
	if src == nil {
		prev, err = buildplan.Convert(ctx, in.Dockerfile, nil, buildplan.Options{BuildArgs: prevArgs, Target: in.Target})
	} else {
		prev, err = buildplan.Convert(ctx, in.Dockerfile, src, buildplan.Options{BuildArgs: prevArgs, Target: in.Target})
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("the previous Dockerfile does not build (%v), so it left no cache: every step rebuilds", err))
		prev = &buildplan.Plan{}
	}
	rep.IgnoreChanged = in.PreviousIgnoreKnown && fmt.Sprint(oldIgnore.PatternList()) != fmt.Sprint(newIgnore.PatternList())
	rep.Prediction = Predict(Request{Old: prev, New: next, Times: in.Times,
		Change: Change{Dir: in.Dir, Paths: in.Changed, OldIgnore: oldIgnore, NewIgnore: newIgnore}})
	if len(in.Times) > 0 {
		t := in.TimesRecorded
		rep.TimesRecorded = &t
	}
	rep.Notes = append(rep.Notes, "compared with the previous build only: BuildKit may still hold steps of older builds")
	return rep, nil
}

func hasStage(p *buildplan.Plan, name string) bool {
	for _, s := range p.Stages {
		if s == name {
			return true
		}
	}
	return false
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// Since fills in what changed since git revision rev in the context's
// repository: the changed paths, and the Dockerfile and the ignore file
// as they were at rev. A context outside a git work tree or an unknown
// revision is a *vocab.InputError.
func (in *Input) Since(ctx context.Context, rev string) error {
	repo, err := gitchange.Open(ctx, in.Dir)
	if err != nil {
		return err
	}
	paths, err := repo.Changed(ctx, rev)
	if err != nil {
		return err
	}
	in.Changed = append(in.Changed, paths...)
	return in.previousFrom(ctx, repo, rev)
}

// FromChanged fills in, when Changed names the Dockerfile or the ignore
// file and the previous Dockerfile is not given, their previous text from
// the last commit (git HEAD). Without a git repository that is a
// *vocab.InputError: strata cannot tell what they were.
func (in *Input) FromChanged(ctx context.Context) error {
	dfRel := dockerignore.InContext(in.Dir, in.Dockerfile)
	named := false
	for _, p := range in.Changed {
		p = strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/")
		if p == dfRel || p == dockerignore.FileName || strings.HasSuffix(p, dockerignore.FileName) {
			named = true
		}
	}
	if !named || in.PreviousDockerfile != nil {
		return nil
	}
	repo, err := gitchange.Open(ctx, in.Dir)
	if err != nil {
		return vocab.Inputf("--changed names the Dockerfile or .dockerignore, but strata cannot tell what they were before: give --previous-dockerfile, or use --since in a git repository")
	}
	return in.previousFrom(ctx, repo, "HEAD")
}

// previousFrom reads the Dockerfile and the ignore file as they were at
// rev.
func (in *Input) previousFrom(ctx context.Context, repo *gitchange.Repo, rev string) error {
	dfRel := dockerignore.InContext(in.Dir, in.Dockerfile)
	if in.PreviousDockerfile == nil {
		src, ok, err := repo.Show(ctx, rev, dfRel)
		if err != nil {
			return err
		}
		if ok {
			in.PreviousDockerfile = src
		} else {
			in.PreviousDockerfile = []byte{}
		}
	}
	in.PreviousIgnoreKnown = true
	in.PreviousIgnore = nil
	for _, c := range dockerignore.Candidates(in.Dir, in.Dockerfile) {
		rel := dockerignore.InContext(in.Dir, c)
		if rel == "" {
			continue
		}
		data, ok, err := repo.Show(ctx, rev, rel)
		if err != nil {
			return err
		}
		if ok {
			m, err := dockerignore.Parse(c+" at "+rev, data)
			if err != nil {
				return err
			}
			in.PreviousIgnore = m
			break
		}
	}
	return nil
}
