package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratatools/strata/cmd/internal/cli"
)

// TestFixOutputErrors writes fix's diff and its --output - to /dev/full:
// a failed write is bad output, exit 2 with the system's reason.
func TestFixOutputErrors(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	dir := t.TempDir()
	p := writeFile(t, dir, "Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nexpose 8080/TCP\nCMD [\"app\"]\n")
	for _, args := range [][]string{{"fix", p}, {"fix", "--output", "-", p}} {
		var errb bytes.Buffer
		a := &cli.App{Stdin: strings.NewReader(""), Stdout: full, Stderr: &errb,
			IsTerminal: func(io.Writer) bool { return false }, Getenv: func(string) string { return "" }}
		code := run(context.Background(), a, args)
		if want := "strata: writing standard output: no space left on device\n"; code != 2 || errb.String() != want {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", args, code, errb.String(), want)
		}
	}
}

// TestFixWriteThroughLink runs fix --write on a symbolic link: the file it
// points to is fixed and the link is kept; --help says so.
func TestFixWriteThroughLink(t *testing.T) {
	dir := t.TempDir()
	target := writeFile(t, dir, "real/Dockerfile", "FROM debian:bookworm-slim\nUSER nobody\nexpose 8080/TCP\nCMD [\"app\"]\n")
	link := filepath.Join(dir, "Dockerfile")
	if err := os.Symlink("real/Dockerfile", link); err != nil {
		t.Fatal(err)
	}
	if r := runStrata(t, "", nil, false, "fix", "--write", link); r.code != 0 {
		t.Fatalf("fix --write: exit %d %s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced by a file")
	}
	if data, _ := os.ReadFile(target); !strings.Contains(string(data), "EXPOSE 8080/tcp") {
		t.Fatalf("the target was not fixed: %q", data)
	}
	if r := runStrata(t, "", nil, false, "fix", "--help"); !strings.Contains(r.stdout, "symbolic link") {
		t.Errorf("fix --help does not say what --write does with a link:\n%s", r.stdout)
	}
}
