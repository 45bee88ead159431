package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lint"
)

// neovimResult is what testdata/lsp_neovim.lua reports.
type neovimResult struct {
	OK          bool   `json:"ok"`
	Error       string `json:"error"`
	Diagnostics []struct {
		Code     string `json:"code"`
		Lnum     int    `json:"lnum"`
		Severity int    `json:"severity"`
		Source   string `json:"source"`
		Message  string `json:"message"`
	} `json:"diagnostics"`
	FixKind             string            `json:"fix_kind"`
	AfterFix            string            `json:"after_fix"`
	DiagnosticsAfterFix []json.RawMessage `json:"diagnostics_after_fix"`
	HoverFrom           string            `json:"hover_from"`
	Resolved            bool              `json:"resolved"`
	AfterFixAll         string            `json:"after_fix_all"`
	Stopped             bool              `json:"stopped"`
}

// TestNeovimClient runs `strata lsp` under a real editor: Neovim,
// headless, with its built-in LSP client, and checks the diagnostics it
// shows and the text after it applied a quick fix and "fix all".
func TestNeovimClient(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatal("nvim is missing on CI; scripts/test-env.sh install adds Debian's neovim")
		}
		t.Skip("nvim is not installed (scripts/test-env.sh install adds Debian's neovim)")
	}
	if testing.Short() {
		t.Skip("builds strata and runs Neovim")
	}
	bin := strataBinary(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte("print('hi')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dockerfile := filepath.Join(dir, "Dockerfile")
	src := "FROM debian:bookworm\nMAINTAINER someone@example.com\nADD app.py /app/\nRUN apt-get update && apt-get install -y curl\nCMD python /app/app.py\n"
	if err := os.WriteFile(dockerfile, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/lsp_neovim.lua")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "result.json")
	home := t.TempDir() // Neovim's log, state and data stay in the test's folders
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-i", "NONE", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "STRATA_BIN="+bin, "STRATA_DOCKERFILE="+dockerfile, "STRATA_RESULT="+out,
		"HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "XDG_STATE_HOME="+home, "XDG_CACHE_HOME="+home)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("Neovim wrote no result: %v", err)
	}
	var r neovimResult
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("result %s: %v", data, err)
	}
	if !r.OK {
		t.Fatalf("the Neovim script failed: %s\n%s", r.Error, data)
	}

	// Diagnostics as Neovim holds them: code, 0-based line, severity
	// (1 error, 2 warning, 3 info, 4 hint), source.
	want := map[string][2]int{"DL4000": {1, 1}, "DL3020": {2, 1}, "DL3008": {3, 2}, "DL3015": {3, 3}, "DL3025": {4, 2}, "SD101": {0, 2}}
	for _, d := range r.Diagnostics {
		if w, ok := want[d.Code]; ok {
			if d.Lnum != w[0] || d.Severity != w[1] || d.Source != "strata" || d.Message == "" {
				t.Errorf("%s: line %d severity %d source %q message %q, want line %d severity %d from strata", d.Code, d.Lnum, d.Severity, d.Source, d.Message, w[0], w[1])
			}
			delete(want, d.Code)
		}
	}
	if len(want) > 0 {
		t.Errorf("Neovim did not show %v; it showed %+v", want, r.Diagnostics)
	}

	if r.FixKind != "quickfix" {
		t.Errorf("DL4000's fix is a %q action, want quickfix", r.FixKind)
	}
	wantFix := strings.Replace(src, "MAINTAINER someone@example.com", `LABEL org.opencontainers.image.authors="someone@example.com"`, 1)
	if r.AfterFix+"\n" != wantFix {
		t.Errorf("after DL4000's fix Neovim holds:\n%s\nwant:\n%s", r.AfterFix, wantFix)
	}
	if !strings.Contains(r.HoverFrom, "debian") || !strings.Contains(r.HoverFrom, "official image") {
		t.Errorf("hover on FROM:\n%s", r.HoverFrom)
	}
	if !r.Resolved {
		t.Error("fix all came with its edit although Neovim resolves edits")
	}
	set, err := lint.SettingsFor(dockerfile, lint.Request{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fix.File(t.Context(), dockerfile, []byte(wantFix), fix.Options{Lint: set.Options, Context: set.Context})
	if err != nil {
		t.Fatal(err)
	}
	if r.AfterFixAll+"\n" != string(res.Fixed) {
		t.Errorf("after fix all Neovim holds:\n%s\nstrata fix writes:\n%s", r.AfterFixAll, res.Fixed)
	}
	if !strings.Contains(r.AfterFixAll, `CMD ["python", "/app/app.py"]`) || !strings.Contains(r.AfterFixAll, "COPY app.py") {
		t.Errorf("fix all left safe fixes out:\n%s", r.AfterFixAll)
	}
	if !r.Stopped {
		t.Error("the server did not stop when Neovim asked")
	}
}
