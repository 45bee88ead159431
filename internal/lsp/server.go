// Package lsp is strata's language server: the Language Server Protocol
// over a byte stream (standard input and output for `strata lsp`), on
// tliron/glsp's protocol types and dispatch and sourcegraph/jsonrpc2's
// connection. It publishes the findings of every rule family for each
// open Dockerfile as it is edited (lint engine: internal/lint and
// internal/rules, with the settings of the file's folder), offers every
// fix as a code action (fix engine: internal/fix), an inline pragma to
// ignore a finding, and hover documentation for rules and base images.
//
// The server keeps no state between connections; a session holds the
// open documents of one client.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/lint"
)

// Defaults of Options.
const (
	// DefaultDebounce is how long a document must stay unchanged before
	// it is linted: enough to take a burst of changes (a paste, a
	// formatter) at once, short enough that diagnostics follow typing.
	DefaultDebounce = 20 * time.Millisecond
	// DefaultShellDelay is how long a document must stay unchanged
	// before ShellCheck runs on it.
	DefaultShellDelay = 400 * time.Millisecond
)

// Options configure a server.
type Options struct {
	// Version is the server version reported to the client.
	Version string
	// Request is the base of every lint: a configuration file that
	// overrides the search upwards from each document, rules to ignore
	// or enable. Its Paths and Stdin are not used.
	Request lint.Request
	// Debounce and ShellDelay: see DefaultDebounce, DefaultShellDelay.
	Debounce   time.Duration
	ShellDelay time.Duration
	// Inspect reads what the local Docker Engine knows of a base image,
	// for hover on FROM; nil leaves that out.
	Inspect Inspector
	// Log receives the server's own errors; nil discards them.
	Log io.Writer
}

// ErrNoShutdown is returned by Serve when the client sent exit without
// shutdown first: the protocol asks the server to exit with status 1.
var ErrNoShutdown = errors.New("the client sent exit before shutdown")

// Serve speaks the protocol on rwc until the client exits or the stream
// closes. It returns nil after shutdown and exit, ErrNoShutdown after an
// exit without shutdown, and ctx's error when ctx ends first.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.ShellDelay <= 0 {
		opts.ShellDelay = DefaultShellDelay
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	s := newSession(ctx, opts)
	h := s.handler()
	conn := jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rwc, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(func(ctx context.Context, c *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			return s.dispatch(ctx, c, req, h)
		}), jsonrpc2.SetLogger(logger{opts.Log}))
	s.mu.Lock()
	if s.conn == nil {
		s.conn = conn
	}
	s.mu.Unlock()
	select {
	case <-conn.DisconnectNotify():
	case <-ctx.Done():
		conn.Close()
		<-conn.DisconnectNotify()
	}
	s.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil && !s.exited {
		return err
	}
	if s.exited && !s.shutdown {
		return ErrNoShutdown
	}
	return nil
}

// codeServerNotInitialized is the protocol's error for a request that
// comes before initialize.
const codeServerNotInitialized = -32002

// logger adapts the log writer to jsonrpc2's logger.
type logger struct{ w io.Writer }

func (l logger) Printf(format string, v ...any) { fmt.Fprintf(l.w, format, v...) }

// session is one client's connection and open documents.
type session struct {
	// ctx ends with the session; cancel ends it.
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options

	mu   sync.Mutex
	conn *jsonrpc2.Conn
	docs map[string]*document
	// caps are what the client said it supports.
	caps protocol.ClientCapabilities
	// shutdown and exited record the end of the session.
	shutdown, exited bool
	// bases caches what the Engine knows of base images.
	bases map[string]baseEntry
	// wg counts the lint runs in flight.
	wg sync.WaitGroup

	// pubMu orders publications so that an older version's diagnostics
	// never arrive after a newer one's.
	pubMu sync.Mutex
}

func newSession(ctx context.Context, opts Options) *session {
	ctx, cancel := context.WithCancel(ctx)
	return &session{ctx: ctx, cancel: cancel, opts: opts, docs: map[string]*document{}, bases: map[string]baseEntry{}}
}

