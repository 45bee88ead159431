package build

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	dockerbuild "github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/versions"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/vocab"
)

// Builder names, as shown to the user.
const (
	BuilderAuto     = "auto"
	BuilderBuildKit = "buildkit"
	BuilderClassic  = "classic"
)

// DefaultNetwork is the network mode of builds and containers unless the
// user names another: the test Engine has no bridge network, and host
// networking is what a measurement of start-up wants anyway.
const DefaultNetwork = "host"

// logTail is how many lines of a failed step's output are kept.
const logTail = 20

// Spec describes one build.
type Spec struct {
	// ContextDir is the build context directory.
	ContextDir string
	// Dockerfile is the Dockerfile's path; it may lie outside ContextDir.
	Dockerfile string
	// Tag names the image built. Record it with a Tracker first.
	Tag string
	// NoCache builds every step afresh.
	NoCache bool
	// BuildArgs are --build-arg values; a nil value takes the variable
	// from the environment of the builder, as docker build does.
	BuildArgs map[string]*string
	Target    string
	// Network is the network mode of RUN steps; "" means DefaultNetwork.
	Network  string
	Platform string
	// Builder is BuilderBuildKit or BuilderClassic (see ResolveBuilder).
	Builder string
	// Progress, if set, is called from the build's goroutine each time a
	// step starts.
	Progress func(Step)
	// Transferred, if set, is called from the build's goroutine when
	// BuildKit reports a transfer from the client complete.
	Transferred func(Transfer)
	// Tracker, if set, records the intermediate images a classic build
	// creates, so that a failed build leaves none behind.
	Tracker *Tracker
}

// engineOptions are the build options both builders send the Engine;
// each sets the builder version, the Dockerfile's name and its own.
func (spec Spec) engineOptions() dockerbuild.ImageBuildOptions {
	return dockerbuild.ImageBuildOptions{
		Tags:        []string{spec.Tag},
		NoCache:     spec.NoCache,
		BuildArgs:   spec.BuildArgs,
		Target:      spec.Target,
		NetworkMode: spec.Network,
		Platform:    spec.Platform,
		Remove:      true,
		ForceRemove: true,
	}
}

// Step is one build step as the builder names it: "[2/3] COPY app /app"
// (BuildKit) or "Step 2/3 : COPY app /app" (classic).
type Step struct {
	Name   string
	Cached bool
	// Duration is how long the step ran, as BuildKit timed it (0 for the
	// classic builder and for steps taken from the cache).
	Duration time.Duration
}

// Instruction returns the Dockerfile instruction of the step, without the
// builder's numbering: "COPY app /app".
func (s Step) Instruction() string {
	if loc := stepName.FindStringIndex(s.Name); loc != nil {
		return s.Name[loc[1]:]
	}
	if m := classicStep.FindStringSubmatch(s.Name); m != nil {
		return m[1]
	}
	return s.Name
}

// isFrom reports whether the step is a FROM, which builders number but
// which builds nothing.
func (s Step) isFrom() bool {
	return strings.HasPrefix(strings.ToUpper(s.Instruction()), "FROM ")
}

// Result is a successful build.
type Result struct {
	ImageID string
	// Tag is where the image is: its tag in the Engine, or its reference
	// in the registry a BuildKit daemon pushed it to.
	Tag     string
	Builder string
	// Digest is the manifest digest of an image pushed to a registry.
	Digest   string
	Duration time.Duration
	// Steps counts the Dockerfile steps the builder ran, FROM excluded;
	// CachedSteps those of them it took from its cache.
	Steps       int
	CachedSteps int
	// StepList holds those steps in the order they started, each with
	// whether it came from the cache.
	StepList []Step
	// Transfers are the files BuildKit received from the client, one per
	// local source it loaded (none for a classic build).
	Transfers []Transfer
}

// Transfer is one transfer of files from the client to BuildKit, as its
// status stream reports it ("transferring context: 1.2MB").
type Transfer struct {
	// Vertex names the vertex that loaded the files: "[internal] load
	// build context", "[internal] load .dockerignore".
	Vertex string
	// Name is the local source: "context" or "dockerfile".
	Name string
	// Bytes is what BuildKit counted as received: the file contents and
	// the metadata packets of the transfer protocol.
	Bytes int64
	// Done is true when BuildKit reported the transfer complete.
	Done bool
}

// newResult makes the Result of a build whose steps (FROM included) were
// steps.
func newResult(imageID string, steps []Step) *Result {
	r := &Result{ImageID: imageID}
	for _, st := range steps {
		if st.isFrom() {
			continue
		}
		r.StepList = append(r.StepList, st)
		r.Steps++
		if st.Cached {
			r.CachedSteps++
		}
	}
	return r
}

// Error is a build the builder rejected: the step that failed and the last
// lines it printed.
type Error struct {
	Dockerfile string
	Builder    string
	// Step is the failing instruction as the builder names it; "" when
	// the failure is not tied to a step (a Dockerfile the builder cannot
	// parse, say).
	Step string
	// Log holds the failing step's last output lines.
	Log []string
	// Message is what the builder reported.
	Message string
}

