package proof

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	strbuild "github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/estimate"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/image/source/daemon"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/measure/engine"
	"github.com/stratatools/strata/internal/report"
	"github.com/stratatools/strata/internal/report/buildreport"
	"github.com/stratatools/strata/internal/testenv"
	"github.com/stratatools/strata/internal/vocab"
)

const (
	buildTimeout = 30 * time.Minute
	// tolerance is the bound: the estimate within ±20% of the
	// measured size.
	tolerance = 0.20
)

func onCI() bool { return os.Getenv("CI") == "true" }

// unavailable stops the test: a failure on CI, a skip elsewhere.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if onCI() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// variant is one Dockerfile to estimate and build.
type variant struct {
	example, lane string // lane: "before" or "after" (the fix)
	dir           string
	ignore        []byte // the .dockerignore the fix creates
	est           *estimate.Estimate
	measured      int64
}

// TestEstimateExamples estimates and builds every example and its fix.
func TestEstimateExamples(t *testing.T) {
	if testing.Short() && !onCI() {
		t.Skip("builds every example twice for many minutes; -short skips it (never when CI=true)")
	}
	cli := testenv.Engine(t)
	if cli == nil {
		return
	}
	testenv.RequireImage(t, testenv.DebianImage)
	testenv.RequireImage(t, testenv.BusyboxImage)
	root := examplesDir(t)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var vs []*variant
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, e.Name(), "Dockerfile")); err != nil {
			continue
		}
		before, after := t.TempDir(), t.TempDir()
		for _, d := range []string{before, after} {
			if err := os.CopyFS(d, os.DirFS(filepath.Join(root, e.Name()))); err != nil {
				t.Fatal(err)
			}
		}
		ignore := fixExample(t, e.Name(), after)
		vs = append(vs, &variant{example: e.Name(), lane: "before", dir: before}, &variant{example: e.Name(), lane: "after", dir: after, ignore: ignore})
	}
	if len(vs) == 0 {
		t.Fatalf("no example under %s", root)
	}
	ensureBases(t, cli, vs)

	est, err := estimate.New(estimate.Config{
		CacheDir: t.TempDir(), Timeout: time.Minute,
		Engine: func(ctx context.Context) (daemon.EngineClient, error) { return strbuild.Connect(ctx) },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		df := filepath.Join(v.dir, "Dockerfile")
		e, err := est.Estimate(t.Context(), estimate.Request{Dockerfile: df, ContextDir: v.dir})
		if err != nil {
			t.Fatalf("estimating %s (%s): %v", v.example, v.lane, err)
		}
		for _, u := range e.Unknown {
			if strings.Contains(u, "index could not be had") || strings.Contains(u, "not in the package index") {
				unavailable(t, "%s (%s): Debian's mirror did not answer: %s", v.example, v.lane, u)
			}
		}
		v.est = e
		var b strings.Builder
		if err := buildreport.EstimateText(&b, e, report.Options{}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s (%s):\n%s", v.example, v.lane, b.String())
	}
	t.Cleanup(func() { pruneBuildCache(t, cli) })

	// One build at a time, each image removed once measured.
	for _, v := range vs {
		t.Run(v.example+"/"+v.lane, func(t *testing.T) {
			v.measured = measured(t, cli, v)
			e := v.est.Image
			diff := float64(e.Expected-v.measured) / float64(v.measured)
			t.Logf("estimate %s (range %s–%s), measured %s: %+.1f%%", vocab.FormatSize(e.Expected), vocab.FormatSize(e.Low), vocab.FormatSize(e.High), vocab.FormatSize(v.measured), 100*diff)
			if math.Abs(diff) > tolerance {
				t.Errorf("the estimate %s is %+.1f%% off the measured %s (want within ±%.0f%%)", vocab.FormatSize(e.Expected), 100*diff, vocab.FormatSize(v.measured), 100*tolerance)
			}
			if v.measured < e.Low || v.measured > e.High {
				t.Errorf("the measured %s is outside the estimate's range %s–%s", vocab.FormatSize(v.measured), vocab.FormatSize(e.Low), vocab.FormatSize(e.High))
			}
		})
	}
	table := markdownTable(vs)
	t.Logf("figures:\n%s", table)
	if p := os.Getenv("STRATA_ESTIMATE_REPORT"); p != "" {
		if err := os.WriteFile(p, []byte(table), 0o644); err != nil {
			t.Errorf("writing the report: %v", err)
		}
	}
}

// TestEstimateMeasureAgrees checks, on the smallest example's fix, that
// the size the proof reads is strata measure's: measure's own code
// (internal/measure/engine) reports the same image size.
func TestEstimateMeasureAgrees(t *testing.T) {
	if testing.Short() && !onCI() {
		t.Skip("builds an example twice; -short skips it (never when CI=true)")
	}
	cli := testenv.Engine(t)
	if cli == nil {
		return
	}
	testenv.RequireImage(t, testenv.BusyboxImage)
	dir := t.TempDir()
	df := "FROM busybox:latest AS build\nCOPY page.md /src/\nRUN mkdir -p /out && cp /src/page.md /out/index.html\n\nFROM busybox:latest\nCOPY --from=build /out /var/www\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "page.md"), []byte(strings.Repeat("# strata\n", 5000)), 0o644); err != nil {
		t.Fatal(err)
	}
	v := &variant{example: "probe", lane: "before", dir: dir}
	got := measured(t, cli, v)
	s, err := engine.Open(t.Context(), strbuild.BuilderBuildKit, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := engine.Dockerfile(t.Context(), s.Client, filepath.Join(dir, "Dockerfile"), dir, s.Options(engine.Options{NoStartup: true, Runs: 1, Network: strbuild.DefaultNetwork}))
	if err != nil {
		t.Fatal(err)
	}
	if m.Size != got {
		t.Errorf("strata measure reports %d bytes, the proof's build %d", m.Size, got)
	}
	est, err := estimate.New(estimate.Config{CacheDir: t.TempDir(), Offline: true,
		Engine: func(ctx context.Context) (daemon.EngineClient, error) { return strbuild.Connect(ctx) }})
	if err != nil {
		t.Fatal(err)
	}
	e, err := est.Estimate(t.Context(), estimate.Request{Dockerfile: filepath.Join(dir, "Dockerfile"), ContextDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if diff := math.Abs(float64(e.Image.Expected-m.Size)) / float64(m.Size); diff > tolerance {
		t.Errorf("estimate %d, strata measure %d", e.Image.Expected, m.Size)
	}
}

// measured builds v as strata measure's cold build does and returns the
// size the Engine reports; the image is removed afterwards.
func measured(t *testing.T, cli *client.Client, v *variant) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	tag := fmt.Sprintf("strata-estimate-proof-%s:%s", v.example, v.lane)
	res, err := strbuild.Build(ctx, cli, strbuild.Spec{
		ContextDir: v.dir, Dockerfile: filepath.Join(v.dir, "Dockerfile"), Tag: tag,
		NoCache: true, Network: strbuild.DefaultNetwork, Builder: strbuild.BuilderBuildKit,
	})
	if err != nil {
		var be *strbuild.Error
		if errors.As(err, &be) {
			t.Fatalf("building %s: %v\n%s", tag, err, be.Detail())
		}
		t.Fatalf("building %s: %v", tag, err)
	}
	defer testenv.RemoveBuilt(t, cli, tag, res.ImageID)
	insp, err := cli.ImageInspect(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	return insp.Size
}

// fixExample runs `strata fix --unsafe` in-process, as the CLI does,
// writes the fixed Dockerfile and the files the fix creates, and returns
// the .dockerignore it creates (nil for none).
func fixExample(t *testing.T, name, dir string) []byte {
	t.Helper()
	path := filepath.Join(dir, "Dockerfile")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set, err := lint.SettingsFor(path, lint.Request{Paths: []string{path}, ContextDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fix.File(t.Context(), path, src, fix.Options{Unsafe: true, Lint: set.Options, Context: set.Context})
	if err != nil {
		t.Fatalf("fixing %s: %v", name, err)
	}
	if err := fix.WriteFile(path, res.Fixed); err != nil {
		t.Fatal(err)
	}
	if err := fix.WriteCreated(dir, res.Create); err != nil {
		t.Fatal(err)
	}
	for _, nf := range res.Create {
		if nf.Path == ".dockerignore" {
			return []byte(nf.Content)
		}
	}
	return nil
}

// ensureBases makes sure the engine has every base image the
// Dockerfiles use: scripts/test-env.sh makes them, nothing can be pulled
// here.
func ensureBases(t *testing.T, cli *client.Client, vs []*variant) {
	t.Helper()
	need := map[string]bool{}
	for _, v := range vs {
		f, err := dockerfile.ParseFile(filepath.Join(v.dir, "Dockerfile"))
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range f.Stages {
			if st.BaseStage == nil && !st.Base.Scratch {
				need[st.Base.Raw] = true
			}
		}
	}
	var refs []string
	for r := range need {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		_, err := cli.ImageInspect(t.Context(), ref)
		switch {
		case err == nil:
		case errdefs.IsNotFound(err):
			t.Fatalf("an example builds on %s, which the test environment does not have and cannot pull", ref)
		default:
			t.Fatal(err)
		}
	}
}

func pruneBuildCache(t *testing.T, cli *client.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if _, err := cli.BuildCachePrune(ctx, build.CachePruneOptions{All: true}); err != nil {
		t.Logf("pruning the build cache: %v", err)
	}
}

func examplesDir(t *testing.T) string {
	t.Helper()
	return filepath.Join(testenv.ModuleRoot(t), "examples")
}

// markdownTable is the README's table: per example, the estimate and
// the measured size before and after the fix, and the expected and
// measured reductions.
func markdownTable(vs []*variant) string {
	byEx := map[string][2]*variant{}
	var names []string
	for _, v := range vs {
		p := byEx[v.example]
		if v.lane == "before" {
			p[0] = v
			names = append(names, v.example)
		} else {
			p[1] = v
		}
		byEx[v.example] = p
	}
	var b strings.Builder
	b.WriteString("| example | estimate before | measured before | error | estimate after (fix) | measured after | error | expected reduction | measured reduction |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range names {
		p := byEx[n]
		if p[0] == nil || p[1] == nil || p[0].measured == 0 || p[1].measured == 0 {
			continue
		}
		eb, ea := p[0].est.Image.Expected, p[1].est.Image.Expected
		fmt.Fprintf(&b, "| %s | %s | %s | %+.1f%% | %s | %s | %+.1f%% | %.1f%% | %.1f%% |\n", n,
			vocab.FormatSize(eb), vocab.FormatSize(p[0].measured), pct(eb, p[0].measured),
			vocab.FormatSize(ea), vocab.FormatSize(p[1].measured), pct(ea, p[1].measured),
			-pct(ea, eb), -pct(p[1].measured, p[0].measured))
	}
	return b.String()
}

func pct(a, b int64) float64 { return 100 * float64(a-b) / float64(b) }
