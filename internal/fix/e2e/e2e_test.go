package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/testenv"
)

// example is one app under examples/.
type example struct {
	name string
	// edit is the source file changed before the warm rebuild, and the
	// line appended to it; %d is replaced by a number unique to the run,
	// so that no earlier run's cache holds the changed source.
	edit, line string
	// check runs the image and fails the test unless the app works.
	check func(t *testing.T, cli *client.Client, img string)
}

// serveCheck returns a check that starts the image with PORT set to a
// free port (or on fixedPort when the app has no PORT setting) and wants
// path to answer with a body containing want.
func serveCheck(fixedPort int, path, want string) func(*testing.T, *client.Client, string) {
	// The original and the fixed image of an example are checked at the
	// same time: on a fixed port they take turns.
	var turn sync.Mutex
	return func(t *testing.T, cli *client.Client, img string) {
		t.Helper()
		port, env := fixedPort, []string(nil)
		if port == 0 {
			port = freePort(t)
			env = []string{"PORT=" + strconv.Itoa(port)}
		} else {
			turn.Lock()
			defer turn.Unlock()
			if !portFree(port) {
				t.Fatalf("port %d, which %s serves on, is taken on this machine", port, img)
			}
		}
		body := serve(t, cli, img, port, path, env)
		if !strings.Contains(body, want) {
			t.Fatalf("%s answered %s with %q, want it to contain %q", img, path, body, want)
		}
	}
}

// examples returns the apps under examples/ and how to check each.
func examples() []example {
	return []example{
		{name: "flask", edit: "app.py", line: "\n# changed for the warm rebuild (%d)\n",
			check: serveCheck(0, "/", "hello from strata's example")},
		{name: "go", edit: "main.go", line: "\n// changed for the warm rebuild (%d)\n",
			check: serveCheck(0, "/health", "ok")},
		{name: "node", edit: "server.js", line: "\n// changed for the warm rebuild (%d)\n",
			check: serveCheck(0, "/", "hello from the Node example")},
		{name: "static", edit: "site/index.md", line: "\nChanged for the warm rebuild (%d).\n",
			check: serveCheck(8081, "/index.html", "<h1>strata static example</h1>")},
		{name: "c", edit: "hello.c", line: "\n/* changed for the warm rebuild (%d) */\n",
			check: func(t *testing.T, cli *client.Client, img string) {
				t.Helper()
				out := runOutput(t, cli, img)
				if want := "primes below 30: 2 3 5 7 11 13 17 19 23 29"; !strings.Contains(out, want) {
					t.Fatalf("%s printed %q, want it to contain %q", img, out, want)
				}
			}},
	}
}

// outcome is what one example measured.
type outcome struct {
	name                    string
	edit                    string // the source file the warm rebuild changed
	before, after           buildResult
	warmBefore, warmAfter   buildResult
	changes                 int
	reduction               float64 // percent
	depSteps, depStepsCache int     // dependency steps of the fixed warm rebuild, and how many came from the cache
}

