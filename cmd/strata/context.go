package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/buildcontext"
	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/buildreport"
)

func newContextCommand(a *cli.App) *cobra.Command {
	var (
		bf      buildFlags
		maxSize string
		top     int
	)
	cmd := &cobra.Command{
		Use:   "context [flags] [DIR]",
		Short: "Show what a build sends to BuildKit: sizes, junk, secrets, what each instruction reads",
		Long: `context walks the build context DIR (default ".") as BuildKit's client does,
with the .dockerignore that applies (Dockerfile.dockerignore beside a named
Dockerfile first), never following a symbolic link, and reports:

  what BuildKit sends    only the paths COPY, ADD and RUN --mount read,
                         unless one reads the whole context (COPY .); the
                         exact bytes its transfer counts
  where the bytes are    a bar per top folder, the largest directories
                         and files
  junk and secrets       .git, node_modules, virtualenvs, bytecode, build
                         output, logs, editor files, large archives and
                         binaries; key and credential files (SD502)
  what is read           the paths each instruction takes, and what none
                         reads
  a .dockerignore        that leaves out the junk and the unused paths
                         without dropping anything an instruction names,
                         as a diff

--max-context-size fails (exit 1) when BuildKit sends more than the size
("50MB", "1GiB"). Exit status: 0, 1 when the gate fails, 2 for bad input.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, df, err := bf.resolve(args)
			if err != nil {
				return err
			}
			var limit int64
			if maxSize != "" {
				if limit, err = gate.ParseSize(maxSize); err != nil || limit <= 0 {
					return cli.UsageError(fmt.Errorf("--max-context-size %q: want a size such as 50MB", maxSize))
				}
			}
			buildArgs, err := parseBuildArgs(a, "--build-arg", bf.buildArgs)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			plan, err := buildplan.Convert(ctx, df, nil, buildplan.Options{BuildArgs: buildArgs, Target: bf.target})
			if err != nil {
				return interrupted(ctx, err)
			}
			rep, err := buildcontext.Analyze(ctx, buildcontext.Request{Dir: dir, Dockerfile: df, Plan: plan, Top: top})
			if err != nil {
				return interrupted(ctx, err)
			}
			pass := rep.CheckGate(limit)
			if bf.format == "json" {
				err = buildreport.ContextJSON(a.Stdout, rep)
			} else {
				err = buildreport.ContextText(a.Stdout, rep, report.Options{Color: !bf.noColor && a.ColorEnabled(a.Stdout)})
			}
			if err != nil {
				return cli.UsageError(fmt.Errorf("writing the report: %w", err))
			}
			if !pass {
				return cli.Failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	bf.register(fl)
	fl.StringVar(&maxSize, "max-context-size", "", "fail when BuildKit sends more than this (e.g. 50MB)")
	fl.IntVar(&top, "top", 10, "length of the largest-files and largest-directories lists")
	return cmd
}
