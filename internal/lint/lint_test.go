package lint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// TestRunKeepsGoing checks that Run lints every file it can and records
// the input error of each file it cannot.
func TestRunKeepsGoing(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.Dockerfile", "FROM alpine:3.21\nENV A 1\n")
	bad := write("bad.Dockerfile", "FROM alpine:3.21\nENV ONLYKEY\n")
	missing := filepath.Join(dir, "missing.Dockerfile")
	out, err := Run(context.Background(), Request{Paths: []string{bad, good, missing}})
	if !vocab.IsInput(err) {
		t.Fatalf("err = %v, want an input error", err)
	}
	if out == nil || len(out.Results) != 3 {
		t.Fatalf("outcome %+v, want 3 results", out)
	}
	var pe *dockerfile.ParseError
	if r := out.Results[0]; r.Path != bad || !errors.As(r.Err, &pe) || pe.Line != 2 || r.File != nil {
		t.Errorf("bad file: %+v", r)
	}
	if r := out.Results[1]; r.Path != good || r.Err != nil || r.File == nil || r.Result == nil {
		t.Errorf("good file: %+v", r)
	}
	if r := out.Results[2]; r.Path != missing || r.Err == nil {
		t.Errorf("missing file: %+v", r)
	}
	if len(out.Report.Files) != 1 || out.Report.Files[0].File != good || len(out.Report.Files[0].Findings) == 0 {
		t.Errorf("report files %+v, want the good file with its findings", out.Report.Files)
	}
	if got := out.Errors(); len(got) != 2 {
		t.Errorf("Errors() = %v", got)
	}

	// Without a bad file there is no error.
	if _, err := Run(context.Background(), Request{Paths: []string{good}}); err != nil {
		t.Errorf("good file alone: %v", err)
	}
	// An interruption still ends the run.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if out, err := Run(ctx, Request{Paths: []string{good}}); out != nil || err == nil {
		t.Errorf("canceled: %v, %v", out, err)
	}
}

// TestReportOnlyKeepsTheReport checks that a ReportOnly run reports what
// a full run does and keeps no parsed file or engine result, and that
// the files of a run below one configuration file all use it.
func TestReportOnlyKeepsTheReport(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".strata.yaml"), []byte("ignored: [DL3006]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, sub := range []string{"a", "a/b", "c"} {
		p := filepath.Join(dir, sub, "Dockerfile")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("FROM debian\nRUN apt-get update && apt-get install -y curl\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	full, err := Run(context.Background(), Request{Paths: paths})
	if err != nil {
		t.Fatal(err)
	}
	slim, err := Run(context.Background(), Request{Paths: paths, ReportOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(slim.Results) != len(paths) {
		t.Fatalf("%d results, want %d", len(slim.Results), len(paths))
	}
	for i, r := range slim.Results {
		if r.Path != paths[i] || r.File != nil || r.Result != nil || r.Err != nil {
			t.Errorf("result %d: %+v, want the path alone", i, r)
		}
	}
	if len(full.Report.Files) != len(paths) || len(slim.Report.Files) != len(paths) {
		t.Fatalf("reports of %d and %d files", len(full.Report.Files), len(slim.Report.Files))
	}
	for i := range paths {
		a, b := full.Report.Files[i], slim.Report.Files[i]
		if len(a.Findings) == 0 || len(a.Findings) != len(b.Findings) {
			t.Fatalf("file %d: %d findings, ReportOnly %d", i, len(a.Findings), len(b.Findings))
		}
		for j := range a.Findings {
			if a.Findings[j].Rule != b.Findings[j].Rule || a.Findings[j].Line != b.Findings[j].Line {
				t.Errorf("file %d finding %d: %v, ReportOnly %v", i, j, a.Findings[j], b.Findings[j])
			}
			if a.Findings[j].Rule == "DL3006" {
				t.Errorf("%s: DL3006 reported although the configuration above ignores it", paths[i])
			}
		}
	}
	if full.Failed != slim.Failed {
		t.Errorf("Failed %v, ReportOnly %v", full.Failed, slim.Failed)
	}
}

// TestShellCheckCacheFolder checks that a run with ShellCheckCache keeps
// ShellCheck's findings in its shellcheck folder, and that the next run
// reports the same from them without running the program.
func TestShellCheckCacheFolder(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	bin, cache := t.TempDir(), t.TempDir()
	log := filepath.Join(bin, "log")
	// A shellcheck that reports SC2086 on line 2 of every script it reads.
	fake := `#!/bin/sh
echo run >>` + log + `
printf '{"comments":['; sep=
for a; do case $a in *.sh) printf '%s{"file":"%s","line":2,"endLine":2,"column":6,"endColumn":10,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting."}' "$sep" "$a"; sep=,;; esac; done
printf ']}'
`
	if err := os.WriteFile(filepath.Join(bin, "shellcheck"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	df := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM debian:12\nRUN echo $FOO\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runs := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "run")
	}
	var reports []string
	for range 2 {
		out, err := Run(context.Background(), Request{Paths: []string{df}, ShellCheckCache: cache, NoFail: true})
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, f := range out.Report.Files[0].Findings {
			rules = append(rules, fmt.Sprintf("%s:%d", f.Rule, f.Line))
		}
		reports = append(reports, strings.Join(rules, " "))
	}
	if runs() != 1 {
		t.Errorf("shellcheck ran %d times in two runs, want once", runs())
	}
	if !strings.Contains(reports[0], "SC2086:2") || reports[0] != reports[1] {
		t.Errorf("first run %q, second (from the cache) %q", reports[0], reports[1])
	}
	if ents, err := os.ReadDir(filepath.Join(cache, "shellcheck")); err != nil || len(ents) == 0 {
		t.Errorf("nothing kept in %s/shellcheck: %v", cache, err)
	}
}

// TestNoRuleInfo leaves the report's rule descriptions out, and only
// them.
func TestNoRuleInfo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(p, []byte("FROM debian\nRUN apt-get update\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	with, err := Run(context.Background(), Request{Paths: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	without, err := Run(context.Background(), Request{Paths: []string{p}, NoRuleInfo: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(with.Report.Rules) < 100 || len(without.Report.Rules) != 0 {
		t.Errorf("rules described: %d by default, %d with NoRuleInfo; want every rule and none", len(with.Report.Rules), len(without.Report.Rules))
	}
	if a, b := with.Report.Files[0].Findings, without.Report.Files[0].Findings; len(a) == 0 || len(a) != len(b) {
		t.Errorf("findings: %d and %d, want the same, some", len(a), len(b))
	}
}
