package lint

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestShellcheckMissingOncePerRun lints three files with RUN scripts and
// no shellcheck on PATH: SD002 says so once, on the first file, and the
// engine results agree with the report.
func TestShellcheckMissingOncePerRun(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no shellcheck
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"a", "b", "c"} {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(d, "Dockerfile")
		src := "FROM alpine:3.20\nRUN echo " + name + "\nUSER nobody\nCMD [\"true\"]\n"
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := Run(context.Background(), Request{Paths: paths, NoFail: true})
	if err != nil {
		t.Fatal(err)
	}
	var inReport, inResults []string
	for _, fr := range out.Report.Files {
		for _, f := range fr.Findings {
			if f.Rule == "SD002" {
				inReport = append(inReport, fr.File)
			}
		}
	}
	for i, fo := range out.Results {
		for _, d := range fo.Result.Diagnostics {
			if d.Rule.ID == "SD002" {
				inResults = append(inResults, paths[i])
			}
		}
	}
	if len(inReport) != 1 || inReport[0] != paths[0] {
		t.Errorf("SD002 in the report on %v, want once on %s", inReport, paths[0])
	}
	if len(inResults) != 1 || inResults[0] != paths[0] {
		t.Errorf("SD002 in the results on %v, want once on %s", inResults, paths[0])
	}
}
