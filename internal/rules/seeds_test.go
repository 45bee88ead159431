package rules_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// The optimization checklist (see Checklist) comes with reference
// Dockerfiles: a deliberately wasteful Flask Dockerfile (examples/flask:
// a full Ubuntu base, one RUN per package, the source copied before the
// installs, no .dockerignore, root, shell-form CMD) and several optimized
// ones (testdata/seeds: a single chained RUN on Alpine, multi-stage
// Node.js builds, Go on scratch and distroless, Java on a JRE). These
// tests hold the checklist rules to them: the wasteful file breaks every
// item it should, the optimized ones break none of the structural items,
// and a well-written Dockerfile draws no warning.

// seedContext copies a seed directory to a temporary build context,
// creating the directories its test-mkdir lists and renaming *.seed
// files (go.mod.seed becomes go.mod).
func seedContext(t *testing.T, dir string) string {
	t.Helper()
	ctx := contextCopy(t, dir)
	err := filepath.WalkDir(ctx, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".seed") {
			return err
		}
		return os.Rename(p, strings.TrimSuffix(p, ".seed"))
	})
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// lintSeed lints the Dockerfile at path with ctxDir as its build context
// and every default rule.
func lintSeed(t *testing.T, path, ctxDir string) *rules.Result {
	t.Helper()
	f, err := dockerfile.ParseFile(path)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	bc, err := rules.LoadBuildContext(ctxDir, path)
	if err != nil {
		t.Fatalf("context %s: %v", ctxDir, err)
	}
	res, err := rules.Run(context.Background(), f, bc, rules.Options{})
	if err != nil {
		t.Fatalf("lint %s: %v", path, err)
	}
	return res
}

func checklistStatus(res *rules.Result) map[string]vocab.Status {
	out := map[string]vocab.Status{}
	for _, c := range res.Checklist {
		out[c.Key] = c.Status
	}
	return out
}

// findingsFor lists the findings that serve a checklist key, as
// "ID:line: message".
func findingsFor(res *rules.Result, key string) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Rule.Checklist == key {
			out = append(out, d.Rule.ID+":"+itoa(d.Line)+": "+d.Message)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// reported returns the messages of rule id.
func reported(res *rules.Result, id string) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Rule.ID == id {
			out = append(out, d.Message)
		}
	}
	return out
}

func dumpFindings(t *testing.T, res *rules.Result) {
	t.Helper()
	for _, d := range res.Diagnostics {
		t.Logf("  %d %s %s (%s): %s", d.Line, d.Severity, d.Rule.ID, d.Rule.Checklist, d.Message)
	}
}

// flaskBroken are the checklist items the wasteful Flask Dockerfile
// breaks.
var flaskBroken = []string{
	vocab.BaseImageLightweight,   // ubuntu:20.04
	vocab.LayersMinimalRun,       // one RUN per package, a lone apt-get update
	vocab.LayersCacheDeps,        // COPY . /app/ before the installs
	vocab.ContextDockerignore,    // no .dockerignore
	vocab.SizeCleanCaches,        // apt lists, pip cache
	vocab.SizeMinimalPackages,    // no --no-install-recommends, curl and git unused
	vocab.SecurityNonRoot,        // no USER
	vocab.PerformanceExecForm,    // CMD python3 app.py
	vocab.PerformanceInitSystem,  // python as PID 1
	vocab.PerformanceHealthcheck, // EXPOSE 8000, no HEALTHCHECK
	vocab.BuildCacheMounts,       // installs re-run on every source change
}

// TestSeedFlask lints the wasteful Flask Dockerfile (testdata/seeds/flask,
// kept as first written) in the example's real build context,
// examples/flask (app.py, requirements.txt, no .dockerignore), and checks that every checklist item it breaks is
// reported, by the rule meant for it where that is one of strata's. The
// Dockerfile of examples/flask itself, which may be adapted to build on
// current distributions, must break the same items.
func TestSeedFlask(t *testing.T) {
	ctx := filepath.Join("..", "..", "examples", "flask")
	t.Run("wasteful", func(t *testing.T) {
		res := lintSeed(t, filepath.Join("testdata", "seeds", "flask", "Dockerfile"), ctx)
		st := checklistStatus(res)
		for _, k := range flaskBroken {
			if st[k] != vocab.Fail {
				t.Errorf("%s: status %q, want fail", k, st[k])
			}
		}
		// ubuntu:20.04 is tagged: pinned is not broken.
		if st[vocab.BaseImagePinned] != vocab.Pass {
			t.Errorf("%s: status %q, want pass (%v)", vocab.BaseImagePinned, st[vocab.BaseImagePinned], findingsFor(res, vocab.BaseImagePinned))
		}
		// Nothing secret, nothing compiled, no late clean-up.
		for _, k := range []string{vocab.SecurityNoSecrets, vocab.SizeMultiStage, vocab.SizeSameLayerCleanup} {
			if st[k] == vocab.Fail {
				t.Errorf("%s: unexpected failure: %v", k, findingsFor(res, k))
			}
		}
		// strata's own rules, with what their messages must name.
		want := map[string][]string{
			"SD101": {"ubuntu:20.04", "python:3"},
			"SD201": {"apt-get update", "line 4"},
			"SD202": {"requirements.txt", "line 12"},
			"SD301": {"no .dockerignore"},
			"SD403": {"curl", "git"},
			"SD501": {"root"},
			"SD601": {"python3"},
			"SD602": {"8000"},
			"SD701": {"/root/.cache/pip"},
		}
		for id, words := range want {
			msgs := reported(res, id)
			if len(msgs) == 0 {
				t.Errorf("%s not reported", id)
				continue
			}
			all := strings.Join(msgs, "\n")
			for _, w := range words {
				if !strings.Contains(all, w) {
					t.Errorf("%s: messages do not mention %q:\n%s", id, w, all)
				}
			}
		}
		if t.Failed() || testing.Verbose() {
			dumpFindings(t, res)
		}
	})
	t.Run("example", func(t *testing.T) {
		res := lintSeed(t, filepath.Join(ctx, "Dockerfile"), ctx)
		st := checklistStatus(res)
		for _, k := range flaskBroken {
			if st[k] != vocab.Fail {
				t.Errorf("%s: status %q, want fail", k, st[k])
			}
		}
		if t.Failed() || testing.Verbose() {
			dumpFindings(t, res)
		}
	})
}

