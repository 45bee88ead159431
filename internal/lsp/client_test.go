package lsp

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// testClient is the client side of a server started on a pipe: it
// speaks the protocol through jsonrpc2 and queues the diagnostics the
// server publishes.
type testClient struct {
	t     testing.TB
	conn  *jsonrpc2.Conn
	diags chan protocol.PublishDiagnosticsParams
	done  chan error
}

// wait bounds every wait for the server, far above what any step needs.
const wait = 60 * time.Second

// startServer serves a session on one end of a pipe and connects a
// client to the other.
func startServer(t testing.TB, opts Options) *testClient {
	t.Helper()
	srv, cli := net.Pipe()
	c := &testClient{t: t, diags: make(chan protocol.PublishDiagnosticsParams, 1000), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { c.done <- Serve(ctx, srv, opts) }()
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(cli, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			if req.Method == protocol.ServerTextDocumentPublishDiagnostics && req.Params != nil {
				p, err := decodeDiagnostics(*req.Params)
				if err != nil {
					t.Errorf("publishDiagnostics: %v", err)
				}
				c.diags <- p
			}
			return nil, nil
		}))
	t.Cleanup(func() {
		cancel()
		c.conn.Close()
		select {
		case <-c.done:
		case <-time.After(wait):
			t.Error("the server did not stop")
		}
	})
	return c
}

