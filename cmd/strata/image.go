package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/report"
)

// imageGCPercent is the collector target while an image is read.
const imageGCPercent = 50

// imageFlags are the flags of strata image.
type imageFlags struct {
	source     string
	platform   string
	insecure   bool
	base       string
	dockerfile string
	format     string
	configPath string
	diveCI     string
	ignore     []string
	jobs       int
	top        int
	noHash     bool
	noProgress bool
	noColor    bool

	maxSize              string
	minEfficiency        float64
	maxWastedBytes       string
	maxWastedPercent     float64
	maxUserWastedPercent float64
	failOn               string
}

func newImageCommand(a *app) *cobra.Command {
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

Gate thresholds come from .dive-ci (dive's rules), the image section of
.strata.yaml, and the flags, each overriding the one before.

Exit status: 0 when the gate passes, 1 when it fails, 2 for usage or input
errors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImage(cmd, a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "where REF is: "+strings.Join(image.Transports(), ", ")+" (default: guessed)")
	fl.StringVar(&f.platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: the host's)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP (and unverified TLS) to the registry")
	fl.StringVar(&f.base, "base", "", "the base image (any REF form); its layers do not count as user layers")
	fl.StringVar(&f.dockerfile, "dockerfile", "", "the Dockerfile the image was built from, to report findings on its lines")
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text, json, or with --dockerfile sarif, checkstyle, gitlab, github")
	fl.StringVarP(&f.configPath, "config", "c", "", "configuration file (default: .strata.yaml found upwards from the current directory)")
	fl.StringVar(&f.diveCI, "ci-config", "", "dive CI rules file (default: ./.dive-ci when present)")
	fl.StringArrayVar(&f.ignore, "ignore", nil, "leave paths matching this pattern out of the waste figures (repeatable)")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "layers read at once (default: the number of CPUs)")
	fl.IntVar(&f.top, "top", 10, "how many of the largest files and directories to list")
	fl.BoolVar(&f.noHash, "no-hash", false, "do not hash file contents (no duplicate and copy-up detection)")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress display while layers are read")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text output")
	fl.StringVar(&f.maxSize, "max-size", "", "fail when the image is larger (e.g. 200MB, 1.5GiB)")
	fl.Float64Var(&f.minEfficiency, "min-efficiency", 0, "fail when the efficiency is lower (0..1)")
	fl.StringVar(&f.maxWastedBytes, "max-wasted-bytes", "", "fail when more bytes are wasted (e.g. 20MB)")
	fl.Float64Var(&f.maxWastedPercent, "max-wasted-percent", 0, "fail when more than this percentage of the stored bytes is wasted (0..100)")
	fl.Float64Var(&f.maxUserWastedPercent, "max-user-wasted-percent", 0, "fail when user layers waste more than this percentage of the bytes they store")
	fl.StringVar(&f.failOn, "fail-on", "", "fail when a finding has this severity or higher: error, warning, info, style, none")
	return cmd
}

func runImage(cmd *cobra.Command, a *app, f *imageFlags, ref string) error {
	ctx := cmd.Context()
	// Reading an image keeps a live set proportional to its paths and
	// churns through tar headers; a tighter collector target keeps the
	// peak memory near the live set for a few percent of CPU. GOGC, when
	// set, wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(imageGCPercent))
	}
	gate, ignore, err := imageGate(cmd, a, f)
	if err != nil {
		return usageError(err)
	}
	format := strings.ToLower(f.format)
	var formatter report.Formatter
	switch format {
	case "text", "json":
	default:
		formatter, err = report.Lookup(format)
		if err != nil {
			return usageError(err)
		}
		if f.dockerfile == "" {
			return usageError(fmt.Errorf("--format %s reports findings on Dockerfile lines: give the Dockerfile with --dockerfile", format))
		}
	}
	openOpts := image.OpenOptions{Transport: f.source, Insecure: f.insecure, Stdin: a.stdin, Engine: connectEngine}
	if f.platform != "" {
		p, err := v1.ParsePlatform(f.platform)
		if err != nil {
			return usageError(fmt.Errorf("--platform %q: %w", f.platform, err))
		}
		openOpts.Platform = p
	}
	src, err := image.Open(ref, openOpts)
	if err != nil {
		return usageError(err)
	}
	opts := image.Options{Jobs: f.jobs, Ignore: ignore, NoHash: f.noHash, Top: f.top}
	if f.dockerfile != "" {
		df, err := image.LoadDockerfile(f.dockerfile)
		if err != nil {
			return usageError(fmt.Errorf("--dockerfile: %w", err))
		}
		opts.Dockerfile = df
	}
	if f.base != "" {
		baseOpts := openOpts
		baseOpts.Transport = ""
		bsrc, err := image.Open(f.base, baseOpts)
		if err != nil {
			return usageError(fmt.Errorf("--base: %w", err))
		}
		m, err := bsrc.Meta(ctx)
		if err != nil {
			return usageError(fmt.Errorf("--base %s: %w", f.base, err))
		}
		opts.Base = image.BaseSpecFromMeta(f.base, m)
	}
	prog := a.progress(f.noProgress, f.noColor)
	if prog.On() {
		opts.Progress = imageProgress(prog)
	}
	res, err := image.Analyze(ctx, src, opts)
	prog.Stop()
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("interrupted: %w", ctx.Err())}
		}
		return usageError(err)
	}
	gr := gate.Evaluate(res)
	rules := image.DefaultRules()
	switch format {
	case "text":
		err = image.WriteText(a.stdout, res, &gr, image.TextOptions{Color: !f.noColor && a.colorEnabled(a.stdout)})
	case "json":
		err = image.WriteJSON(a.stdout, res, &gr, rules)
	default:
		var rep *report.Report
		rep, err = image.LintReport(res, opts.Dockerfile, rules, version)
		if err == nil {
			err = formatter(a.stdout, rep, report.Options{Color: !f.noColor && a.colorEnabled(a.stdout)})
		}
	}
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing report: %w", err)}
	}
	if !gr.Pass {
		return failed()
	}
	return nil
}