// TestE2EExamples builds each example as written and as `strata fix
// --unsafe` rewrites it (the real rule set, in-process), checks that both
// images work, that the fixed one is smaller, and that after a change to
// one source file the fixed Dockerfile rebuilds with its dependency
// layers from the cache; it prints the figures as a Markdown table and
// wants the median size reduction to be at least 50%.
func TestE2EExamples(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("builds ten images for several minutes; -short skips it (never when CI=true)")
	}
	cli := testenv.Engine(t)
	if cli == nil {
		return
	}
	testenv.RequireImage(t, testenv.DebianImage)
	testenv.RequireImage(t, testenv.BusyboxImage)
	root := examplesDir(t)
	// Registered first, so it runs last, after the images are removed.
	t.Cleanup(func() { pruneBuildCache(t, cli) })

	// Fix every example first (quick, in-process), then make sure the
	// engine has every base image the fixed Dockerfiles use.
	dirs := map[string][2]string{}
	var results []*outcome
	exs := examples()
	for _, ex := range exs {
		before, after := t.TempDir(), t.TempDir()
		for _, d := range []string{before, after} {
			if err := os.CopyFS(d, os.DirFS(filepath.Join(root, ex.name))); err != nil {
				t.Fatalf("copying example %s: %v", ex.name, err)
			}
		}
		n := fixExample(t, ex.name, after)
		dirs[ex.name] = [2]string{before, after}
		results = append(results, &outcome{name: ex.name, edit: ex.edit, changes: n})
	}
	ensureBases(t, cli, dirs)
	checkBuildCache(t, cli)
	for _, ex := range exs {
		for _, tag := range []string{"original", "original-warm", "original-warm2", "fixed", "fixed-warm", "fixed-warm2"} {
			// A run that was killed leaves its images behind.
			testenv.RemoveImage(t, cli, "strata-e2e-"+ex.name+":"+tag)
		}
	}

	// One example at a time, its original and then its fixed Dockerfile:
	// their build times are compared (checkNotSlower), and two builds at
	// once on two cores would time each other's work. Originals of
	// different examples never build together: they share their first
	// steps (FROM debian:bookworm, RUN apt-get update), and BuildKit was
	// seen to lose the cache of steps that concurrent builds ran at once.
	// Each example's images are removed when it is done: on the test
	// environment's vfs storage every layer is a full copy of the file
	// system, and five examples' images at once fill a disk.
	for i, ex := range exs {
		t.Run(ex.name, func(t *testing.T) {
			group := t
			for _, fixed := range []bool{false, true} {
				lane := "original"
				dir, first, warm := dirs[ex.name][0], &results[i].before, &results[i].warmBefore
				if fixed {
					lane = "fixed"
					dir, first, warm = dirs[ex.name][1], &results[i].after, &results[i].warmAfter
				}
				t.Run(lane, func(t *testing.T) {
					runLane(t, group, cli, ex, lane, dir, first, warm)
				})
			}
		})
	}

	for _, r := range results {
		if r.before.ID == "" || r.after.ID == "" || r.warmBefore.ID == "" || r.warmAfter.ID == "" {
			continue // its lane failed and said why
		}
		t.Logf("%s after a change to one source file: original rebuilt in %v (%d/%d steps cached), fixed in %v (%d/%d steps cached)\noriginal's rebuild:\n%sfixed Dockerfile's rebuild:\n%s",
			r.name, r.warmBefore.Duration.Round(time.Second), r.warmBefore.cached(), len(r.warmBefore.Steps),
			r.warmAfter.Duration.Round(time.Second), r.warmAfter.cached(), len(r.warmAfter.Steps),
			stepsSummary(r.warmBefore), stepsSummary(r.warmAfter))
		if r.after.Size >= r.before.Size {
			t.Errorf("%s: the fixed image (%s) is not smaller than the original (%s)", r.name, human(r.after.Size), human(r.before.Size))
		}
		r.reduction = 100 * float64(r.before.Size-r.after.Size) / float64(r.before.Size)
		for _, s := range r.warmAfter.Steps {
			if !installsDependencies(s.Instruction) {
				continue
			}
			r.depSteps++
			if s.Cached {
				r.depStepsCache++
			} else {
				t.Errorf("%s: the fixed Dockerfile's rebuild after a source change ran the dependency step again: %s", r.name, s.Instruction)
			}
		}
		if r.depSteps == 0 {
			t.Errorf("%s: the fixed Dockerfile has no dependency-installing step to reuse:\n%s", r.name, stepsSummary(r.warmAfter))
		}
		checkNotSlower(t, r)
	}
	logTimes(t, results)
	if t.Failed() {
		return
	}

	var ran []*outcome
	for _, r := range results {
		if r.before.ID != "" && r.after.ID != "" && r.warmBefore.ID != "" && r.warmAfter.ID != "" {
			ran = append(ran, r)
		}
	}
	table := markdownTable(ran)
	t.Logf("figures:\n%s", table)
	if p := os.Getenv("STRATA_E2E_REPORT"); p != "" {
		if err := os.WriteFile(p, []byte(table), 0o644); err != nil {
			t.Errorf("writing the report: %v", err)
		}
	}
	var reductions []float64
	for _, r := range ran {
		reductions = append(reductions, r.reduction)
	}
	if len(ran) < len(exs) {
		t.Logf("%d of %d examples ran (-run selects them): the median is not checked", len(ran), len(exs))
		return
	}
	if m := median(reductions); m < 50 {
		t.Errorf("median size reduction is %.1f%%, want at least 50%%", m)
	}
}

