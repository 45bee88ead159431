package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/image/check"
	"github.com/stratatools/strata/internal/image/gate"
	"github.com/stratatools/strata/internal/layercache"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/auditreport"
)

// auditFlags are strata audit's flags; the gate's are strata image's.
type auditFlags struct {
	repos      []string
	shard      string
	platforms  []string
	jobs       int
	insecure   bool
	format     string
	output     string
	html       string
	sortBy     string
	top        int
	cacheDir   string
	cacheMax   string
	noCache    bool
	retries    int
	noProgress bool
	noColor    bool
	gate       imageFlags
}

func newAuditCommand(a *cli.App) *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit [flags] REGISTRY[/PREFIX]",
		Short: "Analyse every image in a registry and rank them by waste, size and findings",
		Long: `audit lists the repositories of a registry (its catalog, filtered by PREFIX;
or --repo when the registry does not list them), resolves every tag (the
--platform images of multi-platform indexes, or all), and analyses each
image as strata image does, --jobs at once. --shard INDEX/COUNT audits the
repositories of one shard, so that COUNT machines split a registry
(docs/scale.md).

Each distinct layer is read once: what a layer holds is kept by digest in
the cache folder (--cache-dir, size-capped by --cache-max-size, shared by
concurrent runs), so images that share a base cost only their own layers,
and a second run asks for the tags (a HEAD each) and reads nothing it has
read before.

The report ranks the images (--sort wasted, size or findings) and lists the
layers most images share; --format json or sarif, --html for a page.
Credentials come from the Docker configuration and its helpers, as for
strata image; answers 429 and 5xx are tried again with backoff (--retries).

The gate (the flags below, .dive-ci and .strata.yaml, as strata image)
applies to each image.

Exit status: 0 when every image was read and passes the gate; 1 when an
image fails the gate; 2 for usage errors, or when an image, tag or
repository could not be read (after the report: the others are in it);
130 when interrupted.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd, a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.repos, "repo", nil, "audit this repository (under PREFIX) instead of listing the catalog; repeatable")
	fl.StringVar(&f.shard, "shard", "", "audit one shard of the repositories, INDEX/COUNT (0-based), e.g. $(JOB_COMPLETION_INDEX)/20 in a Kubernetes indexed Job")
	fl.StringArrayVar(&f.platforms, "platform", nil, "platform to take from multi-platform images, os/arch[/variant], or all (default: the host's); repeatable")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "layer blobs read at once, with 4 times as many images in flight (default: the number of CPUs)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP (and unverified TLS) to the registry")
	fl.StringVar(&f.format, "format", "text", "output format: text, json or sarif")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file (atomically) instead of standard output")
	fl.StringVar(&f.html, "html", "", "also write a self-contained HTML page to this file")
	fl.StringVar(&f.sortBy, "sort", audit.ByWasted, "rank images by: "+strings.Join(audit.Orders(), ", "))
	fl.IntVar(&f.top, "top", 20, "images and layers listed in the text and HTML reports (0: all)")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "folder of the layer cache (default: strata/layers in the user cache folder)")
	fl.StringVar(&f.cacheMax, "cache-max-size", "2GiB", "size the layer cache may grow to; the least recently used records go first")
	fl.BoolVar(&f.noCache, "no-cache", false, "keep nothing between runs (each layer is still read once while the readings fit in 512 MiB of memory)")
	fl.IntVar(&f.retries, "retries", 4, "tries again after a 429 or 5xx answer or a failed connection")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress line")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text output")
	g := &f.gate
	fl.StringVarP(&g.configPath, "config", "c", "", "configuration file (default: .strata.yaml found upwards from the current directory)")
	fl.StringVar(&g.diveCI, "ci-config", "", "dive CI rules file (default: ./.dive-ci when present)")
	fl.StringArrayVar(&g.ignore, "ignore", nil, "leave paths matching this pattern out of the waste figures (repeatable)")
	g.addGateFlags(fl)
	return cmd
}

func runAudit(cmd *cobra.Command, a *cli.App, f *auditFlags, target string) error {
	ctx := cmd.Context()
	if !slices.Contains([]string{"text", "json", "sarif"}, f.format) {
		return cli.UsageError(fmt.Errorf("--format %q: want text, json or sarif", f.format))
	}
	if !slices.Contains(audit.Orders(), f.sortBy) {
		return cli.UsageError(fmt.Errorf("--sort %q: want %s", f.sortBy, strings.Join(audit.Orders(), ", ")))
	}
	for fl, p := range map[string]string{"--html": f.html, "--output": f.output} {
		if p != "" {
			if err := checkOutputPath(fl, p); err != nil {
				return err
			}
		}
	}
	if f.top < 0 || f.retries < 0 || f.jobs < 0 {
		return cli.UsageError(errors.New("--top, --retries and --jobs must not be negative"))
	}
	g, ignore, err := imageGate(cmd, a, &f.gate)
	if err != nil {
		return cli.UsageError(err)
	}
	opts := audit.Options{Target: target, Repos: f.repos, Jobs: f.jobs, Insecure: f.insecure, Ignore: ignore, Retries: f.retries}
	if f.shard != "" {
		if _, err := fmt.Sscanf(f.shard, "%d/%d", &opts.Shard, &opts.Shards); err != nil || opts.Shards < 1 || opts.Shard < 0 || opts.Shard >= opts.Shards || f.shard != fmt.Sprintf("%d/%d", opts.Shard, opts.Shards) {
			return cli.UsageError(fmt.Errorf("--shard %q: want INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 3/20", f.shard))
		}
	}
	if opts.Retries == 0 {
		opts.Retries = -1 // no retries
	}
	for _, p := range f.platforms {
		if p == "all" {
			opts.AllPlatforms = true
			continue
		}
		pl, err := v1.ParsePlatform(p)
		if err != nil {
			return cli.UsageError(fmt.Errorf("--platform %q: %w", p, err))
		}
		opts.Platforms = append(opts.Platforms, pl)
	}
	if !f.noCache {
		closeCache, err := openAuditCache(f, &opts)
		if err != nil {
			return cli.UsageError(err)
		}
		defer closeCache()
	}
	prog := a.Progress(f.noProgress || f.format != "text", f.noColor)
	if prog.On() {
		opts.Progress = func(p audit.Progress) {
			count := ""
			if p.ImagesTotal > 0 {
				count = fmt.Sprintf("%d/%d", p.ImagesDone, p.ImagesTotal)
			}
			prog.Update(report.Status{Phase: p.Phase, Count: count, Detail: fmt.Sprintf("%d layers read, %d from the cache", p.LayersRead, p.LayersCached)})
		}
	}
	rep, err := audit.Run(ctx, opts)
	prog.Stop()
	if err != nil {
		if ctx.Err() != nil {
			return &cli.ExitError{Code: cli.ExitInterrupted, Err: errors.New("interrupted")}
		}
		return cli.UsageError(err)
	}
	if err := rep.Rank(f.sortBy); err != nil {
		return cli.UsageError(err)
	}
	rep.ApplyGate(g)
	return writeAudit(a, f, rep)
}

// openAuditCache opens the layer cache's two namespaces (layer readings
// and image summaries) and sets them in opts.
func openAuditCache(f *auditFlags, opts *audit.Options) (func(), error) {
	maxBytes, err := gate.ParseSize(f.cacheMax)
	if err != nil || maxBytes <= 0 {
		return nil, fmt.Errorf("--cache-max-size %q: want a size such as 2GiB", f.cacheMax)
	}
	layersNS, resultsNS := audit.CacheNamespaces(cli.Version, f.gate.ignore)
	layers, err := layercache.Open(layercache.Options{Dir: f.cacheDir, Namespace: layersNS, MaxBytes: maxBytes})
	if err != nil {
		return nil, err
	}
	results, err := layercache.Open(layercache.Options{Dir: f.cacheDir, Namespace: resultsNS, MaxBytes: max(maxBytes/8, 64<<20)})
	if err != nil {
		_ = layers.Close()
		return nil, err
	}
	opts.Layers, opts.Results = layers, results
	return func() {
		_ = layers.Close()
		_ = results.Close()
	}, nil
}

// writeAudit writes the report and the page, and picks the exit status.
func writeAudit(a *cli.App, f *auditFlags, rep *audit.Report) error {
	ropts := auditreport.Options{Options: report.Options{Color: !f.noColor && a.ColorEnabled(a.Stdout)}, Top: f.top}
	if f.html != "" {
		var b bytes.Buffer
		if err := auditreport.HTML(&b, rep, auditreport.Options{Top: f.top}); err != nil {
			return cli.UsageError(err)
		}
		if err := fix.WriteFile(f.html, b.Bytes()); err != nil {
			return cli.UsageError(fmt.Errorf("--html: %w", err))
		}
	}
	out, file := a.Stdout, &bytes.Buffer{}
	if f.output != "" {
		out, ropts.Color = file, false
	}
	var err error
	switch f.format {
	case "json":
		err = auditreport.JSON(out, rep)
	case "sarif":
		err = report.SARIF(out, auditreport.Lint(rep, check.All(), cli.Version), ropts.Options)
	default:
		err = auditreport.Text(out, rep, ropts)
	}
	if err == nil && f.output != "" {
		err = fix.WriteFile(f.output, file.Bytes())
	}
	if err != nil {
		return &cli.ExitError{Code: cli.ExitUsage, Err: fmt.Errorf("writing the report: %w", err)}
	}
	switch {
	case len(rep.Failures) > 0:
		return &cli.ExitError{Code: cli.ExitUsage, Err: fmt.Errorf("%d image(s), tag(s) or repositories could not be read (listed in the report)", len(rep.Failures))}
	case rep.Stats.GateFailed > 0:
		return cli.Failed()
	}
	return nil
}