// dispatch handles one message: exit closes the connection; everything
// else goes to glsp's dispatch.
func (s *session) dispatch(ctx context.Context, c *jsonrpc2.Conn, req *jsonrpc2.Request, h *protocol.Handler) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.logf("%s failed: %v", req.Method, v)
			result, err = nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("strata failed on %s: %v", req.Method, v)}
		}
	}()
	s.mu.Lock()
	if s.conn == nil {
		s.conn = c // the first message can come before Serve records it
	}
	s.mu.Unlock()
	if !h.IsInitialized() && req.Method != protocol.MethodInitialize && req.Method != protocol.MethodExit {
		return nil, &jsonrpc2.Error{Code: codeServerNotInitialized, Message: "the server is not initialized: send initialize first"}
	}
	if req.Method == protocol.MethodExit {
		s.mu.Lock()
		s.exited = true
		s.mu.Unlock()
		return nil, c.Close()
	}
	gctx := &glsp.Context{
		Method: req.Method,
		Notify: func(method string, params any) { s.notify(method, params) },
		Call: func(method string, params any, result any) {
			s.logf("strata lsp does not call the client (%s)", method)
		},
	}
	if req.Params != nil {
		gctx.Params = *req.Params
	}
	r, validMethod, validParams, err := h.Handle(gctx)
	switch {
	case !validMethod:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	case !validParams:
		msg := "invalid parameters for " + req.Method
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: msg}
	case err != nil:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
	}
	return r, nil
}

// handler is glsp's dispatch table, one per session.
func (s *session) handler() *protocol.Handler {
	return &protocol.Handler{
		Initialize:  s.initialize,
		Initialized: func(*glsp.Context, *protocol.InitializedParams) error { return nil },
		Shutdown: func(*glsp.Context) error {
			s.mu.Lock()
			s.shutdown = true
			s.mu.Unlock()
			return nil
		},
		SetTrace:                       func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		CancelRequest:                  func(*glsp.Context, *protocol.CancelParams) error { return nil },
		TextDocumentDidOpen:            s.didOpen,
		TextDocumentDidChange:          s.didChange,
		TextDocumentDidClose:           s.didClose,
		TextDocumentDidSave:            s.didSave,
		WorkspaceDidChangeWatchedFiles: s.didChangeWatchedFiles,
		WorkspaceDidChangeConfiguration: func(*glsp.Context, *protocol.DidChangeConfigurationParams) error {
			s.relintAll()
			return nil
		},
		TextDocumentCodeAction: s.codeAction,
		CodeActionResolve:      s.resolveCodeAction,
		TextDocumentHover:      s.hover,
	}
}

func (s *session) initialize(_ *glsp.Context, p *protocol.InitializeParams) (any, error) {
	s.mu.Lock()
	s.caps = p.Capabilities
	s.mu.Unlock()
	change := protocol.TextDocumentSyncKindIncremental
	yes := true
	version := s.opts.Version
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: &yes, Change: &change, Save: &protocol.SaveOptions{},
			},
			HoverProvider: true,
			CodeActionProvider: protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindRefactorRewrite, kindFixAll},
				ResolveProvider: &yes,
			},
		},
		ServerInfo: &protocol.InitializeResultServerInfo{Name: "strata", Version: &version},
	}, nil
}

// notify sends a notification; a closed connection drops it.
func (s *session) notify(method string, params any) {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c == nil {
		return
	}
	if err := c.Notify(s.ctx, method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		s.logf("sending %s: %v", method, err)
	}
}

func (s *session) logf(format string, args ...any) {
	fmt.Fprintf(s.opts.Log, "strata lsp: "+format+"\n", args...)
}

// stop ends the session's background work and waits for it.
func (s *session) stop() {
	s.mu.Lock()
	s.cancel()
	for _, d := range s.docs {
		d.cancelWork()
	}
	s.docs = map[string]*document{}
	s.mu.Unlock()
	s.wg.Wait()
}

// decode re-reads a value glsp decoded loosely (an any) into v.
func decode(from any, v any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
