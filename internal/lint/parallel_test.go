package lint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/vocab"
)

// writeFiles writes Dockerfiles named df0, df1... in a new folder and
// returns their paths.
func writeFiles(t *testing.T, srcs []string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, src := range srcs {
		p := filepath.Join(dir, fmt.Sprintf("df%d", i))
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestRunParallel checks that linting many files at once gives, file by
// file and in the order asked, what linting each alone gives.
func TestRunParallel(t *testing.T) {
	files := corpus(60)
	var srcs []string
	for _, f := range files {
		srcs = append(srcs, string(f))
	}
	paths := writeFiles(t, srcs)
	req := Request{Paths: paths, Ignore: []string{"SD002"}}
	out, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Report.Files) != len(paths) {
		t.Fatalf("%d file reports for %d files", len(out.Report.Files), len(paths))
	}
	anyFailed, findings := false, 0
	for i, p := range paths {
		_, fr, failed, err := Source(context.Background(), p, nil, req)
		if err != nil {
			t.Fatal(err)
		}
		anyFailed = anyFailed || failed
		findings += len(fr.Findings)
		if !reflect.DeepEqual(out.Report.Files[i], fr) {
			t.Errorf("file %d (%s): the run's report differs from linting it alone", i, p)
		}
	}
	if out.Failed != anyFailed {
		t.Errorf("Failed = %v, want %v", out.Failed, anyFailed)
	}
	if findings == 0 {
		t.Error("no finding in any file: the comparison shows nothing")
	}
}

// TestRunFirstError checks that a run with bad files reports the first of
// them in the order asked, whichever finished first.
func TestRunFirstError(t *testing.T) {
	good := "FROM debian:bookworm-slim\nRUN echo hi\n"
	paths := writeFiles(t, []string{good, good, "FROM debian:bookworm-slim\nCOPY --from build /a /b\n", good, "FROM a\nBOGUS x\n"})
	paths = append(paths[:2], append([]string{filepath.Join(t.TempDir(), "missing")}, paths[2:]...)...)
	_, err := Run(context.Background(), Request{Paths: paths, Ignore: []string{"SD002"}})
	if err == nil {
		t.Fatal("no error for a missing file")
	}
	var ie *vocab.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("want an input error naming the missing file (the first bad one), got %v", err)
	}
}

// TestRunNoticeOnce checks that the notice that shellcheck is missing is
// given for the first file that has RUN scripts only.
func TestRunNoticeOnce(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	paths := writeFiles(t, []string{
		"FROM debian:bookworm-slim\nCMD [\"true\"]\n",
		"FROM debian:bookworm-slim\nRUN echo $HOME\n",
		"FROM debian:bookworm-slim\nRUN echo $PWD\n",
		"FROM debian:bookworm-slim\nRUN echo $PATH\n",
	})
	out, err := Run(context.Background(), Request{Paths: paths, NoFail: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for i, fr := range out.Report.Files {
		for _, f := range fr.Findings {
			if f.Rule == "SD002" && strings.Contains(f.Message, "not installed") {
				got = append(got, i)
			}
		}
	}
	if !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("the SD002 notice is on files %v, want on file 1 only", got)
	}
}

// TestRunParallelShellCheck checks that the ShellCheck findings of a run,
// whose files share shellcheck processes and check a script seen twice
// once, are those of each file linted alone.
func TestRunParallelShellCheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck is not installed on CI (install the shellcheck package)")
		}
		t.Skip("shellcheck is not installed")
	}
	var srcs []string
	for _, f := range corpus(24) {
		srcs = append(srcs, string(f), string(f)) // each twice: the same scripts
	}
	srcs = append(srcs, "FROM debian:bookworm-slim\nARG version\nRUN echo $version $missing && echo $RANDOM\n")
	paths := writeFiles(t, srcs)
	out, err := Run(context.Background(), Request{Paths: paths, NoFail: true})
	if err != nil {
		t.Fatal(err)
	}
	sc := 0
	for i, p := range paths {
		_, fr, _, err := Source(context.Background(), p, nil, Request{NoFail: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fr.Findings {
			if strings.HasPrefix(f.Rule, "SC") {
				sc++
			}
		}
		if !reflect.DeepEqual(out.Report.Files[i], fr) {
			t.Errorf("file %d: the run's report differs from linting it alone:\n%+v\n%+v", i, out.Report.Files[i].Findings, fr.Findings)
		}
	}
	if sc == 0 {
		t.Error("no ShellCheck finding at all: the comparison shows nothing")
	}
}
