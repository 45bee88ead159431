package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/imagediff"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

// Side is one side of a comparison: a Dockerfile to build in its
// context, or an image in the Engine to read.
type Side struct {
	// Label is "A" or "B".
	Label string
	// Dockerfile and Context are set for a Dockerfile, Image for an
	// image reference.
	Dockerfile string
	Context    string
	Image      string
}

// Plan is what strata compare measures.
type Plan struct {
	A, B Side
	// Fix makes B the "strata fix --unsafe" form of A's Dockerfile; Run
	// sets B.
	Fix bool
}

// PlanCompare reads strata compare's arguments without asking the
// Engine. Each argument is a Dockerfile, a directory holding one, or, when
// no such file exists, an image reference (Run checks the Engine has it).
// contextDir, if set, is the build context of the Dockerfiles; otherwise
// each Dockerfile's folder is. With fix there is one argument, a
// Dockerfile. Bad input is a *vocab.InputError.
func PlanCompare(args []string, contextDir string, fix bool) (*Plan, error) {
	if contextDir != "" {
		if err := CheckContext(contextDir); err != nil {
			return nil, err
		}
	}
	p := &Plan{Fix: fix}
	if fix {
		if len(args) != 1 {
			return nil, vocab.Inputf("compare --fix takes one Dockerfile, got %d argument(s)", len(args))
		}
		df := DockerfileArg(args[0])
		if err := CheckDockerfile(df); err != nil {
			return nil, err
		}
		p.A = dockerfileSide("A", df, contextDir)
		return p, nil
	}
	if len(args) != 2 {
		return nil, vocab.Inputf("compare takes two Dockerfiles or images, A and B; got %d argument(s)", len(args))
	}
	for i, s := range []*Side{&p.A, &p.B} {
		label, arg := []string{"A", "B"}[i], args[i]
		if _, err := os.Stat(arg); err != nil {
			*s = Side{Label: label, Image: arg}
			continue
		}
		df := DockerfileArg(arg)
		if err := CheckDockerfile(df); err != nil {
			return nil, err
		}
		*s = dockerfileSide(label, df, contextDir)
	}
	return p, nil
}

func dockerfileSide(label, dockerfile, contextDir string) Side {
	if contextDir == "" {
		contextDir = filepath.Dir(dockerfile)
	}
	return Side{Label: label, Dockerfile: dockerfile, Context: contextDir}
}

// Run measures A and B one after the other and compares them (see
// measure.Compare). Image sides are checked first: an image the Engine
// does not have is a *vocab.InputError. With Fix, B is built from a copy
// of A's context holding the fixed Dockerfile and the files the fixes add
// (see FixCopy; the user's files are not changed), and onFix, if set,
// hears what the fixes changed before anything is built. opts.Progress
// hears each side's events with the side's label before the phase ("B:
// cold build 1/1"). opts.Tracker records what is made; the caller cleans
// up.
func (p *Plan) Run(ctx context.Context, cli *client.Client, opts Options, onFix func(*fix.Result)) (*measure.Comparison, error) {
	for _, s := range []Side{p.A, p.B} {
		if s.Image == "" {
			continue
		}
		if err := checkImage(ctx, cli, s); err != nil {
			return nil, err
		}
	}
	if p.Fix {
		tmp, err := os.MkdirTemp("", "strata-compare-fix-")
		if err != nil {
			return nil, fmt.Errorf("making a temporary directory: %w", err)
		}
		defer os.RemoveAll(tmp)
		fixed, err := FixCopy(ctx, p.A.Dockerfile, p.A.Context, tmp, opts.Lint)
		if err != nil {
			return nil, err
		}
		if onFix != nil {
			onFix(fixed.Result)
		}
		p.B = Side{Label: "B", Dockerfile: fixed.Dockerfile, Context: fixed.Context}
	}

	// The two analyses hash contents alike, so that their files can be
	// compared without reading the images again.
	opts.Shared = image.NewShared(0)
	results := map[string]*image.Result{}
	opts.Analysed = func(label string, r *image.Result) { results[label] = r }
	// Both warm rebuilds change the same file, so that their rows
	// compare the same change.
	same := ""
	if opts.Touch == "" && p.A.Dockerfile != "" && p.B.Dockerfile != "" {
		t, err := SameTouch(p.A, p.B, opts.Target)
		if err != nil {
			return nil, err
		}
		same = t
	}
	var ms [2]*measure.Measurement
	for i, s := range []Side{p.A, p.B} {
		so := opts
		if same != "" {
			so.Touch = same
		}
		m, err := measureSide(ctx, cli, s, so)
		if err != nil {
			return nil, err
		}
		if same != "" {
			m.Notes = append(m.Notes, fmt.Sprintf("warm rebuild: A and B change the same file, %s", same))
		}
		ms[i] = m
	}
	if p.Fix {
		ms[1].Subject = ms[0].Subject + " (strata fix --unsafe)"
		ms[1].Context = ms[0].Context + " (copy with the fixes' files)"
	}
	c := measure.Compare(ms[0], ms[1])
	if ra, rb := results[p.A.Label], results[p.B.Label]; ra != nil && rb != nil {
		if d, err := imagediff.Compare(ra, rb); err == nil {
			c.Files = fileDiff(d)
		}
	}
	return c, nil
}

