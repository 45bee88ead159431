package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

const sample = `FROM debian:bookworm
MAINTAINER someone@example.com
ADD app.py /app/
RUN apt-get update && apt-get install -y curl
CMD python /app/app.py
`

// resolvingClient is a client that resolves code actions' edits lazily,
// as VS Code and Neovim do.
func resolvingClient(t *testing.T) protocol.ClientCapabilities {
	return capabilities(t, `{"textDocument": {"codeAction": {"dataSupport": true, "resolveSupport": {"properties": ["edit"]}}}}`)
}

// capabilities decodes client capabilities written as JSON.
func capabilities(t *testing.T, js string) protocol.ClientCapabilities {
	t.Helper()
	var caps protocol.ClientCapabilities
	if err := json.Unmarshal([]byte(js), &caps); err != nil {
		t.Fatal(err)
	}
	return caps
}

// TestProtocol drives a session over a pipe the way an editor does:
// initialize, didOpen, didChange, codeAction (a fix, the ignore pragma,
// fix all), hover, shutdown and exit; every step checks what comes back.
func TestProtocol(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "app.py", "print('hi')\n")
	// The file on disk is not what the editor holds: the server lints
	// the unsaved text.
	path := writeFile(t, dir, "Dockerfile", "FROM scratch\n")
	uri := fileURI(path)
	c := startServer(t, Options{Version: "test"})
	init := c.initialize(resolvingClient(t))
	if init.ServerInfo == nil || init.ServerInfo.Name != "strata" {
		t.Errorf("serverInfo = %+v", init.ServerInfo)
	}
	if init.Capabilities.HoverProvider != true {
		t.Errorf("hoverProvider = %v", init.Capabilities.HoverProvider)
	}
	var sync protocol.TextDocumentSyncOptions
	if err := decode(init.Capabilities.TextDocumentSync, &sync); err != nil || sync.Change == nil || *sync.Change != protocol.TextDocumentSyncKindIncremental {
		t.Errorf("textDocumentSync = %+v (%v), want incremental", init.Capabilities.TextDocumentSync, err)
	}

	c.open(uri, sample)
	ds := c.diagnosticsFor(uri, 1, nil)
	for _, want := range []struct {
		code string
		line uint32
		sev  protocol.DiagnosticSeverity
	}{
		{"DL4000", 1, protocol.DiagnosticSeverityError},
		{"DL3020", 2, protocol.DiagnosticSeverityError},
		{"DL3008", 3, protocol.DiagnosticSeverityWarning},
		{"DL3015", 3, protocol.DiagnosticSeverityInformation},
		{"DL3025", 4, protocol.DiagnosticSeverityWarning},
		{"SD101", 0, protocol.DiagnosticSeverityWarning},
	} {
		d := diagnosticByCode(t, ds, want.code)
		if d.Range.Start.Line != want.line || *d.Severity != want.sev {
			t.Errorf("%s: line %d severity %d, want line %d severity %d", want.code, d.Range.Start.Line, *d.Severity, want.line, want.sev)
		}
		if d.CodeDescription == nil || !strings.HasSuffix(d.CodeDescription.HRef, "/internal/rules/"+strings.ToLower(want.code)+".go") {
			t.Errorf("%s: codeDescription = %+v", want.code, d.CodeDescription)
		}
		if d.Source == nil || *d.Source != "strata" || d.Message == "" {
			t.Errorf("%s: source %v, message %q", want.code, d.Source, d.Message)
		}
	}
	if d := diagnosticByCode(t, ds, "DL4000"); len(d.Tags) != 1 || d.Tags[0] != protocol.DiagnosticTagDeprecated {
		t.Errorf("DL4000 tags = %v, want deprecated", d.Tags)
	}
	if r := diagnosticByCode(t, ds, "DL3008").Range; r.Start.Character != 0 || r.End.Line != 3 || r.End.Character != uint32(len("RUN apt-get update && apt-get install -y curl")) {
		t.Errorf("DL3008 range = %+v, want the whole RUN line", r)
	}

	// An incremental change: ADD becomes COPY.
	c.change(uri, 2, protocol.Range{Start: protocol.Position{Line: 2}, End: protocol.Position{Line: 2, Character: 3}}, "COPY")
	ds = c.diagnosticsFor(uri, 2, nil)
	if has(ds, "DL3020") || !has(ds, "DL4000") {
		t.Errorf("after ADD→COPY: %v, want DL4000 and no DL3020", codes(ds))
	}
	text := strings.Replace(sample, "ADD", "COPY", 1)

	// The fix of DL4000, as the fix engine writes it.
	as := c.codeActions(uri, 1, 1)
	fa := findAction(t, as, "DL4000: ")
	if fa.Kind == nil || *fa.Kind != protocol.CodeActionKindQuickFix || fa.IsPreferred == nil || !*fa.IsPreferred {
		t.Errorf("DL4000's fix: kind %v preferred %v, want a preferred quickfix", fa.Kind, fa.IsPreferred)
	}
	fixed := applyEdit(t, text, uri, fa.Edit)
	if !strings.Contains(fixed, `LABEL org.opencontainers.image.authors="someone@example.com"`) || strings.Contains(fixed, "MAINTAINER") {
		t.Errorf("after DL4000's fix:\n%s", fixed)
	}

	// Ignoring DL4000 inserts the pragma; the finding goes away.
	ig := findAction(t, as, "Ignore DL4000 on this line")
	ignored := applyEdit(t, text, uri, ig.Edit)
	if !strings.Contains(ignored, "# strata ignore=DL4000\nMAINTAINER") {
		t.Errorf("after ignoring DL4000:\n%s", ignored)
	}
	c.replaceAll(uri, 3, ignored)
	ds = c.diagnosticsFor(uri, 3, nil)
	if has(ds, "DL4000") {
		t.Errorf("DL4000 is still reported after the pragma: %v", codes(ds))
	}
	// Hover on the rule named in the pragma explains it.
	if h := c.hover(uri, 1, len("# strata ignore=DL")); !strings.Contains(h, "DL4000") || !strings.Contains(h, "Instead of:") || !strings.Contains(h, "Documentation") {
		t.Errorf("hover on DL4000 in the pragma:\n%s", h)
	}
	// A second rule on the same instruction joins the same pragma.
	as = c.codeActions(uri, 4, 4)
	ignored2 := applyEdit(t, ignored, uri, findAction(t, as, "Ignore DL3008 on this line").Edit)
	if !strings.Contains(ignored2, "# strata ignore=DL3008\nRUN") {
		t.Errorf("after ignoring DL3008:\n%s", ignored2)
	}

	// Fix all: resolved lazily, the same text as the fix engine's.
	all := findAction(t, c.codeActions(uri, 0, 0, "source.fixAll"), fixAllTitle)
	if all.Edit != nil {
		t.Error("fix-all came resolved although the client resolves edits")
	}
	var resolved protocol.CodeAction
	c.call(protocol.MethodCodeActionResolve, all, &resolved)
	got := applyEdit(t, ignored, uri, resolved.Edit)
	if want := fixEngine(t, path, ignored); got != want {
		t.Errorf("fix all gives:\n%s\nthe fix engine gives:\n%s", got, want)
	}
	if strings.Contains(got, "CMD python") || !strings.Contains(got, "--no-install-recommends") {
		t.Errorf("fix all left safe fixes out:\n%s", got)
	}

	// Hover on a flagged range and on FROM.
	if h := c.hover(uri, 5, 2); !strings.Contains(h, "DL3025") || !strings.Contains(h, "Write:") {
		t.Errorf("hover on CMD:\n%s", h)
	}
	if h := c.hover(uri, 0, 6); !strings.Contains(h, "official image") || !strings.Contains(h, "Tag `bookworm`") || !strings.Contains(h, "SD101") {
		t.Errorf("hover on FROM:\n%s", h)
	}

	if err := c.shutdown(); err != nil {
		t.Errorf("Serve after shutdown and exit: %v", err)
	}
}

