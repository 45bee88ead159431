package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/client"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/report"
)

// exitInterrupted is the exit status after Ctrl-C or SIGTERM, as a shell
// reports a process killed by SIGINT.
const exitInterrupted = 130

// measureFlags are the flags measure and compare share: how to build and
// how to start the image.
type measureFlags struct {
	buildArgs []string
	target    string
	network   string
	platform  string
	builder   string
	touch     string
	runs      int
	readyLog  string
	readyPort int
	timeout   time.Duration
	noStartup bool
	config    string
	format    string
	noColor   bool
}

func (mf *measureFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&mf.buildArgs, "build-arg", nil, "build-time variable KEY=VALUE (KEY alone takes it from the environment); repeatable")
	fl.StringVar(&mf.target, "target", "", "build stage to build")
	fl.StringVar(&mf.network, "network", build.DefaultNetwork, "network mode of RUN steps and of the start-up container")
	fl.StringVar(&mf.platform, "platform", "", "platform to build for, e.g. linux/amd64")
	fl.StringVar(&mf.builder, "builder", build.BuilderAuto, "builder: auto (BuildKit when the Engine offers it; DOCKER_BUILDKIT decides when set), buildkit or classic")
	fl.StringVar(&mf.touch, "touch", "", "file of the build context the warm rebuild changes (default: one the Dockerfile's last COPY sends)")
	fl.IntVar(&mf.runs, "runs", 1, "repetitions; the report shows median, min and max")
	fl.StringVar(&mf.readyLog, "ready-log", "", "start-up ends when a log line matches this regular expression")
	fl.IntVar(&mf.readyPort, "ready-port", 0, "start-up ends when 127.0.0.1:PORT accepts a TCP connection")
	fl.DurationVar(&mf.timeout, "timeout", build.DefaultStartupTimeout, "longest wait for the start-up")
	fl.BoolVar(&mf.noStartup, "no-startup", false, "do not run the image")
	fl.StringVarP(&mf.config, "config", "c", "", "strata lint configuration file (default: found upwards from the Dockerfile)")
	fl.StringVar(&mf.format, "format", "text", "output format: text or json")
	fl.BoolVar(&mf.noColor, "no-color", false, "never colour the text output")
}

// options checks the flags and turns them into measurement options.
func (mf *measureFlags) options(a *app) (measure.Options, error) {
	var opts measure.Options
	switch mf.format {
	case "text", "json":
	default:
		return opts, usageError(fmt.Errorf("--format %q: want text or json", mf.format))
	}
	if mf.runs < 1 {
		return opts, usageError(fmt.Errorf("--runs %d: want at least 1", mf.runs))
	}
	if mf.readyPort < 0 || mf.readyPort > 65535 {
		return opts, usageError(fmt.Errorf("--ready-port %d: not a TCP port", mf.readyPort))
	}
	if mf.readyLog != "" && mf.readyPort != 0 {
		return opts, usageError(errors.New("--ready-log and --ready-port cannot be combined"))
	}
	if mf.timeout <= 0 {
		return opts, usageError(fmt.Errorf("--timeout %s: want a positive duration", mf.timeout))
	}
	switch mf.builder {
	case build.BuilderAuto, build.BuilderBuildKit, build.BuilderClassic:
	default:
		return opts, usageError(fmt.Errorf("--builder %q: want %s, %s or %s", mf.builder, build.BuilderAuto, build.BuilderBuildKit, build.BuilderClassic))
	}
	if mf.network == "" {
		return opts, usageError(errors.New("--network: empty"))
	}
	if mf.readyLog != "" {
		re, err := regexp.Compile(mf.readyLog)
		if err != nil {
			return opts, usageError(fmt.Errorf("--ready-log: %w", err))
		}
		opts.ReadyLog = re
	}
	if len(mf.buildArgs) > 0 {
		opts.BuildArgs = map[string]*string{}
		for _, kv := range mf.buildArgs {
			k, v, ok := strings.Cut(kv, "=")
			if k == "" {
				return opts, usageError(fmt.Errorf("--build-arg %q: want KEY=VALUE or KEY", kv))
			}
			switch {
			case ok:
				opts.BuildArgs[k] = &v
			case a.getenv(k) != "":
				env := a.getenv(k)
				opts.BuildArgs[k] = &env
			default:
				opts.BuildArgs[k] = nil
			}
		}
	}
	opts.Target, opts.Network, opts.Platform = mf.target, mf.network, mf.platform
	opts.Touch, opts.Runs = mf.touch, mf.runs
	opts.ReadyPort, opts.StartupTimeout, opts.NoStartup = mf.readyPort, mf.timeout, mf.noStartup
	opts.Lint = lint.Request{ConfigPath: mf.config, Version: version}
	return opts, nil
}

