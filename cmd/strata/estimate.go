package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/estimate"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/buildreport"
	"github.com/stratatools/strata/internal/vocab"
)

// estimateFlags are the flags that set up the estimate's sources.
type estimateFlags struct {
	offline   bool
	baseSizes []string
	platform  string
	timeout   time.Duration
}

func (ef *estimateFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&ef.offline, "offline", false, "use no network: the cache and the local Docker Engine only")
	fl.StringArrayVar(&ef.baseSizes, "base-size", nil, "size of a base image: SIZE for the image's base, or REF=SIZE (e.g. 80MB); repeatable")
	fl.StringVar(&ef.platform, "platform", "linux/amd64", "the image's platform")
	fl.DurationVar(&ef.timeout, "timeout", 20*time.Second, "limit for each network request")
}

// estimator sets up the sources (registries, mirrors, the local Engine).
func (ef *estimateFlags) estimator(a *cli.App) (*estimate.Estimator, error) {
	if ef.timeout <= 0 {
		return nil, cli.UsageError(fmt.Errorf("--timeout %v: want a positive duration", ef.timeout))
	}
	e, err := estimate.New(estimate.Config{
		Offline: ef.offline, Timeout: ef.timeout, Platform: ef.platform,
		NpmRegistry: a.Getenv("npm_config_registry"), PyPIIndex: a.Getenv("PIP_INDEX_URL"),
		Engine: func(ctx context.Context) (daemon.EngineClient, error) { return build.Connect(ctx) },
	})
	if err != nil {
		return nil, cli.UsageError(err)
	}
	return e, nil
}

// sizes parses --base-size.
func (ef *estimateFlags) sizes() (map[string]int64, error) {
	out := map[string]int64{}
	for _, v := range ef.baseSizes {
		ref, size := "", v
		if i := strings.LastIndex(v, "="); i >= 0 {
			ref, size = v[:i], v[i+1:]
		}
		n, err := gate.ParseSize(size)
		if err != nil || n < 0 {
			return nil, cli.UsageError(fmt.Errorf("--base-size %q: want SIZE or REF=SIZE, such as 80MB", v))
		}
		out[ref] = n
	}
	return out, nil
}

