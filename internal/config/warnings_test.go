package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestUnknownKeys loads files with keys no field reads: each is a warning
// naming the file, the line and the key, with the likely key meant.
func TestUnknownKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".hadolint.yaml")
	write(t, p, `ignoredd:
  - DL3008
override:
  fatal: [DL3015]
  error: [DL3016]
image:
  max-sizee: 10MB
zzz: 1
failure-threshold: error
`)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range c.Warnings {
		got = append(got, w.String())
	}
	want := []string{
		p + `:1: unknown key "ignoredd" (did you mean "ignored"?)`,
		p + `:4: unknown key "override.fatal"; known keys in override: error, info, style, warning`,
		p + `:7: unknown key "image.max-sizee" (did you mean "image.max-size"?)`,
		p + `:8: unknown key "zzz"; known keys: `,
	}
	if len(got) != len(want) {
		t.Fatalf("warnings:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d = %q, want %q...", i, got[i], want[i])
		}
	}
	if c.Override.Error[0] != "DL3016" || c.FailureThreshold != "error" {
		t.Errorf("the known keys were not read: %+v", c)
	}
	if w := c.Where("failure-threshold"); w != p+":9" {
		t.Errorf("Where = %q", w)
	}
}

// TestUnknownRules names every rule ID in the file with its line; the ones
// the caller does not know are warnings.
func TestUnknownRules(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".strata.yaml")
	write(t, p, "ignored: [DL3008, DL9999]\nenable:\n  - SD999\noverride:\n  info: [DL3059]\nseverity:\n  DL0000: error\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, r := range c.Rules {
		refs = append(refs, fmt.Sprintf("%s@%d:%s", r.ID, r.Line, r.Key))
	}
	if got, want := strings.Join(refs, " "), "DL3008@1:ignored DL9999@1:ignored SD999@3:enable DL3059@5:override.info DL0000@7:severity"; got != want {
		t.Errorf("rules %q, want %q", got, want)
	}
	known := func(id string) bool { return id == "DL3008" || id == "DL3059" }
	var got []string
	for _, w := range c.UnknownRules(known) {
		got = append(got, w.String())
	}
	want := []string{p + `:1: ignored: unknown rule "DL9999"`, p + `:3: enable: unknown rule "SD999"`, p + `:7: severity: unknown rule "DL0000"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAliasBomb keeps YAML alias expansion bounded with the two-step
// decoding Load does (node first, then the struct).
func TestAliasBomb(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".strata.yaml")
	var b strings.Builder
	b.WriteString("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n")
	for i := 'b'; i <= 'j'; i++ {
		fmt.Fprintf(&b, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("ignored: *j\n")
	write(t, p, b.String())
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("alias bomb: %v", err)
	}
}

// TestConfigNotARegularFile points the configuration at a FIFO, a device
// and a file past the size limit: each is refused at once with a message
// naming the file, not read forever or into memory.
func TestConfigNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# comment\n"), maxConfigSize/10+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "not a regular file", "/dev/zero": "not a regular file", big: "larger than"} {
		done := make(chan error, 1)
		go func() {
			_, err := Load(path)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v; want an error naming it and saying %q", path, err, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading", path)
		}
	}
}

// FuzzConfig parses arbitrary configuration files and asks for their
// warnings: never a panic, and every warning names the file.
func FuzzConfig(f *testing.F) {
	f.Add([]byte("ignored: [DL3008]\nfailure-threshold: warning\n"))
	f.Add([]byte("ignoredd:\n  - DL3008\noverride:\n  error: [DL3001]\nseverity:\n  DL3008: loud\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Add([]byte("trustedRegistries: [docker.io]\nlabel-schema:\n  author: text\nstrict-labels: true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(".strata.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), ".strata.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		ws := append(append([]Warning(nil), c.Warnings...), c.UnknownRules(func(id string) bool { return id == "DL3008" })...)
		for _, w := range ws {
			if !strings.Contains(w.String(), ".strata.yaml") {
				t.Fatalf("warning does not name the file: %s", w)
			}
		}
	})
}
