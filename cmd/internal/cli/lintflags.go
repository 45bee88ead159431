package cli

import (
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/layercache"
	"github.com/stratatools/strata/internal/lint"
)

// lintFlags are the flags lint and fix share: configuration, context and
// rule selection.
type lintFlags struct {
	req        lint.Request
	severities []string
	levels     map[string]*[]string
	noCache    bool
}

func (lf *lintFlags) register(fl *pflag.FlagSet) {
	lf.levels = map[string]*[]string{"error": new([]string), "warning": new([]string), "info": new([]string), "style": new([]string)}
	fl.StringVarP(&lf.req.ConfigPath, "config", "c", "", "configuration file (default: .strata.yaml or .hadolint.yaml found upwards from the Dockerfile)")
	fl.StringVar(&lf.req.ContextDir, "context", "", "build context directory (default: the Dockerfile's folder)")
	fl.StringSliceVar(&lf.req.Ignore, "ignore", nil, "rule IDs or aliases to ignore (repeatable, comma-separated)")
	fl.StringSliceVar(&lf.req.Enable, "enable", nil, "switch on rules that are off by default")
	fl.StringArrayVar(&lf.severities, "severity", nil, "override a rule's severity: RULE=error|warning|info|style|none")
	for _, level := range []string{"error", "warning", "info", "style"} {
		fl.StringSliceVar(lf.levels[level], level, nil, "make these rules "+level+" (hadolint compatible)")
	}
	fl.StringVarP(&lf.req.FailureThreshold, "failure-threshold", "t", "", "lowest severity that makes the exit status 1: error, warning, info, style or none (default warning)")
	fl.BoolVar(&lf.req.NoFail, "no-fail", false, "always exit 0 unless the input is bad")
	fl.StringSliceVar(&lf.req.TrustedRegistries, "trusted-registry", nil, "registries FROM may use (DL3026)")
	fl.BoolVar(&lf.req.NoInlineIgnores, "disable-ignore-pragma", false, "disregard inline ignore comments")
	fl.BoolVar(&lf.req.StrictConfig, "strict-config", false, "make unknown keys and rules in the configuration file errors (warnings otherwise)")
	fl.BoolVar(&lf.noCache, "no-cache", false, "run ShellCheck on every RUN script, not reusing the findings kept from earlier runs (strata/shellcheck in the user cache folder)")
}

// request builds the lint request for the given files.
func (lf *lintFlags) request(a *App, paths []string) (lint.Request, error) {
	req := lf.req
	if len(paths) == 0 {
		paths = []string{"Dockerfile"}
	}
	req.Paths = paths
	req.Stdin = a.Stdin
	if !lf.noCache {
		// No cache folder (no home) only means no cache.
		req.ShellCheckCache, _ = layercache.DefaultRoot()
	}
	req.Version = Version
	req.Severity = map[string]string{}
	// Files are linted in parallel: each warning is printed once, whole.
	var mu sync.Mutex
	warned := map[string]bool{}
	req.Warn = func(w config.Warning) {
		mu.Lock()
		defer mu.Unlock()
		if s := w.String(); !warned[s] {
			warned[s] = true
			fmt.Fprintf(a.Stderr, "strata: warning: %s\n", s)
		}
	}
	for _, s := range lf.severities {
		id, level, ok := strings.Cut(s, "=")
		if !ok || id == "" {
			return req, UsageError(fmt.Errorf("--severity %q: want RULE=LEVEL", s))
		}
		req.Severity[id] = level
	}
	for level, ids := range lf.levels {
		for _, id := range *ids {
			req.Severity[id] = level
		}
	}
	return req, nil
}