// engineSession is the Engine connection of one measure or compare run,
// with the tracker whose cleanup must run however the command ends.
type engineSession struct {
	cli     *client.Client
	tracker *build.Tracker
	builder string
}

func openEngine(ctx context.Context, a *app, mf *measureFlags) (*engineSession, error) {
	cli, err := build.Connect(ctx)
	if err != nil {
		return nil, usageError(err)
	}
	b, err := build.ResolveBuilder(ctx, cli, mf.builder, a.getenv("DOCKER_BUILDKIT"))
	if err != nil {
		_ = cli.Close()
		return nil, usageError(err)
	}
	return &engineSession{cli: cli, tracker: build.NewTracker(cli), builder: b}, nil
}

// close removes what the run made and closes the connection. A failed
// removal is reported on stderr.
func (s *engineSession) close(a *app) {
	if err := s.tracker.Cleanup(); err != nil {
		fmt.Fprintf(a.stderr, "strata: cleaning up: %v\n", err)
	}
	_ = s.cli.Close()
}

// measureError maps a measurement's error to the command's exit.
func measureError(ctx context.Context, a *app, err error) error {
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; the containers and images strata made were removed")}
	}
	var be *build.Error
	if errors.As(err, &be) {
		fmt.Fprintln(a.stderr, "strata: "+be.Detail())
		return &exitError{code: exitUsage}
	}
	var ie *measure.InputError
	if errors.As(err, &ie) {
		return usageError(ie)
	}
	return usageError(err)
}

