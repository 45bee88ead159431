package lint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