func (e *Error) Error() string {
	if e.Step == "" {
		return fmt.Sprintf("building %s (%s): %s", e.Dockerfile, e.Builder, e.Message)
	}
	return fmt.Sprintf("building %s (%s): step %s failed: %s", e.Dockerfile, e.Builder, e.Step, e.Message)
}

// Detail is the error with the failing step's output, for the terminal.
func (e *Error) Detail() string {
	var b strings.Builder
	b.WriteString(e.Error())
	if len(e.Log) > 0 {
		fmt.Fprintf(&b, "\nlast %d line(s) of the step's output:", len(e.Log))
		for _, l := range e.Log {
			b.WriteString("\n  | " + l)
		}
	}
	return b.String()
}

// ResolveBuilder picks the builder for pref (BuilderAuto, BuilderBuildKit
// or BuilderClassic). Auto follows what the docker CLI does: DOCKER_BUILDKIT
// (dockerBuildKit, "" when unset) decides when set; otherwise BuildKit,
// unless the Engine says its builder is the classic one, runs Windows
// containers, or is older than BuildKit (API 1.39). An unknown pref or a
// DOCKER_BUILDKIT that is not a boolean is a *vocab.InputError.
func ResolveBuilder(ctx context.Context, cli *client.Client, pref, dockerBuildKit string) (string, error) {
	switch pref {
	case BuilderBuildKit, BuilderClassic:
		return pref, nil
	case "", BuilderAuto:
	default:
		return "", vocab.Inputf("unknown builder %q (want %s, %s or %s)", pref, BuilderAuto, BuilderBuildKit, BuilderClassic)
	}
	if dockerBuildKit != "" {
		on, err := strconv.ParseBool(dockerBuildKit)
		if err != nil {
			return "", vocab.Inputf("DOCKER_BUILDKIT=%q is not a boolean", dockerBuildKit)
		}
		if on {
			return BuilderBuildKit, nil
		}
		return BuilderClassic, nil
	}
	ping, err := cli.Ping(ctx)
	if err != nil {
		return "", fmt.Errorf("asking the Docker Engine at %s which builder it offers: %w", cli.DaemonHost(), err)
	}
	switch {
	case ping.BuilderVersion == "2":
		return BuilderBuildKit, nil
	case ping.BuilderVersion == "1", ping.OSType == "windows", versions.LessThan(ping.APIVersion, "1.39"):
		return BuilderClassic, nil
	}
	return BuilderBuildKit, nil
}

// Build runs one build on the Engine and waits for it. A build the builder
// rejects is an *Error, a missing Dockerfile or context a
// *vocab.InputError; a cancelled ctx stops the build on the Engine.
func Build(ctx context.Context, cli *client.Client, spec Spec) (*Result, error) {
	if spec.Network == "" {
		spec.Network = DefaultNetwork
	}
	if err := spec.check(); err != nil {
		return nil, err
	}
	var (
		res *Result
		err error
	)
	start := time.Now()
	switch spec.Builder {
	case BuilderBuildKit:
		res, err = buildKit(ctx, cli, spec)
	case BuilderClassic:
		res, err = classic(ctx, cli, spec)
	default:
		return nil, fmt.Errorf("build: unknown builder %q", spec.Builder)
	}
	if err != nil {
		var be *Error
		if errors.As(err, &be) {
			be.Dockerfile, be.Builder = spec.Dockerfile, spec.Builder
		}
		if ctx.Err() != nil && be == nil {
			return nil, fmt.Errorf("building %s: %w", spec.Dockerfile, context.Cause(ctx))
		}
		return nil, err
	}
	res.Duration = time.Since(start)
	res.Builder, res.Tag = spec.Builder, spec.Tag
	if res.ImageID == "" {
		insp, err := cli.ImageInspect(ctx, spec.Tag)
		if err != nil {
			return nil, fmt.Errorf("building %s: the build reported success but: %w", spec.Dockerfile, err)
		}
		res.ImageID = insp.ID
	}
	return res, nil
}

// check refuses a spec with no tag, and a Dockerfile or context that is
// missing (a *vocab.InputError).
func (spec Spec) check() error {
	if spec.Tag == "" {
		return errors.New("build: no tag given")
	}
	if _, err := os.Stat(spec.Dockerfile); err != nil {
		return vocab.Inputf("reading the Dockerfile: %w", err)
	}
	if fi, err := os.Stat(spec.ContextDir); err != nil {
		return vocab.Inputf("reading the build context: %w", err)
	} else if !fi.IsDir() {
		return vocab.Inputf("the build context %s is not a directory", spec.ContextDir)
	}
	return nil
}

// NewName returns a fresh repository name for the images of one strata
// command: prefix followed by random hex ("strata-measure-1a2b3c4d5e6f").
func NewName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// engineMessage is one message of the JSON stream the build endpoint
// sends.
type engineMessage struct {
	Stream       string           `json:"stream"`
	ID           string           `json:"id"`
	ErrorMessage string           `json:"error"`
	Error        *engineErrDetail `json:"errorDetail"`
	Aux          *json.RawMessage `json:"aux"`
}

type engineErrDetail struct {
	Message string `json:"message"`
}

// isNotFound reports whether err says an object does not exist.
func isNotFound(err error) bool { return errdefs.IsNotFound(err) }
