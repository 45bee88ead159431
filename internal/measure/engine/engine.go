// Package engine takes strata measure's measurements on the Docker Engine:
// it builds a Dockerfile with no cache and again after a source-only
// change (one file the Dockerfile copies, changed in a copy of the
// context), times the container's start-up, reads the image's size, layers
// and compressed size, and runs strata image and strata lint on the
// result; it repeats all that and summarises the samples (Dockerfile,
// Image). For strata compare, PlanCompare resolves the two sides without
// the Engine and Plan.Run measures them, building B from "strata fix
// --unsafe" for compare --fix. Open connects a command to the Engine.
//
// The figures' types and the score are internal/measure's; the Engine
// work itself (builds, containers, cleanup) is internal/build's; the
// output formats are internal/report's.
package engine

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/vocab"
)

// ImageNamePrefix starts the repository name of every image strata
// measure builds; each measurement picks a fresh name after it.
const ImageNamePrefix = "strata-measure"

// ContainerLabel is the value of build.LabelCreatedBy on the containers a
// measurement starts.
const ContainerLabel = "strata measure"

// Options configure a measurement.
type Options struct {
	// Build settings, passed to the builder.
	BuildArgs map[string]*string
	Target    string
	Network   string
	Platform  string
	// Builder is build.BuilderBuildKit, build.BuilderClassic or
	// build.BuilderDaemon.
	Builder string
	// Daemon is the BuildKit daemon that builds when Builder is
	// build.BuilderDaemon (see remote.go); SessionNotes are the session's
	// remarks on how the builder was picked.
	Daemon       *build.Daemon
	SessionNotes []string
	// Touch names the file the warm rebuild changes: relative to the
	// build context, or a path inside it. "" picks one (see PickTouch).
	Touch string
	// Runs is the number of repetitions (at least 1).
	Runs int
	// Explain adds why the warm rebuild ran each step (BuildKit only).
	Explain bool
	// RecordStepTimes keeps the cold build's step times in the user's
	// cache folder for strata cache (BuildKit only).
	RecordStepTimes bool

	// Start-up: ReadyLog or ReadyPort end the measurement early (else the
	// container's exit does), bounded by StartupTimeout. Cmd replaces
	// the image's command. NoStartup skips start-up entirely.
	ReadyLog       *regexp.Regexp
	ReadyPort      int
	StartupTimeout time.Duration
	Cmd            []string
	NoStartup      bool

	// Lint carries the lint settings (configuration file and so on);
	// Paths and ContextDir are set by the measurement.
	Lint lint.Request
	// Label names the measurement in tables.
	Label string
	// Tracker records every container and image made, for cleanup.
	Tracker *build.Tracker
	// Progress, if set, hears what the measurement is doing.
	Progress func(Event)
	// Shared, if set, joins the image analyses (for the file diff of a
	// comparison); Analysed, if set, receives each analysis with the
	// measurement's label.
	Shared   *image.Shared
	Analysed func(label string, r *image.Result)
}

// Event is a progress report: the phase, and the build step running.
type Event struct {
	Phase string
	Step  string
	// Cached is true when the step came from the cache.
	Cached bool
}

func (o *Options) progress(phase, step string, cached bool) {
	if o.Progress != nil {
		o.Progress(Event{Phase: phase, Step: step, Cached: cached})
	}
}

func (o *Options) runs() int { return max(o.Runs, 1) }

