package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
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