// runLane builds one variant (original or fixed) of an example, checks
// that the app works, changes one source file, rebuilds with the cache
// and checks the rebuilt app.
func runLane(t, owner *testing.T, cli *client.Client, ex example, lane, dir string, first, warm *buildResult) {
	tag := "strata-e2e-" + ex.name + ":" + lane
	*first = buildImageCold(t, owner, cli, dir, tag)
	t.Logf("built in %v: %s", first.Duration.Round(time.Second), human(first.Size))
	ex.check(t, cli, tag)
	change(t, dir, ex)
	*warm = buildImage(t, owner, cli, dir, tag+"-warm")
	if warm.cached() == 0 {
		// Not one step from the cache, not even those before any COPY:
		// the engine lost its cache (seen once on the test environment),
		// which says nothing about the Dockerfile. Change the source
		// again and rebuild once more.
		t.Logf("the rebuild took no step from the cache; changing %s again and rebuilding:\n%s", ex.edit, stepsSummary(*warm))
		change(t, dir, ex)
		*warm = buildImage(t, owner, cli, dir, tag+"-warm2")
	}
	t.Logf("rebuilt after a change to %s in %v, %d/%d steps cached", ex.edit, warm.Duration.Round(time.Second), warm.cached(), len(warm.Steps))
	ex.check(t, cli, tag+"-warm")
}

// change appends the example's edit line, made unique, to its source file.
func change(t *testing.T, dir string, ex example) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(ex.edit))
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("changing %s: %v", ex.edit, err)
	}
	_, err = fmt.Fprintf(f, ex.line, time.Now().UnixNano())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("changing %s: %v", ex.edit, err)
	}
}

// stepsSummary lists a build's steps, each marked cached or run.
func stepsSummary(b buildResult) string {
	var sb strings.Builder
	for _, s := range b.Steps {
		mark := "run   "
		if s.Cached {
			mark = "cached"
		}
		ins := s.Instruction
		if len(ins) > 100 {
			ins = ins[:100] + "..."
		}
		fmt.Fprintf(&sb, "  %s %s\n", mark, ins)
	}
	return sb.String()
}

// installsDependencies reports whether a build step installs packages.
func installsDependencies(ins string) bool {
	if !strings.HasPrefix(strings.ToUpper(ins), "RUN ") {
		return false
	}
	for _, w := range []string{"apt-get install", "apt install", "apk add", "pip install", "pip3 install", "npm ci", "npm install", "go mod download", "bundle install"} {
		if strings.Contains(ins, w) {
			return true
		}
	}
	return false
}

// fixExample runs `strata fix --unsafe` on dir/Dockerfile in-process, as
// the CLI does, writes the result and the files the fixes create, and
// returns how many changes were made.
func fixExample(t *testing.T, name, dir string) int {
	t.Helper()
	path := filepath.Join(dir, "Dockerfile")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the %s example: %v", name, err)
	}
	set, err := lint.SettingsFor(path, lint.Request{Paths: []string{path}, ContextDir: dir})
	if err != nil {
		t.Fatalf("settings for the %s example: %v", name, err)
	}
	res, err := fix.File(t.Context(), path, src, fix.Options{Unsafe: true, Lint: set.Options, Context: set.Context})
	if err != nil {
		t.Fatalf("fixing the %s example: %v", name, err)
	}
	if !res.Changed() {
		t.Fatalf("strata fix --unsafe left the %s example unchanged", name)
	}
	if err := fix.WriteFile(path, res.Fixed); err != nil {
		t.Fatal(err)
	}
	if err := fix.WriteCreated(dir, res.Create); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range res.Changes {
		kind := "safe"
		if c.Unsafe {
			kind = "unsafe"
		}
		fmt.Fprintf(&b, "  pass %d line %d %s (%s): %s\n", c.Pass, c.Line, c.Rule, kind, c.Message)
	}
	for _, f := range res.Create {
		fmt.Fprintf(&b, "  creates %s\n", f.Path)
	}
	t.Logf("%s: %d changes in %d passes:\n%s\nfixed Dockerfile:\n%s", name, len(res.Changes), res.Passes, b.String(), res.Fixed)
	return len(res.Changes)
}