// SameTouch chooses the file the warm rebuilds of two Dockerfile sides
// change: the best candidate of A (see TouchCandidates) that B's build
// sends too, else B's best that A's sends, else the first both send in
// A's order; "" when they share none (each side then picks its own).
func SameTouch(a, b Side, target string) (string, error) {
	ca, err := touchCandidatesOf(a, target)
	if err != nil {
		return "", err
	}
	cb, err := touchCandidatesOf(b, target)
	if err != nil {
		return "", err
	}
	inB := map[string]bool{}
	for _, p := range cb {
		inB[p] = true
	}
	inA := map[string]bool{}
	for _, p := range ca {
		inA[p] = true
	}
	switch {
	case len(ca) > 0 && inB[ca[0]]:
		return ca[0], nil
	case len(cb) > 0 && inA[cb[0]]:
		return cb[0], nil
	}
	for _, p := range ca {
		if inB[p] {
			return p, nil
		}
	}
	return "", nil
}

// touchCandidatesOf ranks the files a side's warm rebuild may change.
func touchCandidatesOf(s Side, target string) ([]string, error) {
	df, err := ParseDockerfile(s.Dockerfile)
	if err != nil {
		return nil, err
	}
	files, err := build.ContextFiles(s.Context, s.Dockerfile)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	return TouchCandidates(df, target, files, dockerignore.InContext(s.Context, s.Dockerfile)), nil
}

// fileDiff is the measurement model's view of the images' file diff.
func fileDiff(d *imagediff.Diff) *measure.FileDiff {
	s := d.Summary
	f := &measure.FileDiff{Added: s.Added, Removed: s.Removed, Changed: s.Changed, Bytes: s.Delta, Summary: s.Text, Dirs: []measure.DirChange{}}
	for _, dd := range s.Dirs {
		f.Dirs = append(f.Dirs, measure.DirChange{Path: dd.Path, Bytes: dd.Delta})
	}
	return f
}

// measureSide measures one side, its label on the measurement and on
// every progress event.
func measureSide(ctx context.Context, cli *client.Client, s Side, opts Options) (*measure.Measurement, error) {
	opts.Label = s.Label
	if progress := opts.Progress; progress != nil {
		opts.Progress = func(e Event) {
			e.Phase = s.Label + ": " + e.Phase
			progress(e)
		}
	}
	if s.Dockerfile != "" {
		return Dockerfile(ctx, cli, s.Dockerfile, s.Context, opts)
	}
	return Image(ctx, cli, s.Image, opts)
}

// checkImage checks that an image side is in the Engine. The side was
// not a file either, so the message says both.
func checkImage(ctx context.Context, cli *client.Client, s Side) error {
	if cli == nil {
		return vocab.Inputf("%s: %q is not a file, and there is no Docker Engine to read it from as an image", s.Label, s.Image)
	}
	_, err := cli.ImageInspect(ctx, s.Image)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errdefs.IsNotFound(err), errdefs.IsInvalidParameter(err):
		return vocab.Inputf("%s: %q is neither a file nor an image in the Docker Engine at %s", s.Label, s.Image, cli.DaemonHost())
	}
	return fmt.Errorf("%s: looking up image %q in the Docker Engine at %s: %w", s.Label, s.Image, cli.DaemonHost(), err)
}