func newEstimateCommand(a *cli.App) *cobra.Command {
	var (
		ef               estimateFlags
		file, contextDir string
		target, format   string
		buildArgs        []string
		noColor          bool
	)
	cmd := &cobra.Command{
		Use:   "estimate [flags] [DOCKERFILE|DIR]",
		Short: "Predict the size of the image a Dockerfile builds, layer by layer, without building",
		Long: `estimate predicts the size of the image (as the Docker Engine reports it,
uncompressed) without building it:

  base image     the local Docker Engine's copy (exact), else the registry's
                 manifest through go-containerregistry (its layers are read
                 when a RUN needs the package database); cached in the user
                 cache folder; --base-size gives it
  apt-get        Debian's or Ubuntu's package index from the mirror the base
                 uses: Installed-Size of the packages and the dependencies
                 not yet installed (recommended ones unless
                 --no-install-recommends), the lists, the .deb files and
                 apt's caches left in the layer
  apk add        Alpine's APKINDEX
  npm ci         the lock file and the npm registry's unpacked sizes
  pip install    the wheels on the Python index (their zip directories)
  COPY, ADD      the files of the build context after .dockerignore
  COPY --from    what the estimate knows the other stage wrote there

Each figure says where it came from and how sure it is: exact, declared
(by an index), modelled (apt's caches, byte-compiled Python), guessed (a
compiler's output) or unknown; guesses and unknowns are ranges. Indexes
and image facts are cached in the user cache folder; --offline uses only
the cache and the local Engine. Network requests time out (--timeout).

Exit status: 0, 2 for bad input, 130 when interrupted.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return cli.UsageError(fmt.Errorf("--format %q: want text or json", format))
			}
			df, dir, err := estimateInputs(args, file, contextDir)
			if err != nil {
				return err
			}
			bas, err := parseBuildArgs(a, "--build-arg", buildArgs)
			if err != nil {
				return err
			}
			sizes, err := ef.sizes()
			if err != nil {
				return err
			}
			est, err := ef.estimator(a)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			e, err := est.Estimate(ctx, estimate.Request{Dockerfile: df, ContextDir: dir, Target: target, BuildArgs: bas, BaseSizes: sizes})
			if err != nil {
				return interrupted(ctx, err)
			}
			if format == "json" {
				err = buildreport.EstimateJSON(a.Stdout, e)
			} else {
				err = buildreport.EstimateText(a.Stdout, e, report.Options{Color: !noColor && a.ColorEnabled(a.Stdout)})
			}
			if err != nil {
				return cli.UsageError(fmt.Errorf("writing the report: %w", err))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&file, "file", "f", "", "the Dockerfile (default: DIR/Dockerfile)")
	fl.StringVar(&contextDir, "context", "", "the build context (default: the Dockerfile's folder)")
	fl.StringVar(&target, "target", "", "build stage to estimate (default: the last)")
	fl.StringArrayVar(&buildArgs, "build-arg", nil, "build-time variable KEY=VALUE; repeatable")
	fl.StringVar(&format, "format", "text", "output format: text or json")
	fl.BoolVar(&noColor, "no-color", false, "never colour the output")
	ef.register(fl)
	return cmd
}

// estimateInputs resolves the Dockerfile and the build context: the
// argument names either (a file is the Dockerfile, a folder the context).
func estimateInputs(args []string, file, contextDir string) (df, dir string, err error) {
	arg := "."
	if len(args) == 1 {
		arg = args[0]
	}
	fi, err := os.Stat(arg)
	if err != nil {
		return "", "", vocab.Inputf("%s: %w", arg, unwrapPathError(err))
	}
	switch {
	case fi.IsDir() && file == "":
		dir, df = arg, filepath.Join(arg, "Dockerfile")
	case fi.IsDir():
		dir, df = arg, file
	case file != "":
		return "", "", cli.UsageError(fmt.Errorf("%s is a file and --file names another Dockerfile", arg))
	default:
		df, dir = arg, filepath.Dir(arg)
	}
	if contextDir != "" {
		dir = contextDir
	}
	if fi, err := os.Stat(dir); err != nil {
		return "", "", vocab.Inputf("build context %s: %w", dir, unwrapPathError(err))
	} else if !fi.IsDir() {
		return "", "", vocab.Inputf("build context %s is not a directory", dir)
	}
	if fi, err := os.Stat(df); err != nil {
		return "", "", vocab.Inputf("Dockerfile %s: %w", df, unwrapPathError(err))
	} else if fi.IsDir() {
		return "", "", vocab.Inputf("Dockerfile %s is a directory", df)
	}
	return df, dir, nil
}

// writeFixEstimate prints a fix's expected effect on the image's size on
// standard error (standard output holds the diff). offline keeps to the
// cache and the local Engine (fix --explain without --estimate).
func writeFixEstimate(ctx context.Context, a *cli.App, res *fix.Result, ctxDir string, offline bool) error {
	ef := estimateFlags{offline: offline, platform: "linux/amd64", timeout: 20 * time.Second}
	est, err := ef.estimator(a)
	if err != nil {
		return err
	}
	var ignore []byte
	for _, nf := range res.Create {
		if nf.Path == dockerignore.FileName {
			ignore = []byte(nf.Content)
		}
	}
	before, err := est.Estimate(ctx, estimate.Request{Dockerfile: res.Path, Source: res.Original, ContextDir: ctxDir})
	if err != nil {
		return interrupted(ctx, fmt.Errorf("estimating %s: %w", res.Path, err))
	}
	after, err := est.Estimate(ctx, estimate.Request{Dockerfile: res.Path, Source: res.Fixed, ContextDir: ctxDir, Ignore: ignore})
	if err != nil {
		return interrupted(ctx, fmt.Errorf("estimating the fixed %s: %w", res.Path, err))
	}
	if err := buildreport.EstimateChangeText(a.Stderr, estimate.Change{Before: before, After: after}, report.Options{Color: a.ColorEnabled(a.Stderr)}); err != nil {
		return cli.UsageError(fmt.Errorf("writing the estimate: %w", err))
	}
	return nil
}
