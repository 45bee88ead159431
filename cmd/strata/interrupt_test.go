package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/image/imagetest"
)

// TestInterruptStdin runs commands that read standard input from a pipe
// that sends part of its input and then nothing: SIGINT must stop each
// at once (the figure is logged; the test allows 5 s), exit 130, and
// leave nothing in the temporary directory.
func TestInterruptStdin(t *testing.T) {
	bin := strataBinary(t)
	archive := imagetest.DockerSaveOld(t, imagetest.Everything(t), "app:1")
	// An archive whose first member is a 16 GiB layer, written for as
	// long as strata reads: interrupted while data flows.
	var endless bytes.Buffer
	tw := tar.NewWriter(&endless)
	if err := tw.WriteHeader(&tar.Header{Name: "blob/layer.tar", Typeflag: tar.TypeReg, Size: 16 << 30, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args    []string
		input   []byte
		flowing bool // after input, zeros until the pipe closes
	}{
		{[]string{"image", "--no-progress", "docker-archive:-"}, endless.Bytes(), true},
		{[]string{"image", "--no-progress", "docker-archive:-"}, archive[:len(archive)/2], false},
		{[]string{"image", "--no-progress", "-"}, archive[:1024], false},
		{[]string{"image", "--no-progress", "oci-archive:-"}, nil, false},
		{[]string{"lint", "-"}, []byte("FROM debian:bookworm\nRUN echo"), false},
		{[]string{"fix", "-"}, []byte("FROM debian:bookworm\n"), false},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			tmp := t.TempDir()
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close()
			defer pr.Close()
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, c.args...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = pr, &stdout, &stderr
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pr.Close()
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			defer func() {
				if cmd.ProcessState == nil {
					_ = cmd.Process.Kill()
					<-exited
				}
			}()
			if _, err := pw.Write(c.input); err != nil {
				t.Fatal(err)
			}
			if c.flowing {
				go func() {
					zeros := make([]byte, 64<<10)
					for {
						if _, err := pw.Write(zeros); err != nil {
							return
						}
					}
				}()
			}
			// Let it read what there is and wait for more.
			time.Sleep(500 * time.Millisecond)
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			var waitErr error
			select {
			case waitErr = <-exited:
			case <-time.After(5 * time.Second):
				t.Fatalf("still running 5 s after SIGINT\nstderr:\n%s", stderr.String())
			}
			t.Logf("stopped %v after SIGINT", time.Since(sent).Round(time.Millisecond))
			var ee *exec.ExitError
			if !errors.As(waitErr, &ee) || ee.ExitCode() != exitInterrupted {
				t.Errorf("exit: %v; want status %d\nstderr:\n%s", waitErr, exitInterrupted, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr %q does not say interrupted", stderr.String())
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("left in the temporary directory: %v", left)
			}
		})
	}
}
