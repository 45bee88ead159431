package lsp

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/dockerfile"
)

// creatingClient can apply workspace edits that create files.
func creatingClient(t *testing.T) protocol.ClientCapabilities {
	return capabilities(t, `{"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}}}`)
}

// TestUnsafeActions: structural fixes come as refactorings, not
// preferred; one that adds a .dockerignore creates it through the
// workspace edit when the client can, and is not offered when it cannot.
func TestUnsafeActions(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "package.json", "{}\n")
	writeFile(t, dir, "index.js", "console.log(1)\n")
	if err := mkdirFile(dir, "node_modules/x/index.js"); err != nil {
		t.Fatal(err)
	}
	uri := fileURI(filepath.Join(dir, "Dockerfile"))
	src := "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n"

	c := startServer(t, Options{})
	c.initialize(creatingClient(t))
	c.open(uri, src)
	c.diagnosticsFor(uri, 1, nil)
	as := c.codeActions(uri, 2, 2)
	sd301 := findAction(t, as, "SD301 (changes the image): add a .dockerignore")
	if sd301.Kind == nil || *sd301.Kind != protocol.CodeActionKindRefactorRewrite || sd301.IsPreferred != nil {
		t.Errorf("SD301: kind %v, preferred %v; want a refactoring, not preferred", sd301.Kind, sd301.IsPreferred)
	}
	// glsp decodes documentChanges loosely (a creation reads as an empty
	// text edit), so the test reads the wire form.
	var raw []struct {
		Title string `json:"title"`
		Edit  struct {
			DocumentChanges []struct {
				Kind         string `json:"kind"`
				URI          string `json:"uri"`
				TextDocument struct {
					URI string `json:"uri"`
				} `json:"textDocument"`
				Edits []protocol.TextEdit `json:"edits"`
			} `json:"documentChanges"`
		} `json:"edit"`
	}
	c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range:        protocol.Range{Start: protocol.Position{Line: 2}, End: protocol.Position{Line: 2}},
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}},
	}, &raw)
	ignoreURI := fileURI(filepath.Join(dir, ".dockerignore"))
	found := false
	for _, a := range raw {
		if a.Title != sd301.Title {
			continue
		}
		found = true
		dc := a.Edit.DocumentChanges
		if len(dc) != 2 || dc[0].Kind != "create" || dc[0].URI != ignoreURI || dc[1].TextDocument.URI != ignoreURI ||
			len(dc[1].Edits) != 1 || !strings.Contains(dc[1].Edits[0].NewText, "node_modules") {
			t.Errorf("SD301's edit %+v: want the creation of .dockerignore and its content, leaving out node_modules", dc)
		}
	}
	if !found {
		t.Error("SD301's fix is missing from the raw answer")
	}
	sd202 := findAction(t, as, "SD202 (changes the image): ")
	after := applyEdit(t, src, uri, sd202.Edit)
	if _, err := dockerfile.Parse("Dockerfile", []byte(after)); err != nil || !strings.Contains(after, "COPY package.json") {
		t.Errorf("after SD202's fix (%v):\n%s", err, after)
	}
	if got := c.codeActions(uri, 2, 2, "quickfix"); len(got) == 0 || hasTitlePrefix(got, "SD301") {
		t.Errorf("only=quickfix gives %d actions, SD301 among them: %v", len(got), hasTitlePrefix(got, "SD301"))
	}

	// A client that cannot create files is not offered SD301's fix.
	c2 := startServer(t, Options{})
	c2.initialize(protocol.ClientCapabilities{})
	c2.open(uri, src)
	c2.diagnosticsFor(uri, 1, nil)
	as = c2.codeActions(uri, 2, 2)
	if hasTitlePrefix(as, "SD301 (changes") || !hasTitlePrefix(as, "SD202 (changes") || !hasTitlePrefix(as, "Ignore SD301") {
		t.Errorf("without file creation: %d actions, SD301's fix offered %v", len(as), hasTitlePrefix(as, "SD301 (changes"))
	}
	// Without resolve support, fix all comes with its edit.
	all := findAction(t, c2.codeActions(uri, 0, 0, "source"), fixAllTitle)
	if all.Edit == nil {
		t.Error("fix all without its edit for a client that does not resolve")
	}
}

func hasTitlePrefix(as []protocol.CodeAction, p string) bool {
	for _, a := range as {
		if strings.HasPrefix(a.Title, p) {
			return true
		}
	}
	return false
}

