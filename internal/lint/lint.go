// Package lint runs strata's Dockerfile rules over files end to end:
// it reads each file, finds its configuration and build context, runs
// the rule engine and turns the outcome into a report.
package lint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/stratatools/strata/internal/config"
	"github.com/stratatools/strata/internal/ctxio"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/layercache"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// Request describes one lint run. Fields set here override the
// configuration file.
type Request struct {
	// Paths are the Dockerfiles; "-" reads standard input.
	Paths []string
	Stdin io.Reader
	// ContextDir is the build context; "" means each Dockerfile's folder
	// (the working directory for standard input).
	ContextDir string
	// ConfigPath names the configuration file; "" searches upwards from
	// each Dockerfile.
	ConfigPath string

	Ignore            []string
	Severity          map[string]string // rule -> severity name
	Enable            []string
	FailureThreshold  string
	TrustedRegistries []string
	NoInlineIgnores   bool
	NoFail            bool
	Version           string
	// StrictConfig makes a configuration file's warnings (unknown keys,
	// unknown rules) errors.
	StrictConfig bool
	// Warn receives each warning about a configuration file (called
	// again for every file linted with it; nil drops them).
	Warn func(config.Warning)
	// ShellCheckCache is the folder in which ShellCheck's findings on
	// each file's RUN scripts are kept between runs (in its shellcheck
	// folder, capped at 64 MiB); "" keeps nothing.
	ShellCheckCache string
	// ReportOnly drops each file's parsed form and engine result once its
	// report entry is made: the outcome's Results then carry only Path
	// and Err. A run over many files then holds little more than its
	// report.
	ReportOnly bool
	// NoRuleInfo leaves the report's Rules empty: only SARIF prints them
	// (report.NeedsRules), and describing every rule is work.
	NoRuleInfo bool

	// shellcheck is the run's ShellCheck, configs its configuration
	// files and compose the Compose files around its contexts (set by
	// Run).
	shellcheck *rules.ShellCheck
	configs    *config.Finder
	compose    *intent.ComposeFiles
}

// Outcome is what a lint run found.
type Outcome struct {
	// Report holds the files that could be linted.
	Report *report.Report
	// Failed is true when a finding reached the failure threshold.
	Failed bool
	// Results are the per-file engine results, in Paths order, the files
	// that could not be linted included (with Err set).
	Results []*FileOutcome
}

// FileOutcome is one file's parsed form and engine result, or why it
// could not be linted.
type FileOutcome struct {
	Path   string
	File   *dockerfile.File
	Result *rules.Result
	// Err is the input error (naming the file and, where known, the
	// line) that kept the file from being linted; File and Result are
	// nil then, and the file has no entry in the report.
	Err error
}

// Errors returns the input errors of the files that could not be
// linted, in Paths order.
func (o *Outcome) Errors() []error {
	var out []error
	for _, r := range o.Results {
		if r.Err != nil {
			out = append(out, r.Err)
		}
	}
	return out
}

// Run lints every file of the request, several at a time (see lintFiles);
// the report lists them in the request's order. A file that cannot be read or
// parsed, or whose configuration is invalid, does not stop the run, as
// in hadolint: its input error goes to its FileOutcome, the other files
// are linted and reported, and Run returns the outcome together with
// the input errors joined (a *vocab.InputError), so that callers linting
// one file can treat the error as before. Other errors (an interruption,
// standard input named twice, a rule that fails) end the run with no
// outcome.
func Run(ctx context.Context, req Request) (*Outcome, error) {
	out := &Outcome{Report: &report.Report{Tool: "strata", Version: req.Version}}
	if !req.NoRuleInfo {
		out.Report.Rules = RuleInfos(rules.All())
	}
	srcs := make([][]byte, len(req.Paths))
	stdinUsed := false
	for i, p := range req.Paths {
		if p != "-" {
			continue
		}
		if stdinUsed {
			return nil, vocab.Inputf("standard input given more than once")
		}
		stdinUsed = true
		var err error
		if srcs[i], err = ReadStdin(ctxio.Reader(ctx, req.Stdin)); err != nil {
			return nil, err
		}
	}
	// One ShellCheck for the run: the program is looked up once, and the
	// scripts of files linted at the same time share processes.
	sc := rules.NewShellCheck()
	if dir := req.ShellCheckCache; dir != "" {
		sc.KeepResults(func() (rules.ResultStore, error) {
			return layercache.Open(layercache.Options{Dir: dir, Namespace: shellcheckNamespace, MaxBytes: shellcheckCacheBytes})
		})
	}
	defer sc.Close()
	req.shellcheck = sc
	req.configs = config.NewFinder()
	req.compose = &intent.ComposeFiles{}
	files := lintFiles(ctx, req, srcs)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, fl := range files {
		p := req.Paths[i]
		if vocab.IsInput(fl.err) {
			out.Results = append(out.Results, &FileOutcome{Path: p, Err: fl.err})
			continue
		}
		if fl.err != nil {
			return nil, fl.err
		}
		out.Results = append(out.Results, fl.fo)
		out.Report.Files = append(out.Report.Files, fl.fr)
		out.Failed = out.Failed || fl.failed
	}
	oncePerRun(out)
	if errs := out.Errors(); len(errs) > 0 {
		return out, &vocab.InputError{Err: errors.Join(errs...)}
	}
	return out, nil
}