// fixEngine is what strata fix writes for src.
func fixEngine(t *testing.T, path, src string) string {
	t.Helper()
	set, err := lint.SettingsFor(path, lint.Request{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fix.File(context.Background(), path, []byte(src), fix.Options{Lint: set.Options, Context: set.Context})
	if err != nil {
		t.Fatal(err)
	}
	return string(res.Fixed)
}

func diagnosticByCode(t *testing.T, ds []protocol.Diagnostic, code string) protocol.Diagnostic {
	t.Helper()
	for _, d := range ds {
		if d.Code != nil && d.Code.Value == code {
			return d
		}
	}
	t.Fatalf("no %s among %v", code, codes(ds))
	return protocol.Diagnostic{}
}

// TestFolderSettings checks that a document is linted with its folder's
// configuration file and build context, and that saving lints it again.
func TestFolderSettings(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "secret.env", "TOKEN=x\n")
	writeFile(t, dir, ".dockerignore", "*.env\n")
	path := filepath.Join(dir, "Dockerfile")
	uri := fileURI(path)
	c := startServer(t, Options{})
	c.initialize(protocol.ClientCapabilities{})
	src := "FROM alpine:3.20\nCOPY secret.env /etc/\nRUN apk add curl\n"
	c.open(uri, src)
	ds := c.diagnosticsFor(uri, 1, nil)
	if !has(ds, "CopyIgnoredFile") || !has(ds, "DL3018") {
		t.Fatalf("diagnostics %v, want CopyIgnoredFile (from .dockerignore) and DL3018", codes(ds))
	}
	writeFile(t, dir, ".hadolint.yaml", "ignored: [DL3018]\n")
	c.notify(protocol.MethodTextDocumentDidSave, protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: fileURI(filepath.Join(dir, ".hadolint.yaml"))}})
	ds = c.diagnosticsFor(uri, 1, func(ds []protocol.Diagnostic) bool { return !has(ds, "DL3018") })
	if !has(ds, "CopyIgnoredFile") {
		t.Errorf("after .hadolint.yaml: %v", codes(ds))
	}
	// A bad configuration file is reported on the document.
	writeFile(t, dir, ".strata.yaml", "failure-threshold: loud\n")
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: fileURI(filepath.Join(dir, ".strata.yaml")), Type: 2}}})
	ds = c.diagnosticsFor(uri, 1, func(ds []protocol.Diagnostic) bool { return len(ds) == 1 && ds[0].Code == nil })
	if !strings.Contains(ds[0].Message, ".strata.yaml") {
		t.Errorf("configuration error: %q, want it to name .strata.yaml", ds[0].Message)
	}
}