// Dockerfile builds the Dockerfile at dfPath with contextDir as the build
// context and measures it (see the package documentation). Every image
// and container it makes is recorded in opts.Tracker; the caller cleans
// up.
func Dockerfile(ctx context.Context, cli *client.Client, dfPath, contextDir string, opts Options) (*measure.Measurement, error) {
	if opts.Tracker == nil {
		return nil, errors.New("measure: no tracker")
	}
	if err := CheckContext(contextDir); err != nil {
		return nil, err
	}
	df, err := ParseDockerfile(dfPath)
	if err != nil {
		return nil, err
	}
	if opts.Target != "" && !hasStage(df, opts.Target) {
		return nil, vocab.Inputf("%s: no build stage named %q (--target)", dfPath, opts.Target)
	}

	m := &measure.Measurement{
		Subject: dfPath, Label: opts.Label, Kind: measure.SubjectDockerfile, Context: contextDir,
		Builder: opts.Builder, Platform: opts.Platform, Runs: opts.runs(), Notes: []string{},
	}
	opts.describeBuilder(m)

	opts.progress("linting", "", false)
	lreq := opts.Lint
	lreq.Paths, lreq.ContextDir = []string{dfPath}, contextDir
	lreq.ReportOnly = true
	lout, err := lint.Run(ctx, lreq)
	if err != nil {
		if vocab.IsInput(err) {
			return nil, &vocab.InputError{Err: err}
		}
		return nil, fmt.Errorf("linting %s: %w", dfPath, err)
	}
	m.LintFindings = []vocab.Finding{}
	for _, fr := range lout.Report.Files {
		m.LintFindings = append(m.LintFindings, fr.Findings...)
	}

	// The warm rebuild works on a copy of the context, so that the
	// user's files are never touched.
	files, err := build.ContextFiles(contextDir, dfPath)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	dfRel := dockerignore.InContext(contextDir, dfPath)
	touched := ""
	if opts.Touch != "" {
		if touched, err = touchTarget(contextDir, opts.Touch, files); err != nil {
			return nil, &vocab.InputError{Err: err}
		}
	} else {
		touched = PickTouch(df, opts.Target, files, dfRel)
	}
	tmp, err := os.MkdirTemp("", "strata-measure-")
	if err != nil {
		return nil, fmt.Errorf("making a temporary build context: %w", err)
	}
	defer os.RemoveAll(tmp)
	warmCtx := filepath.Join(tmp, "context")
	if err := build.CopyContext(contextDir, dfPath, warmCtx); err != nil {
		return nil, err
	}
	warmDf := dfPath
	if dfRel != "" {
		warmDf = filepath.Join(warmCtx, filepath.FromSlash(dfRel))
	}
	var original []byte
	var mode os.FileMode
	if touched != "" {
		p := filepath.Join(warmCtx, filepath.FromSlash(touched))
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", touched, err)
		}
		mode = fi.Mode()
		if original, err = os.ReadFile(p); err != nil {
			return nil, fmt.Errorf("reading %s: %w", touched, err)
		}
		m.Notes = append(m.Notes, fmt.Sprintf("warm rebuild: %s changed (blank lines appended) in a copy of the context, rebuilt with the cache of the cold build", touched))
	} else {
		m.Notes = append(m.Notes, "warm rebuild: the Dockerfile copies no file from the context, so it rebuilds with no change")
	}

	name := build.NewName(ImageNamePrefix)
	// The change differs between measurements too: BuildKit's cache
	// outlives the images, and would otherwise serve a second measurement
	// of the same context entirely from the cache.
	nonce := randomMark()
	spec := build.Spec{
		Dockerfile: dfPath, ContextDir: contextDir, BuildArgs: opts.BuildArgs, Target: opts.Target,
		Network: opts.Network, Platform: opts.Platform, Builder: opts.Builder, Tracker: opts.Tracker,
	}
	var cold, warm, startup []time.Duration
	n := opts.runs()
	first := ""
	for i := 1; i <= n; i++ {
		coldPhase := fmt.Sprintf("cold build %d/%d", i, n)
		opts.progress(coldPhase, "", false)
		s := spec
		s.Tag, s.NoCache = fmt.Sprintf("%s:cold-%d", name, i), true
		s.Progress = func(st build.Step) { opts.progress(coldPhase, st.Name, st.Cached) }
		opts.Tracker.Image(s.Tag)
		res, err := opts.build(ctx, cli, s)
		if err != nil {
			return nil, err
		}
		cold = append(cold, res.Duration)
		if first == "" {
			first, m.ImageID = res.Tag, res.ImageID
			if opts.RecordStepTimes && opts.buildKit() {
				recordStepTimes(dfPath, res, m)
			}
		}

		if !opts.NoStartup && m.StartupError == "" {
			opts.progress(fmt.Sprintf("start-up %d/%d", i, n), "", false)
			d, err := opts.startup(ctx, cli, res.Tag, m)
			if err != nil {
				return nil, err
			}
			if d >= 0 {
				startup = append(startup, d)
			}
		}

		warmPhase := fmt.Sprintf("warm rebuild %d/%d", i, n)
		opts.progress(warmPhase, "", false)
		if touched != "" {
			if err := touchFile(filepath.Join(warmCtx, filepath.FromSlash(touched)), original, mode, nonce+uint64(i)); err != nil {
				return nil, err
			}
		}
		w := spec
		w.ContextDir, w.Dockerfile = warmCtx, warmDf
		w.Tag = fmt.Sprintf("%s:warm-%d", name, i)
		w.Progress = func(st build.Step) { opts.progress(warmPhase, st.Name, st.Cached) }
		opts.Tracker.Image(w.Tag)
		wres, err := opts.build(ctx, cli, w)
		if err != nil {
			return nil, err
		}
		warm = append(warm, wres.Duration)
		m.Warm = &measure.WarmBuild{Touched: touched, Steps: wres.Steps, CachedSteps: wres.CachedSteps}
		if i == n && opts.buildKit() {
			if err := explainWarm(ctx, warmCtx, warmDf, touched, wres, opts, m); err != nil {
				return nil, err
			}
		} else if i == n && opts.Explain {
			m.Notes = append(m.Notes, "--explain needs BuildKit: the classic builder's cache rules differ")
		}

		// Only the first cold image is analysed: the others go now, so
		// that repetitions do not pile up images.
		if err := opts.release(wres.Tag); err != nil {
			return nil, err
		}
		if res.Tag != first {
			if err := opts.release(res.Tag); err != nil {
				return nil, err
			}
		}
	}
	m.ColdBuild, m.WarmBuild = measure.Summarize(measure.Seconds(cold)), measure.Summarize(measure.Seconds(warm))
	m.Startup = measure.Summarize(measure.Seconds(startup))

	var mapping *image.Dockerfile
	if mp, err := image.LoadDockerfile(dfPath); err == nil && opts.Target == "" {
		mapping = mp
	}
	if err := opts.describe(ctx, cli, first, m, mapping); err != nil {
		return nil, err
	}
	return m, nil
}