func newMeasureCommand(a *app) *cobra.Command {
	var (
		mf   measureFlags
		file string
	)
	cmd := &cobra.Command{
		Use:   "measure [flags] [CONTEXT]",
		Short: "Build a Dockerfile on the Docker Engine and measure build time, size and start-up",
		Long: `measure builds the Dockerfile through the Docker Engine API (DOCKER_HOST is
honoured; BuildKit when the Engine offers it, the classic builder
otherwise) and reports:

  cold build     the build with no cache, under a fresh tag
  warm rebuild   the rebuild after a source-only change: one file the
                 Dockerfile copies (--touch names it) is changed in a copy
                 of the context; the steps taken from the cache are counted
  image size     uncompressed, and gzip-compressed as a registry stores it;
                 the layer count and each layer's size
  start-up       from container start until it exits, a log line matches
                 --ready-log, or 127.0.0.1:--ready-port answers (--timeout)
  findings       strata image's analysis of the result (waste, findings)
                 and strata lint's findings of the Dockerfile

--runs repeats the builds and the start-up and reports median, min and
max. Builds and containers use host networking unless --network says
otherwise. Every container and image measure creates is removed at the
end, also after a failure or Ctrl-C.

Exit status: 0 when measured; 1 when the start-up failed (timeout, or the
container exited before it was ready); 2 for usage or input errors and
failed builds (the failing step and its last output lines are shown);
130 when interrupted.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := mf.options(a)
			if err != nil {
				return err
			}
			contextDir := "."
			if len(args) == 1 {
				contextDir = args[0]
			}
			if file == "" {
				file = filepath.Join(contextDir, "Dockerfile")
			}
			if err := checkDockerfile(file); err != nil {
				return err
			}
			if err := checkContext(contextDir); err != nil {
				return err
			}
			ctx := cmd.Context()
			es, err := openEngine(ctx, a, &mf)
			if err != nil {
				return err
			}
			defer es.close(a)
			opts.Builder, opts.Tracker = es.builder, es.tracker
			pl := newProgressLine(a, mf.format)
			opts.Progress = pl.update
			m, err := measure.Dockerfile(ctx, es.cli, file, contextDir, opts)
			pl.stop()
			if err != nil {
				return measureError(ctx, a, err)
			}
			if err := writeMeasurement(a, &mf, m); err != nil {
				return err
			}
			if m.StartupError != "" {
				return failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&file, "file", "f", "", "the Dockerfile (default: CONTEXT/Dockerfile)")
	mf.register(fl)
	return cmd
}

func writeMeasurement(a *app, mf *measureFlags, m *report.Measurement) error {
	var err error
	if mf.format == "json" {
		err = report.MeasureJSON(a.stdout, m)
	} else {
		err = report.MeasureText(a.stdout, m, report.Options{Color: !mf.noColor && a.colorEnabled(a.stdout)})
	}
	if err != nil {
		return usageError(fmt.Errorf("writing the report: %w", err))
	}
	return nil
}

// checkDockerfile makes a missing or unreadable Dockerfile a clear usage
// error before anything connects to the Engine.
func checkDockerfile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return usageError(fmt.Errorf("Dockerfile %s: %w", path, errors.Unwrap(err)))
	case fi.IsDir():
		return usageError(fmt.Errorf("Dockerfile %s is a directory", path))
	}
	if _, err := measure.ParseDockerfile(path); err != nil {
		return usageError(err)
	}
	return nil
}

func checkContext(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return usageError(fmt.Errorf("build context %s: %w", dir, errors.Unwrap(err)))
	case !fi.IsDir():
		return usageError(fmt.Errorf("build context %s is not a directory", dir))
	}
	return nil
}

// progressLine is the one-line live display of what a measurement is
// doing, on a terminal's standard error only, and never with JSON output.
type progressLine struct {
	w       io.Writer
	mu      sync.Mutex
	phase   string
	step    string
	since   time.Time
	done    chan struct{}
	stopped sync.Once
	width   int
}

func newProgressLine(a *app, format string) *progressLine {
	pl := &progressLine{done: make(chan struct{}), width: 100}
	if format == "json" || !a.isTerminal(a.stderr) {
		close(pl.done)
		return pl
	}
	pl.w = a.stderr
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-pl.done:
				return
			case <-t.C:
				pl.mu.Lock()
				pl.draw()
				pl.mu.Unlock()
			}
		}
	}()
	return pl
}

func (pl *progressLine) update(e measure.Event) {
	if pl.w == nil {
		return
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if e.Phase != pl.phase {
		pl.since = time.Now()
	}
	pl.phase, pl.step = e.Phase, e.Step
	if e.Cached && e.Step != "" {
		pl.step = "CACHED " + e.Step
	}
	pl.draw()
}

// draw rewrites the line; the caller holds mu.
func (pl *progressLine) draw() {
	if pl.phase == "" {
		return
	}
	line := fmt.Sprintf("%s %4.0fs", pl.phase, time.Since(pl.since).Seconds())
	if pl.step != "" {
		line += "  " + strings.Join(strings.Fields(pl.step), " ")
	}
	if r := []rune(line); len(r) > pl.width {
		line = string(r[:pl.width-1]) + "…"
	}
	fmt.Fprintf(pl.w, "\r\x1b[K%s", line)
}

// stop clears the line and ends the display.
func (pl *progressLine) stop() {
	pl.stopped.Do(func() {
		if pl.w == nil {
			return
		}
		close(pl.done)
		pl.mu.Lock()
		defer pl.mu.Unlock()
		fmt.Fprint(pl.w, "\r\x1b[K")
		pl.w = nil
	})
}
