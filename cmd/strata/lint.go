package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/report"
)

func newLintCommand(a *app) *cobra.Command {
	var (
		req        lint.Request
		format     string
		severities []string
		levels     = map[string]*[]string{"error": new([]string), "warning": new([]string), "info": new([]string), "style": new([]string)}
		noColor    bool
	)
	cmd := &cobra.Command{
		Use:   "lint [flags] [DOCKERFILE...]",
		Short: "Check Dockerfiles for size, cache, security and correctness problems",
		Long: `lint checks Dockerfiles with hadolint's DL rules (same codes), BuildKit's
build checks and strata's optimization checklist. With no file it reads
./Dockerfile; "-" reads standard input.

Exit status: 0 when no finding reaches the failure threshold, 1 when one
does, 2 for usage or input errors.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"Dockerfile"}
			}
			req.Paths = args
			req.Stdin = a.stdin
			req.Version = version
			req.Severity = map[string]string{}
			for _, s := range severities {
				id, level, ok := strings.Cut(s, "=")
				if !ok || id == "" {
					return usageError(fmt.Errorf("--severity %q: want RULE=LEVEL", s))
				}
				req.Severity[id] = level
			}
			for level, ids := range levels {
				for _, id := range *ids {
					req.Severity[id] = level
				}
			}
			formatter, err := report.Lookup(format)
			if err != nil {
				return usageError(err)
			}
			out, err := lint.Run(cmd.Context(), req)
			var ie *lint.InputError
			if errors.As(err, &ie) {
				return usageError(ie)
			}
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			opts := report.Options{Color: !noColor && a.colorEnabled(a.stdout)}
			if err := formatter(a.stdout, out.Report, opts); err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("writing report: %w", err)}
			}
			if out.Failed {
				return failed()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fl.StringVarP(&req.ConfigPath, "config", "c", "", "configuration file (default: .strata.yaml or .hadolint.yaml found upwards from the Dockerfile)")
	fl.StringVar(&req.ContextDir, "context", "", "build context directory (default: the Dockerfile's folder)")
	fl.StringSliceVar(&req.Ignore, "ignore", nil, "rule IDs or aliases to ignore (repeatable, comma-separated)")
	fl.StringSliceVar(&req.Enable, "enable", nil, "switch on rules that are off by default")
	fl.StringArrayVar(&severities, "severity", nil, "override a rule's severity: RULE=error|warning|info|style|none")
	for level, ids := range levels {
		fl.StringSliceVar(ids, level, nil, "make these rules "+level+" (hadolint compatible)")
	}
	fl.StringVarP(&req.FailureThreshold, "failure-threshold", "t", "", "lowest severity that makes lint exit 1: error, warning, info, style or none (default warning)")
	fl.BoolVar(&req.NoFail, "no-fail", false, "always exit 0 unless the input is bad")
	fl.StringSliceVar(&req.TrustedRegistries, "trusted-registry", nil, "registries FROM may use (DL3026)")
	fl.BoolVar(&req.NoInlineIgnores, "disable-ignore-pragma", false, "disregard inline ignore comments")
	fl.BoolVar(&noColor, "no-color", false, "never colour the text output")
	return cmd
}