// Image measures an image already in the Engine: size, layers, start-up
// and strata image's findings; nothing is built.
func Image(ctx context.Context, cli *client.Client, ref string, opts Options) (*measure.Measurement, error) {
	if opts.Tracker == nil {
		return nil, errors.New("measure: no tracker")
	}
	insp, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		if errdefs.IsNotFound(err) {
			return nil, vocab.Inputf("image %q not found in the Docker Engine at %s (strata measures local images; pull or build it first)", ref, cli.DaemonHost())
		}
		return nil, fmt.Errorf("inspecting image %s: %w", ref, err)
	}
	m := &measure.Measurement{
		Subject: ref, Label: opts.Label, Kind: measure.SubjectImage, ImageID: insp.ID,
		Runs: opts.runs(), Notes: []string{}, LintFindings: []vocab.Finding{},
	}
	var startup []time.Duration
	n := opts.runs()
	for i := 1; i <= n && !opts.NoStartup && m.StartupError == ""; i++ {
		opts.progress(fmt.Sprintf("start-up %d/%d", i, n), "", false)
		d, err := measureStartup(ctx, cli, ref, m, opts)
		if err != nil {
			return nil, err
		}
		if d >= 0 {
			startup = append(startup, d)
		}
	}
	m.Startup = measure.Summarize(measure.Seconds(startup))
	if err := describeImage(ctx, cli, ref, m, nil, opts); err != nil {
		return nil, err
	}
	return m, nil
}

// measureStartup runs one start-up measurement of ref. A start-up that
// times out or exits before it is ready is recorded in m and gives -1;
// other failures are returned.
func measureStartup(ctx context.Context, cli *client.Client, ref string, m *measure.Measurement, opts Options) (time.Duration, error) {
	res, err := build.Run(ctx, cli, build.RunSpec{
		Image: ref, Cmd: opts.Cmd, Network: opts.Network, ReadyLog: opts.ReadyLog, ReadyPort: opts.ReadyPort,
		Timeout: opts.StartupTimeout, Tracker: opts.Tracker, CreatedBy: ContainerLabel,
	})
	var re *build.RunError
	if errors.As(err, &re) {
		m.StartupError = re.Reason
		if len(re.Log) > 0 {
			m.StartupError += "; last output: " + strings.Join(re.Log, " | ")
		}
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	m.StartupUntil = res.Until
	if res.Until == build.UntilExit {
		code := res.ExitCode
		m.StartupExitCode = &code
	}
	return res.Duration, nil
}

// describeImage fills in what the image itself says: size, layers, user,
// and strata image's analysis.
func describeImage(ctx context.Context, cli *client.Client, ref string, m *measure.Measurement, df *image.Dockerfile, opts Options) error {
	insp, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return fmt.Errorf("inspecting image %s: %w", ref, err)
	}
	m.LayerCount = len(insp.RootFS.Layers)
	if insp.Config != nil {
		m.User = insp.Config.User
	}
	m.Root = measure.IsRoot(m.User)
	opts.progress("analysing the image", "", false)
	a, err := analyze(ctx, cli, ref, df, opts.Shared)
	if err != nil {
		return err
	}
	if opts.Analysed != nil {
		opts.Analysed(opts.Label, a.result)
	}
	a.fill(m, m.Subject)
	m.Notes = append(m.Notes, sizeNotes...)
	return nil
}

// randomMark returns a random number for touchFile's marks.
func randomMark() uint64 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return uint64(binary.BigEndian.Uint32(b[:])) << 8
}

func hasStage(f *dockerfile.File, name string) bool {
	for _, s := range f.Stages {
		if strings.EqualFold(s.Name, name) {
			return true
		}
	}
	return false
}

// touchTarget resolves --touch to a context-relative path of a file the
// build sends.
func touchTarget(contextDir, p string, files []string) (string, error) {
	var rel string
	switch {
	case filepath.IsAbs(p):
		rel = dockerignore.InContext(contextDir, p)
	default:
		if _, err := os.Stat(filepath.Join(contextDir, p)); err == nil {
			rel = filepath.ToSlash(filepath.Clean(p))
		} else {
			rel = dockerignore.InContext(contextDir, p)
		}
	}
	if rel == "" {
		return "", fmt.Errorf("--touch %s: not inside the build context %s", p, contextDir)
	}
	fi, err := os.Stat(filepath.Join(contextDir, filepath.FromSlash(rel)))
	if err != nil {
		return "", fmt.Errorf("--touch %s: %w", p, err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("--touch %s: not a regular file", p)
	}
	for _, f := range files {
		if f == rel {
			return rel, nil
		}
	}
	return "", fmt.Errorf("--touch %s: the build does not send it (excluded by .dockerignore)", p)
}
