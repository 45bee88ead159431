package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/cachepredict"
	"github.com/stratatools/strata/internal/dockerignore"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/buildreport"
	"github.com/stratatools/strata/internal/steptimes"
	"github.com/stratatools/strata/internal/vocab"
)

func newCacheCommand(a *cli.App) *cobra.Command {
	var (
		bf            buildFlags
		changed       []string
		since         string
		prevArgs      []string
		prevFile      string
		noCacheFilter []string
	)
	cmd := &cobra.Command{
		Use:   "cache [flags] [DIR] (--changed PATH... | --since GIT_REV | --build-arg K=V...)",
		Short: "Predict which build steps a change rebuilds, and why",
		Long: `cache says, for every step of every stage the target needs, whether
BuildKit takes it from its cache after a change or rebuilds it, and the
first cause, with the line: "line 7 COPY . /app takes src/app.py, which
changed → this step and the 5 after it rebuild". It follows BuildKit's
rules: COPY and read-only RUN mounts are keyed on the content of what they
take (after .dockerignore; a changed modification time is no change, a
changed mode is), a RUN on its command and the ARG and ENV values in
scope, in order; cache and secret mounts are no part of a key; a stage
that rebuilds into byte-identical output does not rebuild the steps that
copy from it; stages the target does not need are never built; a comment
changes nothing.

The change is given by:
  --changed PATH     a context file that changed (repeatable); when it is
                     the Dockerfile or .dockerignore, their previous text
                     comes from --previous-dockerfile or git HEAD
  --since REV        what git diff REV lists, untracked files included,
                     and the Dockerfile and .dockerignore as at REV
  --build-arg K=V    the next build's value (the previous build's is the
                     Dockerfile's default, or --previous-build-arg)
  --no-cache-filter  stages the next build rebuilds whatever

The summary gives the steps rebuilt out of the total and, when strata
measure has timed this Dockerfile's steps, the expected rebuild time.
Exit status: 0, 2 for bad input.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, df, err := bf.resolve(args)
			if err != nil {
				return err
			}
			in := cachepredict.Input{Dir: dir, Dockerfile: df, Target: bf.target}
			if in.BuildArgs, err = parseBuildArgs(a, "--build-arg", bf.buildArgs); err != nil {
				return err
			}
			if in.PreviousBuildArgs, err = parseBuildArgs(a, "--previous-build-arg", prevArgs); err != nil {
				return err
			}
			for _, s := range noCacheFilter {
				for _, name := range strings.Split(s, ",") {
					if name = strings.TrimSpace(name); name != "" {
						in.NoCacheFilter = append(in.NoCacheFilter, strings.ToLower(name))
					}
				}
			}
			for _, p := range changed {
				rel, err := contextPath(dir, p)
				if err != nil {
					return err
				}
				in.Changed = append(in.Changed, rel)
			}
			if prevFile != "" {
				if in.PreviousDockerfile, err = os.ReadFile(prevFile); err != nil {
					return vocab.Inputf("--previous-dockerfile %s: %w", prevFile, unwrapPathError(err))
				}
			}
			ctx := cmd.Context()
			if since != "" {
				err = in.Since(ctx, since)
			} else {
				err = in.FromChanged(ctx)
			}
			if err != nil {
				return interrupted(ctx, err)
			}
			if rec, err := steptimes.Load(df); err == nil && rec != nil {
				in.Times, in.TimesRecorded = rec.Steps, rec.Recorded
			}
			rep, err := cachepredict.Run(ctx, in)
			if err != nil {
				return interrupted(ctx, err)
			}
			if bf.format == "json" {
				err = buildreport.CacheJSON(a.Stdout, rep)
			} else {
				err = buildreport.CacheText(a.Stdout, rep, report.Options{Color: !bf.noColor && a.ColorEnabled(a.Stdout)})
			}
			if err != nil {
				return cli.UsageError(fmt.Errorf("writing the report: %w", err))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	bf.register(fl)
	fl.StringArrayVar(&changed, "changed", nil, "a context path whose content or mode changed, or that was added or removed; repeatable")
	fl.StringVar(&since, "since", "", "read the changed paths from git: what changed since this revision")
	fl.StringArrayVar(&prevArgs, "previous-build-arg", nil, "a --build-arg of the previous build, KEY=VALUE; repeatable")
	fl.StringVar(&prevFile, "previous-dockerfile", "", "the Dockerfile as the previous build read it")
	fl.StringArrayVar(&noCacheFilter, "no-cache-filter", nil, "stages the next build runs without the cache; repeatable or comma-separated")
	cmd.MarkFlagsMutuallyExclusive("since", "changed")
	return cmd
}

// contextPath makes a --changed path context-relative: a path that exists
// from the current directory is taken from there, any other as relative
// to the context (a removed file). A path outside the context is bad
// input.
func contextPath(dir, p string) (string, error) {
	if _, err := os.Lstat(p); err == nil {
		if rel := dockerignore.InContext(dir, p); rel != "" {
			return rel, nil
		}
		absDir, _ := filepath.Abs(dir)
		if absP, _ := filepath.Abs(p); absP == absDir {
			return "", vocab.Inputf("--changed %s: that is the whole build context; name the files that changed", p)
		}
	}
	if filepath.IsAbs(p) {
		return "", vocab.Inputf("--changed %s: not inside the build context %s", p, dir)
	}
	rel := filepath.ToSlash(filepath.Clean(p))
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", vocab.Inputf("--changed %s: not inside the build context %s", p, dir)
	}
	return rel, nil
}