// TestParseError shows a Dockerfile that does not parse as one error on
// the line the parser names, and no code action.
func TestParseError(t *testing.T) {
	c := startServer(t, Options{})
	c.initialize(protocol.ClientCapabilities{})
	uri := "untitled:Untitled-1"
	c.open(uri, "FROM alpine\nRUN echo \\\n\nCOPY --chmod=bad a b\nCMD [\"a\"\n")
	ds := c.diagnosticsFor(uri, 1, nil)
	if len(ds) == 0 {
		t.Fatal("no diagnostics")
	}
	c.replaceAll(uri, 2, "\n\n")
	ds = c.diagnosticsFor(uri, 2, nil)
	if len(ds) != 1 || *ds[0].Severity != protocol.DiagnosticSeverityError || !strings.Contains(ds[0].Message, "empty") {
		t.Errorf("empty file: %+v", ds)
	}
	if as := c.codeActions(uri, 0, 1); len(as) != 0 {
		t.Errorf("actions on a file that does not parse: %+v", as)
	}
}

// TestShellCheckPhase checks that ShellCheck's findings arrive after the
// quick ones and follow edits elsewhere without running ShellCheck again.
func TestShellCheckPhase(t *testing.T) {
	needShellCheck(t)
	c := startServer(t, Options{})
	c.initialize(protocol.ClientCapabilities{})
	dir := t.TempDir()
	uri := fileURI(filepath.Join(dir, "Dockerfile"))
	c.open(uri, "FROM alpine:3.20\nRUN echo $HOME/$name\n")
	ds := c.diagnosticsFor(uri, 1, func(ds []protocol.Diagnostic) bool { return has(ds, "SC2086") })
	if d := diagnosticByCode(t, ds, "SC2086"); d.Range.Start.Line != 1 || d.Range.Start.Character != 9 || !strings.Contains(d.CodeDescription.HRef, "shellcheck.net/wiki/SC2086") {
		t.Errorf("SC2086 at %+v, link %+v", d.Range.Start, d.CodeDescription)
	}
	// Two lines above the RUN: its findings move with it at once.
	c.change(uri, 2, protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1}}, "LABEL a=b\nLABEL c=d\n")
	ds = c.diagnosticsFor(uri, 2, nil)
	if d := diagnosticByCode(t, ds, "SC2086"); d.Range.Start.Line != 3 {
		t.Errorf("SC2086 after the insertion at line %d, want 3", d.Range.Start.Line)
	}
	// Editing the RUN drops its findings until ShellCheck runs again.
	c.change(uri, 3, protocol.Range{Start: protocol.Position{Line: 3, Character: 9}, End: protocol.Position{Line: 3, Character: 20}}, `"$HOME"`)
	ds = c.diagnosticsFor(uri, 3, nil)
	if has(ds, "SC2086") {
		t.Errorf("SC2086 kept on an edited RUN: %v", codes(ds))
	}
	// A configuration saved later applies to ShellCheck's codes too.
	c.replaceAll(uri, 4, "FROM alpine:3.20\nRUN echo $HOME/$name\n")
	c.diagnosticsFor(uri, 4, func(ds []protocol.Diagnostic) bool { return has(ds, "SC2086") && has(ds, "SC2154") })
	writeFile(t, dir, ".hadolint.yaml", "ignored: [SC2086]\n")
	c.notify(protocol.MethodTextDocumentDidSave, protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
	c.diagnosticsFor(uri, 4, func(ds []protocol.Diagnostic) bool { return !has(ds, "SC2086") && has(ds, "SC2154") })
	if err := c.shutdown(); err != nil {
		t.Error(err)
	}
}