// Where ShellCheck's findings are kept in Request.ShellCheckCache: a
// file's record is a few hundred bytes, so the cap holds those of some
// 100,000 Dockerfiles.
const (
	shellcheckNamespace  = "shellcheck"
	shellcheckCacheBytes = 64 << 20
)

// ReadStdin reads a Dockerfile from r, bounded by the size limit.
func ReadStdin(r io.Reader) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, dockerfile.MaxSize+1))
	if err != nil {
		return nil, vocab.Inputf("reading standard input: %w", err)
	}
	return src, nil
}

// Settings are what a file is linted with: rule options, the failure
// threshold and the build context, after merging its configuration file
// with the request.
type Settings struct {
	Options   rules.Options
	Threshold vocab.Severity
	Context   *rules.BuildContext
	Config    *config.Config
	NoFail    bool
}

// SettingsFor resolves the settings for the Dockerfile at path ("-" for
// standard input, whose configuration and context come from the working
// directory).
func SettingsFor(path string, req Request) (*Settings, error) {
	dir := "."
	if path != "-" {
		dir = filepath.Dir(path)
	}
	cfgPath := req.ConfigPath
	var err error
	if cfgPath == "" {
		if cfgPath, err = req.configs.Find(dir); err != nil {
			return nil, &vocab.InputError{Err: err}
		}
	}
	cfg, err := req.configs.Load(cfgPath)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	if err := configWarnings(cfg, req); err != nil {
		return nil, err
	}
	opts, threshold, err := options(cfg, req)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	ctxDir := req.ContextDir
	if ctxDir == "" {
		ctxDir = dir
	}
	bc, err := rules.LoadBuildContext(ctxDir, path)
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	return &Settings{Options: opts, Threshold: threshold, Context: bc, Config: cfg, NoFail: req.NoFail || cfg.NoFail}, nil
}

// Source lints one Dockerfile. When src is nil the file is read from
// path. It returns the engine's outcome, the report entry, and whether a
// finding reached the failure threshold.
func Source(ctx context.Context, path string, src []byte, req Request) (*FileOutcome, report.FileResult, bool, error) {
	var f *dockerfile.File
	var err error
	if src == nil {
		f, err = dockerfile.ParseFile(path)
	} else {
		f, err = dockerfile.Parse(path, src)
	}
	if err != nil {
		return nil, report.FileResult{}, false, &vocab.InputError{Err: err}
	}
	set, err := SettingsFor(path, req)
	if err != nil {
		return nil, report.FileResult{}, false, err
	}
	res, err := rules.Run(ctx, f, set.Context, set.Options)
	if err != nil {
		return nil, report.FileResult{}, false, err
	}
	fr := report.FileResult{File: f.Path, Lines: f.Lines}
	failed := false
	for _, d := range res.Diagnostics {
		fr.Findings = append(fr.Findings, Finding(f.Path, d))
		if d.Severity >= set.Threshold && !set.NoFail {
			failed = true
		}
	}
	for _, c := range res.Checklist {
		fr.Checklist = append(fr.Checklist, report.ChecklistItem{Item: c.Key, Status: c.Status, Title: c.Title})
	}
	return &FileOutcome{Path: path, File: f, Result: res}, fr, failed, nil
}

// configWarnings reports the configuration file's unknown keys and rules
// to req.Warn, or fails with them under req.StrictConfig.
func configWarnings(cfg *config.Config, req Request) error {
	all := rules.All()
	ws := append(append([]config.Warning(nil), cfg.Warnings...), cfg.UnknownRules(func(id string) bool { return rules.Known(all, id) })...)
	if len(ws) == 0 {
		return nil
	}
	if req.StrictConfig {
		msgs := make([]string, len(ws))
		for i, w := range ws {
			msgs[i] = w.String()
		}
		return vocab.Inputf("%s (--strict-config)", strings.Join(msgs, "\n"))
	}
	if req.Warn != nil {
		for _, w := range ws {
			req.Warn(w)
		}
	}
	return nil
}