// ensureBases checks that the engine has every base image the fixed
// Dockerfiles build on. debian:bookworm-slim, which a fix may suggest,
// cannot be pulled here: it is made from the local debian:bookworm the
// way Debian's slim images are (documentation, man pages and locales
// removed, and dpkg told not to install them again).
func ensureBases(t *testing.T, cli *client.Client, dirs map[string][2]string) {
	t.Helper()
	need := map[string]bool{}
	for name, d := range dirs {
		f, err := dockerfile.ParseFile(filepath.Join(d[1], "Dockerfile"))
		if err != nil {
			t.Fatalf("the fixed %s Dockerfile does not parse: %v", name, err)
		}
		for _, st := range f.Stages {
			if st.BaseStage == nil && !st.Base.Scratch {
				need[st.Base.Raw] = true
			}
		}
	}
	refs := make([]string, 0, len(need))
	for r := range need {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		_, err := cli.ImageInspect(t.Context(), ref)
		switch {
		case err == nil:
		case errdefs.IsNotFound(err) && ref == "debian:bookworm-slim":
			makeSlim(t, cli, ref)
		case errdefs.IsNotFound(err):
			t.Fatalf("a fixed Dockerfile builds on %s, which the test environment does not have and cannot pull", ref)
		default:
			t.Fatalf("inspecting %s: %v", ref, err)
		}
	}
}

// makeSlim creates ref from debian:bookworm as a slim variant and removes
// it when the test ends.
func makeSlim(t *testing.T, cli *client.Client, ref string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	script := `set -e
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/lintian/*' > /etc/dpkg/dpkg.cfg.d/docker-slim
find /usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
find /usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/share/groff/* /usr/share/lintian/* /var/cache/debconf/*-old`
	c, err := cli.ContainerCreate(ctx, &container.Config{Image: testenv.DebianImage, Cmd: []string{"sh", "-c", script}}, &container.HostConfig{NetworkMode: "none"}, nil, nil, "")
	if err != nil {
		t.Fatalf("making %s: %v", ref, err)
	}
	defer testenv.RemoveContainer(t, cli, c.ID)
	if err := cli.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		t.Fatalf("making %s: %v", ref, err)
	}
	waitC, errC := cli.ContainerWait(ctx, c.ID, container.WaitConditionNotRunning)
	select {
	case r := <-waitC:
		if r.StatusCode != 0 {
			t.Fatalf("making %s: the slimming script failed:\n%s", ref, logs(ctx, cli, c.ID))
		}
	case err := <-errC:
		t.Fatalf("making %s: %v", ref, err)
	}
	rc, err := cli.ContainerExport(ctx, c.ID)
	if err != nil {
		t.Fatalf("making %s: exporting: %v", ref, err)
	}
	defer rc.Close()
	out, err := cli.ImageImport(ctx, image.ImportSource{Source: rc, SourceName: "-"}, ref, image.ImportOptions{Changes: []string{`CMD ["bash"]`}, Message: "debian:bookworm made slim by the e2e test"})
	if err != nil {
		t.Fatalf("making %s: importing: %v", ref, err)
	}
	if _, err := testenv.ReadStream(out); err != nil {
		t.Fatalf("making %s: importing: %v", ref, err)
	}
	out.Close()
	insp, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		t.Fatalf("making %s: %v", ref, err)
	}
	t.Logf("made %s from %s: %s", ref, testenv.DebianImage, human(insp.Size))
	t.Cleanup(func() { testenv.RemoveImage(t, cli, insp.ID) })
}