// connectEngine reaches the Docker Engine the way every strata command
// does (DOCKER_HOST, API version negotiation, a ping first).
func connectEngine(ctx context.Context) (image.EngineClient, error) {
	cli, err := build.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return cli, nil
}

// imageGate merges the thresholds of .dive-ci, .strata.yaml and the flags,
// and compiles the ignore patterns from the file and the flags.
func imageGate(cmd *cobra.Command, a *app, f *imageFlags) (image.Gate, *image.Matcher, error) {
	var gate image.Gate
	diveCI, explicit := f.diveCI, f.diveCI != ""
	if !explicit {
		diveCI = ".dive-ci"
	}
	g, warnings, err := image.LoadDiveCI(diveCI)
	switch {
	case err == nil:
		gate = g
		for _, w := range warnings {
			fmt.Fprintf(a.stderr, "strata: %s\n", w)
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	case errors.Is(err, fs.ErrNotExist):
		return gate, nil, fmt.Errorf("--ci-config %s: no such file", diveCI)
	default:
		return gate, nil, err
	}

	path := f.configPath
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return gate, nil, err
		}
		if path, err = config.Find(wd); err != nil {
			return gate, nil, err
		}
		if path != "" && strings.HasPrefix(filepath.Base(path), ".hadolint") {
			path = "" // hadolint's file has no image section
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return gate, nil, err
	}
	ci := cfg.Image
	fromFile, err := image.GateSettings{
		MaxSize: ci.MaxSize, MinEfficiency: ci.MinEfficiency, MaxWastedBytes: ci.MaxWastedBytes,
		MaxWastedPercent: ci.MaxWastedPercent, FailOn: ci.FailOn,
	}.Gate()
	if err != nil {
		return gate, nil, fmt.Errorf("%s: image: %w", cfg.Path, err)
	}
	gate = gate.Override(fromFile)

	fl := cmd.Flags()
	s := image.GateSettings{MaxSize: f.maxSize, MaxWastedBytes: f.maxWastedBytes, FailOn: f.failOn}
	if fl.Changed("min-efficiency") {
		s.MinEfficiency = &f.minEfficiency
	}
	if fl.Changed("max-wasted-percent") {
		s.MaxWastedPercent = &f.maxWastedPercent
	}
	if fl.Changed("max-user-wasted-percent") {
		s.MaxUserWastedPercent = &f.maxUserWastedPercent
	}
	fromFlags, err := s.Gate()
	if err != nil {
		return gate, nil, err
	}
	gate = gate.Override(fromFlags)
	if err := gate.Validate(); err != nil {
		return gate, nil, err
	}
	ignore, err := image.NewMatcher(append(append([]string(nil), ci.Ignore...), f.ignore...))
	if err != nil {
		return gate, nil, err
	}
	return gate, ignore, nil
}

// imageProgress shows the reading of layers on the progress line.
func imageProgress(p *report.Progress) func(image.Progress) {
	return func(pr image.Progress) {
		total := "?"
		if pr.LayersTotal > 0 {
			total = fmt.Sprint(pr.LayersTotal)
		}
		p.Update(report.Status{Phase: "reading layers", Count: fmt.Sprintf("%d/%s", pr.LayersDone, total), Detail: image.FormatSize(pr.Bytes)})
	}
}