// TestIgnoreNextToPragmas: the ignore action extends a pragma already
// above the instruction, turns a hadolint pragma into strata's when the
// rule has no hadolint code, keeps indentation, and is not offered where
// a comment would end the parser directives.
func TestIgnoreNextToPragmas(t *testing.T) {
	c := startServer(t, Options{})
	c.initialize(protocol.ClientCapabilities{})
	uri := fileURI(filepath.Join(t.TempDir(), "Dockerfile"))
	src := "FROM alpine:3.20 as base\n# hadolint ignore=DL3018 # keep\nRUN apk add curl && cd /tmp\nONBUILD   RUN apk add git\n"
	c.open(uri, src)
	ds := c.diagnosticsFor(uri, 1, nil)
	if !has(ds, "DL3003") || !has(ds, "FromAsCasing") || !has(ds, "DL3018") {
		t.Fatalf("diagnostics %v", codes(ds))
	}
	got := applyEdit(t, src, uri, findAction(t, c.codeActions(uri, 2, 2), "Ignore DL3003").Edit)
	if !strings.Contains(got, "# hadolint ignore=DL3018,DL3003 # keep\nRUN") {
		t.Errorf("DL3003 added to the hadolint pragma:\n%s", got)
	}
	c.replaceAll(uri, 2, strings.Replace(src, "DL3018", "DL3003", 1))
	c.diagnosticsFor(uri, 2, nil)
	src = strings.Replace(src, "DL3018", "DL3003", 1)
	got = applyEdit(t, src, uri, findAction(t, c.codeActions(uri, 0, 0), "Ignore FromAsCasing").Edit)
	if !strings.HasPrefix(got, "# strata ignore=FromAsCasing\nFROM") {
		t.Errorf("FromAsCasing ignored:\n%s", got)
	}
	got = applyEdit(t, src, uri, findAction(t, c.codeActions(uri, 2, 2), "Ignore DL3018").Edit)
	if !strings.Contains(got, "# hadolint ignore=DL3003,DL3018 # keep\n") {
		t.Errorf("DL3018 ignored:\n%s", got)
	}
	// The result is what it claims: relinted, the findings are gone.
	c.replaceAll(uri, 3, got)
	if ds := c.diagnosticsFor(uri, 3, nil); has(ds, "DL3003") || !has(ds, "DL3018") {
		t.Errorf("after the pragma: %v (DL3018 stays on the ONBUILD line)", codes(ds))
	}

	src = "# syntax=docker/dockerfile:1\n# escape=\\\nFROM Alpine:3.20\n"
	c.replaceAll(uri, 4, src)
	c.diagnosticsFor(uri, 4, nil)
	checked := 0
	for _, a := range c.codeActions(uri, 0, 3) {
		if strings.HasPrefix(a.Title, "Ignore") {
			checked++
			if got := applyEdit(t, src, uri, a.Edit); !strings.HasPrefix(got, "# syntax=docker/dockerfile:1\n# escape=\\\n") {
				t.Errorf("%s breaks the directives:\n%s", a.Title, got)
			}
		}
	}
	if checked == 0 {
		t.Error("no ignore action on a file with directives")
	}
}

// TestBadInput: a request before initialize is refused with the
// protocol's code; bytes that are not the protocol end the session
// without a panic or a hang.
func TestBadInput(t *testing.T) {
	c := startServer(t, Options{})
	var res any
	err := c.conn.Call(context.Background(), protocol.MethodTextDocumentHover, protocol.HoverParams{}, &res)
	var je *jsonrpc2.Error
	if !asJSONRPCError(err, &je) || je.Code != codeServerNotInitialized {
		t.Errorf("hover before initialize: %v, want error %d", err, codeServerNotInitialized)
	}

	srv, cli := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(context.Background(), srv, Options{}) }()
	go func() {
		_, _ = cli.Write([]byte("Content-Length: 5\r\n\r\n{{{{{Content-Length: x\r\n\r\n"))
		_ = cli.Close()
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("the server hangs on garbage")
	}
}

func asJSONRPCError(err error, target **jsonrpc2.Error) bool {
	e, ok := err.(*jsonrpc2.Error)
	if ok {
		*target = e
	}
	return ok
}

// TestEditsDuringLint sends changes, code action and hover requests
// while lints and ShellCheck runs are in flight (run it with -race): the
// last version's diagnostics arrive, with ranges inside its text.
func TestEditsDuringLint(t *testing.T) {
	c := startServer(t, Options{Debounce: time.Millisecond, ShellDelay: time.Millisecond})
	c.initialize(resolvingClient(t))
	uri := fileURI(filepath.Join(t.TempDir(), "Dockerfile"))
	src := "FROM alpine:3.20\nRUN echo $HOME/$name && apk add curl\nCMD sh\n"
	c.open(uri, src)
	version := int32(1)
	for i := 0; i < 40; i++ {
		version++
		word := []string{"wget", "curl"}[i%2]
		c.change(uri, version, protocol.Range{Start: protocol.Position{Line: 1, Character: 33}, End: protocol.Position{Line: 1, Character: 37}}, word)
		c.codeActions(uri, 1, 2)
		c.hover(uri, 1, 5)
		if i%7 == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	ds := c.diagnosticsFor(uri, version, nil)
	if !has(ds, "DL3018") || !has(ds, "DL3025") {
		t.Errorf("last version: %v", codes(ds))
	}
	for _, d := range ds {
		if d.Range.End.Line > 2 {
			t.Errorf("%v ends past the text: %+v", d.Code, d.Range)
		}
	}
	if err := c.shutdown(); err != nil {
		t.Error(err)
	}
}
