package rules

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// TestBuildKitParity runs BuildKit v0.34.2's own linter (bkoracle_test.go)
// and strata on every case under testdata/buildkit and testdata/lint, and
// requires both to report the same BuildKit checks on the same lines, and
// strata to report an error (DL1000, or the rule that stands for it) on
// the line where BuildKit stops the build.
//
// A strata finding stands for a BuildKit check when the check is its rule
// ID, one of its aliases or the twin merged into it. Findings are compared
// as sets of (check, line): strata reports a finding once where BuildKit
// repeats it for each word of an instruction.
//
// The deliberate deviations, each also stated in `strata explain` for its
// rule (bkAllowed decides them):
//
//   - UndefinedVar, WorkdirRelativePath: BuildKit seeds a stage's
//     variables with the base image's ENV, read from the registry; strata
//     reads no registry. In a stage whose chain of FROMs ends at an image
//     whose environment strata does not know, strata reports only the
//     names no image can define (see undefinedvar.go), and a WORKDIR whose
//     value comes from the unknown environment is not judged. The oracle
//     answers for every image with an empty configuration, so it reports
//     every such name: strata may miss those, never add.
//   - WorkdirRelativePath: a stage built on a Windows image is a Windows
//     stage for strata, where C:\app is absolute. BuildKit judges paths for
//     the build's target platform, linux on the oracle, and a Linux
//     builder cannot pull the Windows image anyway.
//   - Build errors that depend on the values of build arguments (an empty
//     or invalid base image name with the default values, an empty
//     --platform, ${NAME?message} on an ARG) are reported by strata as the
//     warnings InvalidDefaultArgInFrom and UndefinedArgInFrom, as values
//     given with --build-arg make the build work.
//   - InvalidBaseImagePlatform needs the image from the registry: the
//     oracle never reports it, and strata reports what the file shows
//     (an arm64v8/... repository, a --platform a stage built FROM another
//     stage cannot have).
//   - A dispatch error on a value that may come from the base image's
//     ENV (EXPOSE $PORT) is not reported where strata does not know it,
//     nor an empty RUN --mount target, which resolves against the
//     working directory the base image may set.
//   - BuildKit stops at the first error; strata lints the whole file, so
//     it may report more after the error (or in a later phase of BuildKit's
//     run), never fewer before it.
func TestBuildKitParity(t *testing.T) {
	var paths []string
	for _, pat := range []string{"testdata/buildkit/*.Dockerfile", "testdata/lint/*.Dockerfile", "testdata/lint/*/Dockerfile"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 100 {
		t.Fatalf("only %d cases", len(paths))
	}
	empty := t.TempDir()
	tally := map[string]*bkTally{}
	for _, path := range paths {
		ctxDir := empty
		if filepath.Base(path) == "Dockerfile" {
			ctxDir = filepath.Dir(path)
		}
		bk, err := bkLint(context.Background(), path, ctxDir)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, p := range bkCompare(t, path, ctxDir, bk) {
			t.Errorf("%s:%s", path, p)
		}
		if show := os.Getenv("STRATA_BK_SHOW"); show != "" && strings.Contains(path, show) {
			bkShow(t, path, ctxDir, bk)
		}
		bkCount(tally, path, ctxDir, bk)
	}
	if testing.Verbose() {
		var names []string
		for n := range tally {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			c := tally[n]
			t.Logf("%-32s BuildKit %3d  strata %3d  same %3d", n, c.bk, c.strata, c.same)
		}
	}
}

type bkTally struct{ bk, strata, same int }

// bkShow logs both tools' findings on a file (STRATA_BK_SHOW=part of
// its name), to look into a case.
func bkShow(t *testing.T, path, ctxDir string, bk *bkResult) {
	t.Helper()
	t.Logf("== %s", path)
	for _, w := range bk.Warnings {
		t.Logf("  BuildKit %s", w)
	}
	if bk.Err != nil {
		t.Logf("  BuildKit %s", bk.Err)
	}
	_, st, err := bkStrata(path, ctxDir)
	if err != nil {
		t.Logf("  strata: %v", err)
	}
	for _, s := range st {
		t.Logf("  strata   %d: %s %s: %s", s.line, s.diag.Rule.ID, s.check, s.diag.Message)
	}
}

// bkFinding is a strata finding seen as a BuildKit check.
type bkFinding struct {
	check string // BuildKit check name, or "" for an error
	line  int
	diag  Diagnostic
}

// bkStrata lints path as `strata lint` would (BuildKit knows no inline
// pragmas, so they are disregarded) and returns the findings
// that stand for BuildKit checks or errors, or the parse error.
func bkStrata(path, ctxDir string) (*dockerfile.File, []bkFinding, error) {
	f, err := dockerfile.ParseFile(path)
	if err != nil {
		return nil, nil, err
	}
	bc, err := LoadBuildContext(ctxDir, path)
	if err != nil {
		return nil, nil, err
	}
	res, err := Run(context.Background(), f, bc, Options{Ignore: []string{SD002.ID}, NoInlineIgnores: true})
	if err != nil {
		return nil, nil, err
	}
	names := BuildKitCheckNames()
	var out []bkFinding
	for _, d := range res.Diagnostics {
		if bkErrorRules[d.Rule.ID] {
			out = append(out, bkFinding{line: d.Line, diag: d})
		}
		for _, n := range append(append([]string{d.Rule.ID}, d.Rule.Aliases...), d.Also...) {
			if names[n] {
				out = append(out, bkFinding{check: n, line: d.Line, diag: d})
			}
		}
	}
	return f, out, nil
}

// bkErrorRules are the rules whose findings are errors BuildKit stops on:
// DL1000 for every build error, and hadolint's rules for the errors they
// name (an instruction before FROM, an ONBUILD FROM, COPY --from its
// own stage, an invalid EXPOSE port).
var bkErrorRules = map[string]bool{"DL1000": true, "DL3061": true, "DL3023": true, "DL3011": true, "DL3043": true}

// bkPhase orders BuildKit's run (convert.go): a check of an earlier
// phase, or of the same phase on an earlier line, is reported before an
// error of a later one.
func bkPhase(check string) int {
	switch check {
	case "NoEmptyContinuation":
		return 1
	case "MaintainerDeprecated", "StageNameCasing", "FromAsCasing", "InvalidDefinitionDescription":
		return 2
	case "ReservedStageName", "DuplicateStageName", "ConsistentInstructionCasing":
		return 3
	case "InvalidDefaultArgInFrom":
		return 4
	case "UndefinedArgInFrom", "RedundantTargetPlatform", "FromPlatformFlagConstDisallowed":
		return 5
	case "InvalidBaseImagePlatform":
		return 7
	}
	return 8 // dispatch
}

// bkErrorPhase is the phase in which BuildKit raised an error, from its
// message.
func bkErrorPhase(msg string) int {
	switch {
	case strings.HasPrefix(msg, "failed to parse check options"):
		return 0
	case strings.HasPrefix(msg, "dockerfile parse error"), strings.HasPrefix(msg, "no build stage"),
		strings.Contains(msg, "unterminated heredoc"), strings.Contains(msg, "must have two arguments"),
		strings.Contains(msg, "file with no instructions"):
		return 2
	case strings.HasPrefix(msg, "base name"), strings.HasPrefix(msg, "empty platform"),
		strings.HasPrefix(msg, "failed to parse platform"), strings.HasPrefix(msg, "failed to process arguments for platform"):
		return 5
	case strings.HasPrefix(msg, "circular dependency"), strings.HasPrefix(msg, "invalid stage index"),
		strings.HasPrefix(msg, "variable expansion is not supported for --from"):
		return 6
	case strings.HasPrefix(msg, "failed to parse stage name"):
		return 7
	case strings.HasPrefix(msg, "lint violation found"):
		return 9
	}
	return 8
}

// bkArgDependentError reports whether a BuildKit error depends on build
// argument values (see the deviations above).
func bkArgDependentError(msg string) bool {
	for _, p := range []string{"base name", "empty platform", "failed to parse platform", "failed to parse stage name"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

type bkKey struct {
	check string
	line  int
}

// bkCompare returns the disagreements between BuildKit and strata on
// one file.
func bkCompare(t *testing.T, path, ctxDir string, bk *bkResult) []string {
	t.Helper()
	f, st, err := bkStrata(path, ctxDir)
	var pe *dockerfile.ParseError
	if errors.As(err, &pe) {
		// strata rejects the file (exit 2): BuildKit must fail on it too.
		if bk.Err == nil {
			return []string{fmt.Sprintf("%d: strata cannot parse the file (%v), BuildKit builds it", pe.Line, pe.Err)}
		}
		if bk.Err.Line != 0 && pe.Line != 0 && bk.Err.Line != pe.Line {
			return []string{fmt.Sprintf("%d: strata's parse error %v is not on BuildKit's error line: %s", pe.Line, pe.Err, bk.Err)}
		}
		return nil
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var problems []string
	errPhase, errLine := 99, 0
	if bk.Err != nil {
		errPhase, errLine = bkErrorPhase(bk.Err.Message), bk.Err.Line
		problems = append(problems, bkCheckError(f, st, bk)...)
	}
	want := map[bkKey]string{}
	for _, w := range bk.Warnings {
		want[bkKey{w.Rule, w.Line}] = w.Message
	}
	got := map[bkKey]string{}
	for _, s := range st {
		if s.check != "" {
			got[bkKey{s.check, s.line}] = s.diag.Message
		}
	}
	for k, msg := range want {
		if _, ok := got[k]; !ok && !bkAllowedMiss(f, k, msg) {
			problems = append(problems, fmt.Sprintf("%d: BuildKit reports %s (%s), strata does not", k.line, k.check, msg))
		}
	}
	for k, msg := range got {
		if _, ok := want[k]; ok || k.check == "InvalidBaseImagePlatform" {
			continue
		}
		if bk.Err != nil {
			p := bkPhase(k.check)
			if p > errPhase || p == errPhase && (errLine == 0 || k.line >= errLine) {
				continue // BuildKit stopped before it got there
			}
		}
		problems = append(problems, fmt.Sprintf("%d: strata reports %s (%s), BuildKit does not", k.line, k.check, msg))
	}
	sort.Strings(problems)
	return problems
}

// bkCheckError checks that strata reports BuildKit's build error.
func bkCheckError(f *dockerfile.File, st []bkFinding, bk *bkResult) []string {
	msg, line := bk.Err.Message, bk.Err.Line
	switch {
	case bkArgDependentError(msg) && bkFromHasVariable(f, line):
		return nil
	case bkErrorPhase(msg) == 8 && bkFromUnknownEnv(f, line):
		return nil
	case strings.HasPrefix(msg, "invalid mount target"):
		return nil // resolved against the working directory, which the base image may set
	case strings.HasPrefix(msg, "lint violation found"):
		// error=true: strata raises the BuildKit checks to errors.
		for _, s := range st {
			if s.check != "" && s.diag.Severity == vocab.Error {
				return nil
			}
		}
		return []string{fmt.Sprintf("%d: BuildKit fails with %q, strata has no BuildKit check at error severity", line, msg)}
	}
	for _, s := range st {
		if s.check == "" && (line == 0 || s.line == line) {
			return nil
		}
	}
	return []string{fmt.Sprintf("%d: BuildKit fails with %q, strata reports no error there", line, msg)}
}

// bkAllowedMiss reports whether strata may leave out a warning BuildKit
// gives (the deviations in TestBuildKitParity's comment).
func bkAllowedMiss(f *dockerfile.File, k bkKey, msg string) bool {
	switch k.check {
	case "UndefinedVar", "WorkdirRelativePath":
		st := bkStageAt(f, k.line)
		if st == nil {
			return false
		}
		if k.check == "WorkdirRelativePath" && bkWindowsStage(f, st) {
			return true
		}
		return !bkEnvKnown(f, st)
	}
	return false
}

// bkFromHasVariable reports whether the FROM on line (or, for line 0,
// any FROM) reads a variable, which build arguments may set.
func bkFromHasVariable(f *dockerfile.File, line int) bool {
	for _, st := range f.Stages {
		if (line == 0 || st.From.StartLine == line) && strings.Contains(st.From.Original, "$") {
			return true
		}
	}
	return false
}

// bkFromUnknownEnv reports whether the instruction on line expands a
// variable in a stage whose base image's environment strata does not
// know: its value, and so a dispatch error on it, may come from there.
func bkFromUnknownEnv(f *dockerfile.File, line int) bool {
	st := bkStageAt(f, line)
	if st == nil || bkEnvKnown(f, st) {
		return false
	}
	for _, in := range st.Instructions {
		if in.StartLine == line {
			return strings.Contains(in.Original, "$")
		}
	}
	return false
}

// bkStageAt returns the stage holding line.
func bkStageAt(f *dockerfile.File, line int) *dockerfile.Stage {
	var out *dockerfile.Stage
	for _, st := range f.Stages {
		if st.From.StartLine <= line {
			out = st
		}
	}
	return out
}

// bkCount adds a file's figures to the per-check tally printed with -v.
func bkCount(tally map[string]*bkTally, path, ctxDir string, bk *bkResult) {
	_, st, err := bkStrata(path, ctxDir)
	if err != nil {
		return
	}
	get := func(n string) *bkTally {
		if tally[n] == nil {
			tally[n] = &bkTally{}
		}
		return tally[n]
	}
	seen := map[bkKey]bool{}
	for _, w := range bk.Warnings {
		k := bkKey{w.Rule, w.Line}
		if !seen[k] {
			seen[k] = true
			get(w.Rule).bk++
		}
	}
	mine := map[bkKey]bool{}
	for _, s := range st {
		if s.check == "" {
			continue
		}
		k := bkKey{s.check, s.line}
		if !mine[k] {
			mine[k] = true
			get(s.check).strata++
			if seen[k] {
				get(s.check).same++
			}
		}
	}
}

// bkStageFacts returns, per stage, whether strata knows its base image's
// environment and whether it builds for Windows, as the walker has them.
func bkStageFacts(f *dockerfile.File) (known, windows map[*dockerfile.Stage]bool) {
	known, windows = map[*dockerfile.Stage]bool{}, map[*dockerfile.Stage]bool{}
	bkStageScopes(f, func(step bkStep, sc *bkScope) {
		known[step.stage] = sc.envKnown
		windows[step.stage] = sc.os == "windows"
	})
	return known, windows
}

func bkEnvKnown(f *dockerfile.File, st *dockerfile.Stage) bool {
	known, _ := bkStageFacts(f)
	return known[st]
}

func bkWindowsStage(f *dockerfile.File, st *dockerfile.Stage) bool {
	_, windows := bkStageFacts(f)
	return windows[st]
}