// decodeDiagnostics decodes published diagnostics. glsp's
// IntegerOrString cannot decode (its UnmarshalJSON has a value
// receiver), so the codes are read into a field of their own.
func decodeDiagnostics(raw []byte) (protocol.PublishDiagnosticsParams, error) {
	var wire struct {
		URI         string             `json:"uri"`
		Version     *protocol.UInteger `json:"version"`
		Diagnostics []struct {
			protocol.Diagnostic
			Code any `json:"code"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(raw, &wire); err != nil {
		return protocol.PublishDiagnosticsParams{}, err
	}
	p := protocol.PublishDiagnosticsParams{URI: wire.URI, Version: wire.Version, Diagnostics: make([]protocol.Diagnostic, len(wire.Diagnostics))}
	for i, d := range wire.Diagnostics {
		p.Diagnostics[i] = d.Diagnostic
		p.Diagnostics[i].Code = nil
		if d.Code != nil {
			p.Diagnostics[i].Code = &protocol.IntegerOrString{Value: d.Code}
		}
	}
	return p, nil
}

// call sends a request and decodes its result into result.
func (c *testClient) call(method string, params, result any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := c.conn.Call(ctx, method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// initialize runs the handshake with the given client capabilities.
func (c *testClient) initialize(caps protocol.ClientCapabilities) protocol.InitializeResult {
	c.t.Helper()
	var res protocol.InitializeResult
	c.call(protocol.MethodInitialize, protocol.InitializeParams{Capabilities: caps}, &res)
	c.notify(protocol.MethodInitialized, protocol.InitializedParams{})
	return res
}

// diagnosticsFor waits for the diagnostics of version of uri for which
// ok holds (nil: any), dropping older publications.
func (c *testClient) diagnosticsFor(uri string, version int32, ok func([]protocol.Diagnostic) bool) []protocol.Diagnostic {
	c.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case p := <-c.diags:
			if p.URI != uri || p.Version == nil || int32(*p.Version) != version {
				continue
			}
			if ok == nil || ok(p.Diagnostics) {
				return p.Diagnostics
			}
		case <-deadline:
			c.t.Fatalf("no diagnostics for %s version %d within %v", uri, version, wait)
			return nil
		}
	}
}

func (c *testClient) open(uri, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidOpen, protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: uri, LanguageID: "dockerfile", Version: 1, Text: text}})
}

// change sends one incremental change.
func (c *testClient) change(uri string, version int32, r protocol.Range, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: version},
		ContentChanges: []any{protocol.TextDocumentContentChangeEvent{Range: &r, Text: text}},
	})
}

// replaceAll sends the whole new text.
func (c *testClient) replaceAll(uri string, version int32, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidChange, protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: version},
		ContentChanges: []any{protocol.TextDocumentContentChangeEventWhole{Text: text}},
	})
}

// codeActions asks for the actions on the lines first..last (0-based).
func (c *testClient) codeActions(uri string, first, last int, only ...string) []protocol.CodeAction {
	c.t.Helper()
	var out []protocol.CodeAction
	c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range:        protocol.Range{Start: protocol.Position{Line: uint32(first)}, End: protocol.Position{Line: uint32(last), Character: 200}},
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, Only: only},
	}, &out)
	return out
}

func (c *testClient) hover(uri string, line, char int) string {
	c.t.Helper()
	var h *struct {
		Contents protocol.MarkupContent `json:"contents"`
	}
	c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: uint32(line), Character: uint32(char)}}}, &h)
	if h == nil {
		return ""
	}
	return h.Contents.Value
}

// shutdown ends the session the way a client does and returns Serve's
// result.
func (c *testClient) shutdown() error {
	c.t.Helper()
	c.call(protocol.MethodShutdown, nil, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case err := <-c.done:
		c.done <- err
		return err
	case <-time.After(wait):
		c.t.Fatal("the server did not exit")
		return nil
	}
}

// applyEdit applies a code action's edit of uri to text, as a client
// does: every edit against the original text.
func applyEdit(t testing.TB, text, uri string, we *protocol.WorkspaceEdit) string {
	t.Helper()
	if we == nil {
		t.Fatal("the action has no edit")
	}
	edits := we.Changes[uri]
	for _, dc := range we.DocumentChanges {
		var tde protocol.TextDocumentEdit
		if err := decode(dc, &tde); err == nil && tde.TextDocument.URI == uri {
			for _, e := range tde.Edits {
				var te protocol.TextEdit
				if err := decode(e, &te); err != nil {
					t.Fatal(err)
				}
				edits = append(edits, te)
			}
		}
	}
	if len(edits) == 0 {
		t.Fatalf("the edit changes nothing in %s: %+v", uri, we)
	}
	// Apply from the end so that earlier ranges stay valid.
	tx := newText(text)
	slices.SortFunc(edits, func(a, b protocol.TextEdit) int { return tx.offset(b.Range.Start) - tx.offset(a.Range.Start) })
	out := text
	for _, e := range edits {
		from, to := tx.offset(e.Range.Start), tx.offset(e.Range.End)
		out = out[:from] + e.NewText + out[to:]
	}
	return out
}

// codes lists the diagnostics' rule IDs.
func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		if d.Code != nil {
			out = append(out, d.Code.Value.(string))
		}
	}
	return out
}

func has(ds []protocol.Diagnostic, code string) bool { return slices.Contains(codes(ds), code) }

// findAction returns the action whose title starts with prefix.
func findAction(t testing.TB, as []protocol.CodeAction, prefix string) protocol.CodeAction {
	t.Helper()
	var titles []string
	for _, a := range as {
		if strings.HasPrefix(a.Title, prefix) {
			return a
		}
		titles = append(titles, strconv.Quote(a.Title))
	}
	t.Fatalf("no action %q among %s", prefix, strings.Join(titles, ", "))
	return protocol.CodeAction{}
}

// writeFile writes a file of the test's folder.
func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// needShellCheck fails on CI and skips elsewhere when shellcheck is
// missing.
func needShellCheck(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("shellcheck"); err == nil {
		return
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal("shellcheck is missing on CI; scripts/test-env.sh install adds it")
	}
	t.Skip("shellcheck is not installed (scripts/test-env.sh install adds it)")
}

// mkdirFile writes an empty-ish file at the slash path rel under dir,
// making its folders.
func mkdirFile(dir, rel string) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte("x\n"), 0o644)
}