// TestExitWithoutShutdown: the protocol's exit status 1 case.
func TestExitWithoutShutdown(t *testing.T) {
	c := startServer(t, Options{})
	c.initialize(protocol.ClientCapabilities{})
	c.notify(protocol.MethodExit, nil)
	if err := <-c.done; !errors.Is(err, ErrNoShutdown) {
		t.Errorf("Serve = %v, want ErrNoShutdown", err)
	}
	c.done <- nil
}

// TestRuleNames checks the words hover takes for rule names.
func TestRuleNames(t *testing.T) {
	for w, want := range map[string]string{"DL3008": "DL3008", "dl3008": "DL3008", "JSONArgsRecommended": "JSONArgsRecommended",
		"SC2086": "SC2086", "FROM": "", "Dockerfile": "", "copy": ""} {
		got := ""
		if r := ruleNamed(w); r != nil {
			got = r.ID
		}
		if got != want {
			t.Errorf("ruleNamed(%q) = %q, want %q", w, got, want)
		}
	}
	// BuildKit's check is a rule of its own, the twin of hadolint's DL3025.
	if r := rules.Lookup(rules.All(), "JSONArgsRecommended"); r == nil || !slices.Contains(r.Twins, "DL3025") {
		t.Fatal("JSONArgsRecommended is no longer DL3025's twin; fix the test")
	}
}
