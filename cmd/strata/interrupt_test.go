package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/cmd/internal/cli"
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
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close()
			defer pr.Close()
			interrupt(t, bin, c.args, pr, func() {
				pr.Close()
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
			})
		})
	}
}

// TestInterruptByPath interrupts image and diff while they read a layer
// of 16 GiB (a sparse file: zeros after the end-of-archive marker, which
// strata reads to check the layer's digest) by path: from a docker save
// archive and from an OCI layout.
func TestInterruptByPath(t *testing.T) {
	bin := strataBinary(t)
	dir := t.TempDir()
	archive := filepath.Join(dir, "big.tar")
	writeSparseArchive(t, archive, 16<<30)
	layout := writeSparseLayout(t, filepath.Join(dir, "layout"), 16<<30)
	small := filepath.Join(dir, "small.tar")
	if err := os.WriteFile(small, imagetest.DockerSaveOld(t, imagetest.Sample(t), "app:1"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"image", "--no-progress", "docker-archive:" + archive},
		{"image", "--no-progress", "oci:" + layout},
		{"diff", "--no-progress", small, "docker-archive:" + archive},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			interrupt(t, bin, args, nil, func() {})
		})
	}
}

// writeSparseArchive writes a docker save archive whose one layer is a
// tar member of size bytes (a multiple of 512), all zeros, left as a hole
// in the file.
func writeSparseArchive(t *testing.T, path string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The layer's header alone, then a hole as long as its data.
	var hdr bytes.Buffer
	if err := tar.NewWriter(&hdr).WriteHeader(&tar.Header{Name: "layer.tar", Typeflag: tar.TypeReg, Size: size, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(hdr.Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(size, io.SeekCurrent); err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	cfg := `{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:` + strings.Repeat("0", 64) + `"]},"config":{}}`
	for _, m := range [][2]string{
		{"config.json", cfg},
		{"manifest.json", `[{"Config":"config.json","RepoTags":["big:1"],"Layers":["layer.tar"]}]`},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: m[0], Typeflag: tar.TypeReg, Size: int64(len(m[1])), Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(m[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeSparseLayout writes an OCI layout whose one layer is a blob of
// size bytes, all zeros, a hole in the file; it returns the layout.
func writeSparseLayout(t *testing.T, dir string, size int64) string {
	t.Helper()
	blobs := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		t.Fatal(err)
	}
	zero := strings.Repeat("0", 64)
	put := func(b string) string {
		sum := sha256.Sum256([]byte(b))
		h := hex.EncodeToString(sum[:])
		if err := os.WriteFile(filepath.Join(blobs, h), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf(`"digest":"sha256:%s","size":%d`, h, len(b))
	}
	if err := os.WriteFile(filepath.Join(blobs, zero), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(blobs, zero), size); err != nil {
		t.Fatal(err)
	}
	cfg := put(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:` + zero + `"]},"config":{}}`)
	man := put(fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",`+
		`"config":{"mediaType":"application/vnd.oci.image.config.v1+json",%s},`+
		`"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}`, cfg, zero, size))
	index := fmt.Sprintf(`{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",%s}]}`, man)
	for name, b := range map[string]string{"index.json": index, "oci-layout": `{"imageLayoutVersion":"1.0.0"}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// interrupt starts bin with args and stdin, calls feed, waits half a
// second, sends SIGINT and checks that the process stops at once (the
// figure is logged; the test allows 5 s), exits 130 saying interrupted,
// and leaves nothing in its temporary directory.
func interrupt(t *testing.T, bin string, args []string, stdin *os.File, feed func()) {
	t.Helper()
	tmp := t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	}()
	feed()
	// Let it read what there is and wait for more.
	select {
	case err := <-exited:
		t.Fatalf("exited before the interrupt: %v\nstderr:\n%s", err, stderr.String())
	case <-time.After(500 * time.Millisecond):
	}
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
	if !errors.As(waitErr, &ee) || ee.ExitCode() != cli.ExitInterrupted {
		t.Errorf("exit: %v; want status %d\nstderr:\n%s", waitErr, cli.ExitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr %q does not say interrupted", stderr.String())
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in the temporary directory: %v", left)
	}
}
