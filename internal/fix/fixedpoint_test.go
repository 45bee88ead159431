package fix_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/fix/corpus"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

var updateCourse = flag.Bool("update-course", false, "rewrite testdata/golden/course.unsafe")

// fixedDay is the day end-of-life dates are judged on here (SD103), so
// that the results do not change as the calendar moves on.
var fixedDay = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

// fixedPointCase is a Dockerfile with its build context.
type fixedPointCase struct {
	name, path, context string
}

// fixedPointCases are every example (examples/*/Dockerfile and the
// course exercise's Dockerfile.seed, in their folders), every app of the
// real-build proof's variants, and every golden input (testdata/fix,
// with an empty context as TestGolden fixes them).
func fixedPointCases(t *testing.T) []fixedPointCase {
	t.Helper()
	var out []fixedPointCase
	for _, pattern := range []string{"../../examples/*/Dockerfile", "../../examples/*/Dockerfile.seed", "e2e/testdata/*/Dockerfile"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			out = append(out, fixedPointCase{name: p, path: p, context: filepath.Dir(p)})
		}
	}
	goldens, err := filepath.Glob("testdata/fix/*.Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range goldens {
		out = append(out, fixedPointCase{name: p, path: p})
	}
	if len(out) < 20 {
		t.Fatalf("only %d cases: the examples or the golden inputs are missing", len(out))
	}
	return out
}

// TestFixedPoint lints what `fix --unsafe` makes of every example, proof
// app and golden input, and wants no finding that a fix exists for: each
// finding of a rule that has a fix (corpus.Fixable) must be one the rule
// cannot be sure of, or say why its fix is not applied there
// (rules.Diagnostic.Declined). The corpus gets the same check in
// internal/fix/corpus (TestCorpus); the reasons are listed in
// docs/precision.md.
func TestFixedPoint(t *testing.T) {
	ctx := context.Background()
	fixable, err := corpus.Fixable(ctx, filepath.Join("..", "rules", "testdata", "lint"))
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, c := range fixedPointCases(t) {
		t.Run(c.name, func(t *testing.T) {
			src, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			ctxDir := c.context
			if ctxDir == "" {
				ctxDir = t.TempDir()
			}
			set, err := lint.SettingsFor(c.path, lint.Request{Paths: []string{c.path}, ContextDir: ctxDir, Ignore: []string{rules.SD002.ID}})
			if err != nil {
				t.Fatal(err)
			}
			set.Options.Settings.Today = fixedDay
			opts := fix.Options{Unsafe: true, Lint: set.Options, Context: set.Context}
			res, err := fix.File(ctx, c.path, src, opts)
			if err != nil {
				t.Fatal(err)
			}
			left, err := corpus.Leftovers(ctx, c.path, res, opts, fixable)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range left {
				if l.Failed() {
					t.Errorf("line %d %s: a fix exists for it, but it is left without a reason (offered: %v): %s\nfixed file:\n%s", l.Line, l.Rule, l.Offered, l.Message, res.Fixed)
					continue
				}
				reasons[corpus.ReasonKey(l)]++
				t.Logf("line %d %s left: %s", l.Line, l.Rule, l.Reason)
			}
		})
	}
	var lines []string
	for k, n := range reasons {
		lines = append(lines, k+" ×"+strconv.Itoa(n))
	}
	sort.Strings(lines)
	t.Logf("findings left with a reason:\n  %s", strings.Join(lines, "\n  "))
}

// TestCourseExercise fixes the course's optimization exercise as written
// (examples/flask/Dockerfile.seed, with the app beside it) and wants what
// the course's second session recommends: one stage on python:3.x-slim,
// one pip install with --no-cache-dir, the application copied after the
// install (last of the build steps), gunicorn in exec form, a non-root
// user. The result is kept in testdata/golden/course.unsafe (-update
// rewrites it) and explained in the README.
func TestCourseExercise(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "flask", "Dockerfile.seed")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set, err := lint.SettingsFor(path, lint.Request{Paths: []string{path}, ContextDir: filepath.Dir(path), Ignore: []string{rules.SD002.ID}})
	if err != nil {
		t.Fatal(err)
	}
	set.Options.Settings.Today = fixedDay
	res, err := fix.File(context.Background(), path, src, fix.Options{Unsafe: true, Lint: set.Options, Context: set.Context})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "golden", "course.unsafe")
	if *updateCourse {
		if err := os.WriteFile(golden, res.Fixed, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-course to write it)", err)
	}
	if string(res.Fixed) != string(want) {
		t.Errorf("the fixed exercise differs from %s:\n%s", golden, res.Fixed)
	}
	f, err := dockerfile.Parse("fixed", res.Fixed)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 1 {
		t.Fatalf("%d stages, want one", len(f.Stages))
	}
	st := f.Stages[0]
	if b := st.Base; b.Name() != "python" || !strings.HasPrefix(b.Tag, "3.") || !strings.HasSuffix(b.Tag, "-slim") {
		t.Errorf("base %s, want python:3.x-slim", b.Raw)
	}
	var pipRuns, lastInstall, lastCopy int
	var cmd, user *dockerfile.Instruction
	for i, in := range st.Instructions {
		switch in.Cmd {
		case "run":
			if strings.Contains(in.Original, "pip") && strings.Contains(in.Original, "install") {
				pipRuns++
				lastInstall = i
				if !strings.Contains(in.Original, "--no-cache-dir") {
					t.Errorf("the pip install keeps its cache: %s", in.Original)
				}
				for _, p := range []string{"flask", "requests", "gunicorn"} {
					if !strings.Contains(in.Original, p) {
						t.Errorf("the pip install lost %s: %s", p, in.Original)
					}
				}
			}
			if strings.Contains(in.Original, "apt-get") {
				t.Errorf("an apt install is left (curl, git and Python come with the image or are unused): %s", in.Original)
			}
		case "copy":
			lastCopy = i
		case "cmd":
			cmd = in
		case "user":
			user = in
		}
	}
	if pipRuns != 1 {
		t.Errorf("%d pip installs, want one", pipRuns)
	}
	if lastCopy < lastInstall {
		t.Errorf("the application is copied before the install")
	}
	if cmd == nil || !cmd.JSON || len(cmd.Args) == 0 || cmd.Args[0] != "gunicorn" {
		t.Errorf("CMD is not gunicorn in exec form: %v", cmd)
	}
	if user == nil || dockerfile.IsRootUser(user.User()) {
		t.Errorf("the image does not run as a non-root user")
	}
}