// checkBuildCache checks that the engine's build cache works before any
// rebuild is measured: a probe image is built, one file of its context is
// changed, and the rebuild must take the step before the COPY from the
// cache. On the test environment the first builds after the engine
// started were seen to lose their cache; the probe absorbs that, with up
// to three tries.
func checkBuildCache(t *testing.T, cli *client.Client) {
	t.Helper()
	for try := 1; try <= 3; try++ {
		dir := t.TempDir()
		df := fmt.Sprintf("FROM %s\nRUN echo %d > /probe\nCOPY f /f\n", testenv.DebianImage, time.Now().UnixNano())
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "f"), []byte("1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		buildImage(t, t, cli, dir, "strata-e2e-probe:cold")
		if err := os.WriteFile(filepath.Join(dir, "f"), []byte("2\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		warm := buildImage(t, t, cli, dir, "strata-e2e-probe:warm")
		if warm.cached() > 0 {
			return
		}
		t.Logf("try %d: the engine rebuilt the probe without its cache:\n%s", try, stepsSummary(warm))
	}
	t.Fatal("the engine's build cache does not work: rebuild figures would mean nothing")
}

// examplesDir finds examples/ at the top of the module.
func examplesDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "examples")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

func markdownTable(rs []*outcome) string {
	var b strings.Builder
	b.WriteString("| example | size before | size after | reduction | warm rebuild before | warm rebuild after | steps cached before | steps cached after |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	var reductions []float64
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %s | %s | %.1f%% | %.1f s | %.1f s | %d/%d | %d/%d |\n", r.name, human(r.before.Size), human(r.after.Size), r.reduction,
			r.warmBefore.Duration.Seconds(), r.warmAfter.Duration.Seconds(),
			r.warmBefore.cached(), len(r.warmBefore.Steps), r.warmAfter.cached(), len(r.warmAfter.Steps))
		reductions = append(reductions, r.reduction)
	}
	fmt.Fprintf(&b, "\nmedian reduction: %.1f%%\n", median(reductions))
	return b.String()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func human(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.0f kB", float64(n)/1e3)
}

// slowerBy is how much longer than the original's a fixed build may take
// and still count as no slower: a tenth of the original's time, at least
// three seconds. Builds here share two cores with other work, and the
// original and the fixed Dockerfile of an example build side by side:
// two builds of the same file differ by that much.
func slowerBy(before time.Duration) time.Duration {
	return max(before/10, 3*time.Second)
}

// checkNotSlower fails when the fixed Dockerfile's cold build or warm
// rebuild takes longer than the original's (beyond slowerBy).
func checkNotSlower(t *testing.T, r *outcome) {
	t.Helper()
	for _, c := range []struct {
		what          string
		before, after time.Duration
	}{
		{"cold build", r.before.Duration, r.after.Duration},
		{"warm rebuild", r.warmBefore.Duration, r.warmAfter.Duration},
	} {
		if c.after > c.before+slowerBy(c.before) {
			t.Errorf("%s: the fixed Dockerfile's %s took %.1f s, the original's %.1f s: slower (more than %v beyond)",
				r.name, c.what, c.after.Seconds(), c.before.Seconds(), slowerBy(c.before))
		}
	}
}

// logTimes logs the cold build and warm rebuild of every example before
// and after the fix, as a Markdown table, and writes it to
// STRATA_E2E_TIMES when that names a file.
func logTimes(t *testing.T, rs []*outcome) {
	t.Helper()
	var b strings.Builder
	b.WriteString("| example | cold build before | cold build after | warm rebuild before | warm rebuild after | warm change |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|\n")
	for _, r := range rs {
		if r.before.ID == "" || r.after.ID == "" || r.warmBefore.ID == "" || r.warmAfter.ID == "" {
			continue
		}
		fmt.Fprintf(&b, "| %s | %.1f s | %.1f s | %.1f s | %.1f s | `%s` |\n", r.name, r.before.Duration.Seconds(), r.after.Duration.Seconds(),
			r.warmBefore.Duration.Seconds(), r.warmAfter.Duration.Seconds(), r.edit)
	}
	t.Logf("build times:\n%s", b.String())
	if p := os.Getenv("STRATA_E2E_TIMES"); p != "" {
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Errorf("writing the times: %v", err)
		}
	}
}
