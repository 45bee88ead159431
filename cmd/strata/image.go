package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/image/source"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/image/source/registry"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/vocab"
)

// imageGCPercent is the collector target while an image is read.
const imageGCPercent = 50

// imageBudget is the soft memory limit while an image is read: 144 bytes
// per layer entry (see cli.Budget).
var imageBudget = cli.Budget{Base: 32 << 20, Per: 144}

// imageFlags are the flags of strata image.
type imageFlags struct {
	source     string
	platform   string
	insecure   bool
	timeout    time.Duration
	base       string
	dockerfile string
	format     string
	configPath string
	strictCfg  bool
	diveCI     string
	ignore     []string
	jobs       int
	top        int
	noHash     bool
	noProgress bool
	noColor    bool
	out        imageOutFlags

	maxSize              string
	minEfficiency        float64
	maxWastedBytes       string
	maxWastedPercent     float64
	maxUserWastedPercent float64
	failOn               string
}

func newImageCommand(a *cli.App) *cobra.Command {
	var f imageFlags
	cmd := &cobra.Command{
		Use:   "image [flags] REF",
		Short: "Read a built image, account for every byte, and gate CI",
		Long: `image reads a built image in one pass and reports its layers, the bytes
later layers hide (overwritten, deleted, copied up by chmod/chown), duplicate
files, caches, toolchains, secrets and other findings, and the largest paths.

REF is read from:
  docker-daemon:NAME    the local Docker Engine (DOCKER_HOST), streamed
  docker-archive:PATH   a docker save archive (old or Docker 25+ layout); "-" is stdin
  oci:DIR               an OCI image layout directory
  oci-archive:PATH      an OCI layout in a tar archive
  docker://REF          a registry (credentials from the Docker config), also registry:REF
A plain REF that names an existing directory is an OCI layout, an existing
file (or a name ending in .tar) an archive, and anything else an image in the
Docker Engine. --source forces one.

With --dockerfile, layers are mapped to the Dockerfile's instructions and
each finding is reported on the line that caused it; the lint formats
(sarif, checkstyle, gitlab, github) then apply.

-i opens the analysis in an explorer (layers, file tree, waste; ? for keys)
instead of printing the report; --html also writes a self-contained page.

Gate thresholds come from .dive-ci (dive's rules), the image section of
.strata.yaml, and the flags, each overriding the one before.

Exit status: 0 when the gate passes, 1 when it fails, 2 for usage or input
errors, 130 when interrupted (Ctrl-C, also in the explorer).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImage(cmd, a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "where REF is: "+strings.Join(source.Transports(), ", ")+" (default: guessed)")
	fl.StringVar(&f.platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: the host's)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP (and unverified TLS) to the registry, credentials included")
	fl.DurationVar(&f.timeout, "timeout", registry.DefaultTimeout, "give up on a registry that takes longer to connect or to answer")
	fl.StringVar(&f.base, "base", "", "the base image (any REF form); its layers do not count as user layers")
	fl.StringVar(&f.dockerfile, "dockerfile", "", "the Dockerfile the image was built from, to report findings on its lines")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text, json, or with --dockerfile sarif, checkstyle, gitlab, github")
	fl.StringVarP(&f.configPath, "config", "c", "", "configuration file (default: .strata.yaml found upwards from the current directory)")
	fl.BoolVar(&f.strictCfg, "strict-config", false, "make unknown keys in the configuration file errors")
	fl.StringVar(&f.diveCI, "ci-config", "", "dive CI rules file (default: ./.dive-ci when present)")
	fl.StringArrayVar(&f.ignore, "ignore", nil, "leave paths matching this pattern out of the waste figures (repeatable)")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "layers read at once (default: the number of CPUs)")
	fl.IntVar(&f.top, "top", 10, "how many of the largest files and directories to list")
	fl.BoolVar(&f.noHash, "no-hash", false, "do not hash file contents (no duplicate and copy-up detection)")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress display while layers are read")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text output")
	f.out.register(fl)
	f.addGateFlags(fl)
	return cmd
}

// addGateFlags registers the gate's thresholds (strata image and audit).
func (f *imageFlags) addGateFlags(fl *pflag.FlagSet) {
	fl.StringVar(&f.maxSize, "max-size", "", "fail an image larger than this (e.g. 200MB, 1.5GiB)")
	fl.Float64Var(&f.minEfficiency, "min-efficiency", 0, "fail an image less efficient than this (0..1)")
	fl.StringVar(&f.maxWastedBytes, "max-wasted-bytes", "", "fail an image wasting more bytes (e.g. 20MB)")
	fl.Float64Var(&f.maxWastedPercent, "max-wasted-percent", 0, "fail an image wasting more than this percentage of its stored bytes (0..100)")
	fl.Float64Var(&f.maxUserWastedPercent, "max-user-wasted-percent", 0, "fail an image whose user layers waste more than this percentage of what they store")
	fl.StringVar(&f.failOn, "fail-on", "", "fail an image with a finding of this severity or higher: error, warning, info, style, none")
}

func runImage(cmd *cobra.Command, a *cli.App, f *imageFlags, ref string) error {
	ctx := cmd.Context()
	// Reading an image keeps a live set proportional to its paths and
	// churns through tar headers; a tighter collector target keeps the
	// peak memory near the live set for a few percent of CPU. GOGC, when
	// set, wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(imageGCPercent))
	}
	if err := f.out.check(a); err != nil {
		return err
	}
	g, ignore, err := imageGate(cmd, a, f)
	if err != nil {
		return cli.UsageError(err)
	}
	write, err := report.LookupImage(f.format, f.dockerfile != "")
	if err != nil {
		return cli.UsageError(err)
	}
	openOpts := source.Options{Transport: f.source, Insecure: f.insecure, Timeout: f.timeout, Stdin: a.Stdin, Engine: connectEngine}
	if f.platform != "" {
		if openOpts.Platform, err = v1.ParsePlatform(f.platform); err != nil {
			return cli.UsageError(fmt.Errorf("--platform %q: %w", f.platform, err))
		}
	}
	src, err := source.Open(ref, openOpts)
	if err != nil {
		return cli.UsageError(err)
	}
	rules := check.All()
	opts := image.Options{Jobs: f.jobs, Ignore: ignore, NoHash: f.noHash, Top: f.top, Checks: rules, Changes: f.out.interactive}
	if f.dockerfile != "" {
		if opts.Dockerfile, err = image.LoadDockerfile(f.dockerfile); err != nil {
			return cli.UsageError(fmt.Errorf("--dockerfile: %w", err))
		}
	}
	if f.base != "" {
		if opts.Base, err = source.Base(ctx, f.base, openOpts); err != nil {
			return cli.UsageError(fmt.Errorf("--base: %w", err))
		}
	}
	if mem := cli.NewMemoryBudget(a.Getenv, imageBudget); mem != nil {
		defer mem.Done()
		opts.Entries = mem.Add
	}
	prog := a.Progress(f.noProgress, f.noColor)
	if prog.On() {
		opts.Progress = imageProgress(prog)
	}
	res, err := image.Analyze(ctx, src, opts)
	prog.Stop()
	if err != nil {
		if ctx.Err() != nil {
			return &cli.ExitError{Code: cli.ExitInterrupted, Err: fmt.Errorf("interrupted: %w", ctx.Err())}
		}
		return cli.UsageError(err)
	}
	if done, err := f.out.write(ctx, a, res); done || err != nil {
		return err
	}
	gr := g.Evaluate(res)
	run := report.ImageRun{Result: res, Gate: &gr, Rules: rules, Dockerfile: opts.Dockerfile, Version: cli.Version}
	if err := write(a.Stdout, run, report.Options{Color: !f.noColor && a.ColorEnabled(a.Stdout)}); err != nil {
		return &cli.ExitError{Code: cli.ExitUsage, Err: fmt.Errorf("writing report: %w", err)}
	}
	if !gr.Pass {
		return cli.Failed()
	}
	return nil
}

// connectEngine reaches the Docker Engine the way every strata command
// does (DOCKER_HOST, API version negotiation, a ping first).
func connectEngine(ctx context.Context) (daemon.EngineClient, error) {
	engine, err := build.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return engine, nil
}

// imageGate merges the thresholds of .dive-ci, .strata.yaml and the flags
// (gate.Resolve), and compiles the ignore patterns of the file and the
// flags.
func imageGate(cmd *cobra.Command, a *cli.App, f *imageFlags) (gate.Gate, *image.Matcher, error) {
	fl := cmd.Flags()
	flags := gate.Settings{MaxSize: f.maxSize, MaxWastedBytes: f.maxWastedBytes, FailOn: f.failOn}
	if fl.Changed("min-efficiency") {
		flags.MinEfficiency = &f.minEfficiency
	}
	if fl.Changed("max-wasted-percent") {
		flags.MaxWastedPercent = &f.maxWastedPercent
	}
	if fl.Changed("max-user-wasted-percent") {
		flags.MaxUserWastedPercent = &f.maxUserWastedPercent
	}
	res, err := gate.Resolve(gate.Inputs{DiveCI: f.diveCI, Config: f.configPath, Flags: flags, StrictConfig: f.strictCfg})
	if err != nil {
		return res.Gate, nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(a.Stderr, "strata: %s\n", w)
	}
	ignore, err := image.NewMatcher(slices.Concat(res.Ignore, f.ignore))
	return res.Gate, ignore, err
}

// imageProgress shows the reading of layers on the progress line.
func imageProgress(p *report.Progress) func(image.Progress) {
	return func(pr image.Progress) {
		total := "?"
		if pr.LayersTotal > 0 {
			total = fmt.Sprint(pr.LayersTotal)
		}
		p.Update(report.Status{Phase: "reading layers", Count: fmt.Sprintf("%d/%s", pr.LayersDone, total), Detail: vocab.FormatSize(pr.Bytes)})
	}
}
