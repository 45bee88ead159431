package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/measure/engine"
	"github.com/stratatools/strata/internal/report"
)

// measureFlags are the flags measure and compare share: how to build and
// how to start the image.
type measureFlags struct {
	buildArgs  []string
	target     string
	network    string
	platform   string
	builder    string
	tls        build.TLSFiles
	push       string
	insecure   bool
	touch      string
	runs       int
	readyLog   string
	readyPort  int
	timeout    time.Duration
	noStartup  bool
	config     string
	format     string
	noColor    bool
	noProgress bool
	explain    bool
}

func (mf *measureFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&mf.buildArgs, "build-arg", nil, "build-time variable KEY=VALUE (KEY alone takes it from the environment); repeatable")
	fl.StringVar(&mf.target, "target", "", "build stage to build")
	fl.StringVar(&mf.network, "network", "", "network mode of RUN steps and of the start-up container (default: host on the Docker Engine, the daemon's own on a BuildKit daemon)")
	fl.StringVar(&mf.platform, "platform", "", "platform to build for, e.g. linux/amd64")
	fl.StringVar(&mf.builder, "builder", build.BuilderAuto, "builder: auto, buildkit or classic (the Docker Engine's), or a BuildKit daemon: unix://PATH, tcp://HOST:PORT, docker-container://NAME, kube-pod://POD")
	fl.StringVar(&mf.tls.CACert, "tls-cacert", "", "CA certificate that verifies a tcp:// BuildKit daemon")
	fl.StringVar(&mf.tls.Cert, "tls-cert", "", "client certificate for a tcp:// BuildKit daemon (with --tls-key)")
	fl.StringVar(&mf.tls.Key, "tls-key", "", "client key for a tcp:// BuildKit daemon (with --tls-cert)")
	fl.StringVar(&mf.tls.ServerName, "tls-server-name", "", "name the daemon's certificate must carry (default: the address's host)")
	fl.StringVar(&mf.push, "push", "", "with a BuildKit daemon: push the images to REGISTRY[/PREFIX] and measure them from there instead of loading them into the Docker Engine")
	fl.BoolVar(&mf.insecure, "insecure", false, "allow plain HTTP (and unverified TLS) to the --push registry")
	fl.StringVar(&mf.touch, "touch", "", "file of the build context the warm rebuild changes (default: one the Dockerfile's last COPY sends)")
	fl.IntVar(&mf.runs, "runs", 1, "repetitions; the report shows median, min and max")
	fl.StringVar(&mf.readyLog, "ready-log", "", "start-up ends when a log line matches this regular expression")
	fl.IntVar(&mf.readyPort, "ready-port", 0, "start-up ends when 127.0.0.1:PORT accepts a TCP connection")
	fl.DurationVar(&mf.timeout, "timeout", build.DefaultStartupTimeout, "longest wait for the start-up")
	fl.BoolVar(&mf.noStartup, "no-startup", false, "do not run the image")
	fl.StringVarP(&mf.config, "config", "c", "", "strata lint configuration file (default: found upwards from the Dockerfile)")
	fl.StringVar(&mf.format, "format", "text", "output format: text or json")
	fl.BoolVar(&mf.noColor, "no-color", false, "never colour the output")
	fl.BoolVar(&mf.noProgress, "no-progress", false, "no progress line while building and measuring")
	fl.BoolVar(&mf.explain, "explain", false, "say why the warm rebuild ran each step (BuildKit)")
}

// options checks the flags and turns them into measurement options.
func (mf *measureFlags) options(a *cli.App) (engine.Options, error) {
	var opts engine.Options
	switch mf.format {
	case "text", "json":
	default:
		return opts, cli.UsageError(fmt.Errorf("--format %q: want text or json", mf.format))
	}
	if mf.runs < 1 {
		return opts, cli.UsageError(fmt.Errorf("--runs %d: want at least 1", mf.runs))
	}
	if mf.readyPort < 0 || mf.readyPort > 65535 {
		return opts, cli.UsageError(fmt.Errorf("--ready-port %d: not a TCP port", mf.readyPort))
	}
	if mf.readyLog != "" && mf.readyPort != 0 {
		return opts, cli.UsageError(errors.New("--ready-log and --ready-port cannot be combined"))
	}
	if mf.timeout <= 0 {
		return opts, cli.UsageError(fmt.Errorf("--timeout %s: want a positive duration", mf.timeout))
	}
	switch mf.builder {
	case build.BuilderAuto, build.BuilderBuildKit, build.BuilderClassic:
	default:
		if !build.IsAddress(mf.builder) {
			return opts, cli.UsageError(fmt.Errorf("--builder %q: want %s, %s, %s or a BuildKit daemon's address (unix://, tcp://, docker-container://, kube-pod://)", mf.builder, build.BuilderAuto, build.BuilderBuildKit, build.BuilderClassic))
		}
	}
	if mf.readyLog != "" {
		re, err := regexp.Compile(mf.readyLog)
		if err != nil {
			return opts, cli.UsageError(fmt.Errorf("--ready-log: %w", err))
		}
		opts.ReadyLog = re
	}
	if len(mf.buildArgs) > 0 {
		opts.BuildArgs = map[string]*string{}
		for _, kv := range mf.buildArgs {
			k, v, ok := strings.Cut(kv, "=")
			if k == "" {
				return opts, cli.UsageError(fmt.Errorf("--build-arg %q: want KEY=VALUE or KEY", kv))
			}
			switch {
			case ok:
				opts.BuildArgs[k] = &v
			case a.Getenv(k) != "":
				env := a.Getenv(k)
				opts.BuildArgs[k] = &env
			default:
				opts.BuildArgs[k] = nil
			}
		}
	}
	opts.Target, opts.Network, opts.Platform = mf.target, mf.network, mf.platform
	opts.Touch, opts.Runs, opts.Explain = mf.touch, mf.runs, mf.explain
	opts.ReadyPort, opts.StartupTimeout, opts.NoStartup = mf.readyPort, mf.timeout, mf.noStartup
	opts.Lint = lint.Request{ConfigPath: mf.config, Version: cli.Version}
	return opts, nil
}

// choice is the builder the flags and the environment pick.
func (mf *measureFlags) choice(a *cli.App) engine.Choice {
	return engine.Choice{
		Builder: mf.builder, DockerBuildKit: a.Getenv("DOCKER_BUILDKIT"), BuildKitHost: a.Getenv(build.EnvBuildKitHost),
		TLS: mf.tls, Push: mf.push, Insecure: mf.insecure,
	}
}

// progress starts the progress line, off for JSON output.
func (mf *measureFlags) progress(a *cli.App) *report.Progress {
	return a.Progress(mf.noProgress || mf.format == "json", mf.noColor)
}