// structural are the checklist items an optimized Dockerfile of the
// seed must not break whatever else it leaves out.
var structural = []string{
	vocab.LayersMinimalRun, vocab.LayersCacheDeps, vocab.SizeSameLayerCleanup, vocab.SizeMultiStage,
}

// seedAllowed are findings the structural check tolerates, keyed
// "seed:ID:line", each with the reason.
var seedAllowed = map[string]string{
	// hadolint's DL3059 looks at every stage; these consecutive RUNs are
	// in the security-scan stages, which the final image does not use.
	"node-advanced:DL3059:24": "npm audit / npm run security-check in the unused security-scan stage",
	"node-balanced:DL3059:13": "npm audit / apk add trivy in the unused security stage",
	"node-balanced:DL3059:14": "apk add trivy / trivy fs in the unused security stage",
}

// TestSeedOptimized lints the optimized reference Dockerfiles, each in a
// small build context (with the .dockerignore written for it where the
// seed copies the whole context), and checks that none of the structural
// checklist items fail; nor does security.non_root when the seed sets a
// USER, nor context.dockerignore.
func TestSeedOptimized(t *testing.T) {
	seeds := []struct {
		dir, file string
		setsUser  bool
	}{
		{"alpine", "Dockerfile", false},
		{"node-basic", "Dockerfile.basic", false},
		{"node-advanced", "Dockerfile.advanced", true},
		{"node-optimized", "Dockerfile.optimized", true},
		{"node-balanced", "Dockerfile.balanced", false},
		{"go", "Dockerfile", false}, // first written as Dockerfile.go
		{"go-scratch", "Dockerfile.scratch", true},
		{"go-distroless", "Dockerfile.distroless", false},
		{"java", "Dockerfile.java", true},
	}
	for _, s := range seeds {
		t.Run(s.dir, func(t *testing.T) {
			ctx := seedContext(t, filepath.Join("testdata", "seeds", s.dir))
			res := lintSeed(t, filepath.Join(ctx, s.file), ctx)
			keys := append([]string(nil), structural...)
			keys = append(keys, vocab.ContextDockerignore)
			if s.setsUser {
				keys = append(keys, vocab.SecurityNonRoot)
			}
			for _, k := range keys {
				var bad []string
				for _, d := range res.Diagnostics {
					if d.Rule.Checklist != k {
						continue
					}
					key := s.dir + ":" + d.Rule.ID + ":" + itoa(d.Line)
					if _, ok := seedAllowed[key]; ok {
						continue
					}
					bad = append(bad, d.Rule.ID+":"+itoa(d.Line)+": "+d.Message)
				}
				if len(bad) > 0 {
					t.Errorf("%s: %s fails:\n  %s", s.file, k, strings.Join(bad, "\n  "))
				}
			}
			// The contexts hold .git and node_modules: the seeds'
			// .dockerignore keeps them out.
			if msgs := reported(res, "SD301"); len(msgs) > 0 {
				t.Errorf("SD301 reported: %v", msgs)
			}
			if testing.Verbose() {
				dumpFindings(t, res)
			}
		})
	}
	// Every tolerated finding must still be needed.
	used := map[string]bool{}
	for _, s := range seeds {
		ctx := seedContext(t, filepath.Join("testdata", "seeds", s.dir))
		res := lintSeed(t, filepath.Join(ctx, s.file), ctx)
		for _, d := range res.Diagnostics {
			used[s.dir+":"+d.Rule.ID+":"+itoa(d.Line)] = true
		}
	}
	var stale []string
	for k := range seedAllowed {
		if !used[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("seedAllowed entry %s is no longer reported: remove it", k)
	}
}

// TestSeedWellWritten lints the Flask exercise written well (slim base,
// manifests first, --no-cache-dir, non-root, exec form, tini, a
// HEALTHCHECK and a .dockerignore, in a context holding .git and .venv):
// nothing may reach warning, and no checklist item but the informational
// cache-mount hint may fail.
func TestSeedWellWritten(t *testing.T) {
	ctx := seedContext(t, filepath.Join("testdata", "seeds", "well-written"))
	res := lintSeed(t, filepath.Join(ctx, "Dockerfile"), ctx)
	for _, d := range res.Diagnostics {
		if d.Severity >= vocab.Warning {
			t.Errorf("line %d: %s %s: %s", d.Line, d.Severity, d.Rule.ID, d.Message)
		}
	}
	for _, c := range res.Checklist {
		if c.Status == vocab.Fail && c.Key != vocab.BuildCacheMounts {
			t.Errorf("%s fails: %v", c.Key, findingsFor(res, c.Key))
		}
	}
	if testing.Verbose() || t.Failed() {
		dumpFindings(t, res)
	}
}
