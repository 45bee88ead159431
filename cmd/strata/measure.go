package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/measure"
	"github.com/stratatools/strata/internal/measure/engine"
	"github.com/stratatools/strata/internal/report"
)

func newMeasureCommand(a *cli.App) *cobra.Command {
	var (
		mf   measureFlags
		file string
	)
	cmd := &cobra.Command{
		Use:   "measure [flags] [CONTEXT]",
		Short: "Build a Dockerfile on the Docker Engine and measure build time, size and start-up",
		Long: `measure builds the Dockerfile through the Docker Engine API (DOCKER_HOST is
honoured; BuildKit when the Engine offers it, the classic builder
otherwise), or on a BuildKit daemon through BuildKit's own API, and
reports:

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
  checklist      layers.cache_dependencies as the warm rebuild showed it;
                 with --explain, why it ran each step again (BuildKit)

The cold build's step times are kept in the user cache folder, for the
expected rebuild time strata cache gives.

--builder ADDRESS (or BUILDKIT_HOST, with --builder auto) builds on a
BuildKit daemon as buildctl and buildx's remote and kubernetes drivers
reach it: unix:///run/buildkit/buildkitd.sock, tcp://HOST:PORT (with
--tls-cacert, --tls-cert, --tls-key), docker-container://NAME,
kube-pod://POD?namespace=NS. Its images are loaded into the local Docker
Engine, which runs the start-up, or pushed to --push REGISTRY[/PREFIX]
and read from there (the start-up then runs when an Engine answers).

--runs repeats the builds and the start-up and reports median, min and
max. Builds and containers use host networking unless --network says
otherwise. Every container and image measure creates is removed at the
end, also after a failure or Ctrl-C. On a terminal, a progress line on
standard error shows the phase and the build step (not with --format
json or --no-progress, nor when TERM=dumb).

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
			if err := engine.CheckDockerfile(file); err != nil {
				return err
			}
			if err := engine.CheckContext(contextDir); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := openSession(ctx, a, &mf)
			if err != nil {
				return err
			}
			defer closeSession(a, s)
			pl := mf.progress(a)
			opts = s.Options(opts)
			opts.Progress = measureProgress(pl)
			opts.RecordStepTimes = true
			m, err := engine.Dockerfile(ctx, s.Client, file, contextDir, opts)
			pl.Stop()
			if err != nil {
				return measureError(ctx, a, err)
			}
			if err := writeMeasurement(a, &mf, m); err != nil {
				return err
			}
			if m.StartupError != "" {
				return cli.Failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&file, "file", "f", "", "the Dockerfile (default: CONTEXT/Dockerfile)")
	mf.register(fl)
	return cmd
}

func writeMeasurement(a *cli.App, mf *measureFlags, m *measure.Measurement) error {
	var err error
	if mf.format == "json" {
		err = report.MeasureJSON(a.Stdout, m)
	} else {
		err = report.MeasureText(a.Stdout, m, report.Options{Color: !mf.noColor && a.ColorEnabled(a.Stdout)})
	}
	if err != nil {
		return cli.UsageError(fmt.Errorf("writing the report: %w", err))
	}
	return nil
}

// openSession connects to the Engine for measure and compare.
func openSession(ctx context.Context, a *cli.App, mf *measureFlags) (*engine.Session, error) {
	s, err := engine.OpenChoice(ctx, mf.choice(a))
	if err != nil {
		return nil, measureError(ctx, a, err)
	}
	return s, nil
}

// closeSession removes what the run made and closes the connection. A
// failed removal is reported on stderr.
func closeSession(a *cli.App, s *engine.Session) {
	if err := s.Close(); err != nil {
		fmt.Fprintf(a.Stderr, "strata: %v\n", err)
	}
}

// measureProgress shows a measurement's events on the progress line.
func measureProgress(p *report.Progress) func(engine.Event) {
	return func(e engine.Event) {
		p.Update(report.Status{Phase: e.Phase, Detail: e.Step, Cached: e.Cached})
	}
}

// measureError maps a measurement's error to the command's exit: 130
// when interrupted; 2 for a failed build (with the failing step's output),
// bad input (a vocab.InputError, mapped by run) and any other failure.
func measureError(ctx context.Context, a *cli.App, err error) error {
	if ctx.Err() != nil {
		return &cli.ExitError{Code: cli.ExitInterrupted, Err: errors.New("interrupted; the containers and images strata made were removed")}
	}
	var be *build.Error
	if errors.As(err, &be) {
		fmt.Fprintln(a.Stderr, "strata: "+be.Detail())
		return &cli.ExitError{Code: cli.ExitUsage}
	}
	return err
}