// options merges the configuration file with the request's flags.
func options(cfg *config.Config, req Request) (rules.Options, vocab.Severity, error) {
	opts := rules.Options{
		Ignore:          append(append([]string{}, cfg.Ignored...), req.Ignore...),
		Enable:          append(append([]string{}, cfg.Enable...), req.Enable...),
		Severity:        map[string]vocab.Severity{},
		NoInlineIgnores: cfg.DisableIgnorePragma || req.NoInlineIgnores,
		ShellCheck:      req.shellcheck,
		Compose:         req.compose,
		Settings: rules.Settings{
			TrustedRegistries: append(cfg.Trusted(), req.TrustedRegistries...),
			RequiredLabels:    cfg.LabelSchema,
			StrictLabels:      cfg.StrictLabels,
		},
	}
	where := func(id string) string {
		for _, r := range cfg.Rules {
			if r.Key == "severity" && r.ID == id {
				return fmt.Sprintf("%s:%d: severity", cfg.Path, r.Line)
			}
		}
		return cfg.Where("severity") + ": severity"
	}
	for sev, ids := range map[vocab.Severity][]string{
		vocab.Error: cfg.Override.Error, vocab.Warning: cfg.Override.Warning,
		vocab.Info: cfg.Override.Info, vocab.Style: cfg.Override.Style,
	} {
		for _, id := range ids {
			opts.Severity[id] = sev
		}
	}
	for _, src := range []struct {
		m     map[string]string
		where func(string) string
	}{{cfg.Severity, where}, {req.Severity, func(string) string { return "--severity" }}} {
		for id, name := range src.m {
			s, err := vocab.ParseSeverity(name)
			if err != nil {
				return opts, 0, fmt.Errorf("%s: rule %s: %w", src.where(id), id, err)
			}
			opts.Severity[id] = s
		}
	}
	thresholdName, thresholdFrom := "warning", ""
	if cfg.FailureThreshold != "" {
		thresholdName, thresholdFrom = cfg.FailureThreshold, cfg.Where("failure-threshold")+": failure-threshold"
	}
	if req.FailureThreshold != "" {
		thresholdName, thresholdFrom = req.FailureThreshold, "--failure-threshold"
	}
	threshold, err := vocab.ParseSeverity(thresholdName)
	if err != nil {
		return opts, 0, fmt.Errorf("%s: %w", thresholdFrom, err)
	}
	if threshold == vocab.Ignore {
		threshold = vocab.Error + 1 // "none": nothing fails
	}
	return opts, threshold, nil
}

// Finding converts an engine diagnostic into the report's finding. Its
// aliases are the rule's and those of the twin rules merged into it.
func Finding(path string, d rules.Diagnostic) report.Finding {
	return report.Finding{
		File:      path,
		Rule:      d.Rule.ID,
		Aliases:   append(append([]string{}, d.Rule.Aliases...), d.Also...),
		Name:      d.Rule.Name,
		Severity:  vocab.Severity(d.Severity),
		Category:  vocab.Category(d.Rule.Category),
		Checklist: d.Rule.Checklist,
		Line:      d.Line,
		EndLine:   d.EndLine,
		Column:    d.Column,
		Message:   d.Message,
		Fixable:   d.Fix != nil,
	}
}

// RuleInfos describes rules for the report's metadata.
func RuleInfos(rs []*rules.Rule) []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range rs {
		if r.Retired {
			continue
		}
		out = append(out, report.RuleInfo{
			ID: r.ID, Aliases: r.Aliases, Name: r.Name, Severity: vocab.Severity(r.Severity),
			Category: vocab.Category(r.Category), Checklist: r.Checklist, Summary: r.Doc.Summary,
			Help: HelpMarkdown(r), HelpURI: DocURL(r),
		})
	}
	return out
}

// docBase is where a rule's documentation is published: the file that
// declares it (see rules.FileName), whose Doc is its only documentation.
const docBase = "https://github.com/stratatools/strata/blob/main/internal/rules/"

// DocURL links to a rule's documentation: its declaration in strata's
// repository, or the ShellCheck wiki page of an SC code.
func DocURL(r *rules.Rule) string {
	if rules.ShellCheckRule(r.ID) == r {
		return "https://www.shellcheck.net/wiki/" + r.ID
	}
	return docBase + rules.FileName(r.ID)
}

// HelpMarkdown renders a rule's documentation as markdown.
func HelpMarkdown(r *rules.Rule) string {
	var b strings.Builder
	b.Grow(len(r.Doc.Summary) + len(r.Doc.Why) + len(r.Doc.Bad) + len(r.Doc.Good) + 64)
	b.WriteString(r.Doc.Summary + "\n\n" + r.Doc.Why + "\n")
	if r.Doc.Bad != "" {
		b.WriteString("\nInstead of:\n\n```dockerfile\n" + r.Doc.Bad + "\n```\n")
	}
	if r.Doc.Good != "" {
		b.WriteString("\nWrite:\n\n```dockerfile\n" + r.Doc.Good + "\n```\n")
	}
	if r.Doc.Deviation != "" {
		fmt.Fprintf(&b, "\nDeviation from hadolint:\n\n%s\n", r.Doc.Deviation)
	}
	return b.String()
}
