package lsp

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
)

// document is one open document: its current text, the latest analysis
// and the lint runs scheduled for it. Fields are guarded by session.mu.
type document struct {
	uri     string
	path    string // file path, "-" for a document that is no file
	version int32
	text    *text

	// latest is the newest analysis; it may be of an older version
	// while a lint is pending.
	latest *analysis
	// shell is ShellCheck's last result.
	shell *shellResult
	// fixAll caches the edit of "fix all" for the analysis it was
	// computed on.
	fixAll   *protocol.WorkspaceEdit
	fixAllOf *analysis

	// stopFast and stopSlow cancel the pending lint and ShellCheck
	// runs; cancel stops the lint in progress.
	stopFast, stopSlow func()
	cancel             context.CancelFunc
}

// cancelWork stops the document's pending and running lints.
func (d *document) cancelWork() {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
	for _, stop := range []*func(){&d.stopFast, &d.stopSlow} {
		if *stop != nil {
			(*stop)()
			*stop = nil
		}
	}
}

// uriPath returns the file path of a file: URI, or "-" for any other
// (an unsaved buffer), which is linted with the settings of the
// server's working directory.
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "-"
	}
	return filepath.FromSlash(u.Path)
}

// fileURI returns the file: URI of an absolute path.
func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func (s *session) didOpen(_ *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	d := &document{uri: p.TextDocument.URI, path: uriPath(p.TextDocument.URI), version: p.TextDocument.Version, text: newText(p.TextDocument.Text)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.docs[d.uri]; old != nil {
		old.cancelWork()
	}
	s.docs[d.uri] = d
	s.schedule(d, 0)
	return nil
}

func (s *session) didChange(_ *glsp.Context, p *protocol.DidChangeTextDocumentParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		s.logf("change to %s, which is not open", p.TextDocument.URI)
		return nil
	}
	t := d.text
	for _, c := range p.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEvent:
			next, err := t.edit(*c.Range, c.Text)
			if err != nil {
				return err
			}
			t = next
		case protocol.TextDocumentContentChangeEventWhole:
			t = newText(c.Text)
		}
	}
	d.text, d.version = t, p.TextDocument.Version
	s.schedule(d, s.opts.Debounce)
	return nil
}

func (s *session) didClose(_ *glsp.Context, p *protocol.DidCloseTextDocumentParams) error {
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	if d != nil {
		d.cancelWork()
		delete(s.docs, d.uri)
	}
	s.mu.Unlock()
	if d != nil {
		s.pubMu.Lock()
		s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}})
		s.pubMu.Unlock()
	}
	return nil
}

// didSave lints every open document again: the saved file may be a
// configuration file or a file of a build context.
func (s *session) didSave(_ *glsp.Context, p *protocol.DidSaveTextDocumentParams) error {
	s.relintAll()
	return nil
}

func (s *session) didChangeWatchedFiles(_ *glsp.Context, p *protocol.DidChangeWatchedFilesParams) error {
	for _, c := range p.Changes {
		base := filepath.Base(uriPath(c.URI))
		if strings.HasPrefix(base, ".strata.") || strings.HasPrefix(base, ".hadolint.") || strings.HasSuffix(base, "ignore") {
			s.relintAll()
			return nil
		}
	}
	return nil
}

// relintAll lints every open document again, ShellCheck included.
func (s *session) relintAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		// ShellCheck's findings stay on screen, marked stale so that it
		// runs again with the new settings.
		if d.shell != nil {
			d.shell = &shellResult{file: d.shell.file, diags: d.shell.diags}
		}
		d.latest = nil // lint the same text again
		s.schedule(d, 0)
	}
}

// schedule lints d after delay, replacing any lint pending or running.
// The caller holds s.mu.
func (s *session) schedule(d *document, delay time.Duration) {
	d.cancelWork()
	if s.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	d.cancel = cancel
	d.stopFast = s.after(delay, func() { s.runFast(ctx, d) })
}

// after runs f after delay on a goroutine of its own, counted in s.wg.
// The function it returns cancels f if it has not started.
func (s *session) after(delay time.Duration, f func()) func() {
	s.wg.Add(1)
	t := time.AfterFunc(delay, func() {
		defer s.wg.Done()
		defer func() {
			if v := recover(); v != nil {
				s.logf("linting failed: %v", v)
			}
		}()
		f()
	})
	return func() {
		if t.Stop() {
			s.wg.Done()
		}
	}
}

// runFast lints the document's current text and publishes the findings
// with ShellCheck's carried over, then schedules ShellCheck unless its
// findings are exact already.
func (s *session) runFast(ctx context.Context, d *document) {
	s.mu.Lock()
	version, t := d.version, d.text
	linted := d.latest != nil && d.latest.version == version
	s.mu.Unlock()
	if linted {
		// A request linted this version in the meantime (current).
		s.publish(d, version)
		return
	}
	a, err := lintFast(ctx, d.path, version, t, s.opts.Request)
	if err != nil {
		if ctx.Err() == nil {
			s.logf("linting %s: %v", d.uri, err)
		}
		return
	}
	s.mu.Lock()
	if d.version != version || ctx.Err() != nil {
		s.mu.Unlock()
		return
	}
	s.adopt(d, a)
	s.mu.Unlock()
	s.publish(d, version)
}

// adopt makes a the document's latest analysis, with ShellCheck's
// findings carried over, and schedules ShellCheck when they are not
// exact. The caller holds s.mu.
func (s *session) adopt(d *document, a *analysis) {
	a.shell, a.shellExact = carryShell(d.shell, a.file)
	d.latest = a
	if a.shellExact || a.file == nil || a.settings == nil || s.ctx.Err() != nil {
		return
	}
	if d.stopSlow != nil {
		d.stopSlow()
	}
	d.stopSlow = s.after(s.opts.ShellDelay, func() { s.runShell(s.ctx, d, a) })
}

// runShell runs ShellCheck on the analysis a and publishes its findings
// if the document has not changed since.
func (s *session) runShell(ctx context.Context, d *document, a *analysis) {
	s.mu.Lock()
	current := d.latest == a && d.version == a.version
	s.mu.Unlock()
	if !current || ctx.Err() != nil {
		return
	}
	found, err := lintShell(ctx, a)
	if err != nil {
		if ctx.Err() == nil {
			s.logf("running ShellCheck on %s: %v", d.uri, err)
		}
		return
	}
	s.mu.Lock()
	d.shell = &shellResult{file: a.file, key: shellKey(a.file), diags: found}
	if d.latest != a || d.version != a.version {
		s.mu.Unlock()
		return
	}
	// Readers hold a without the lock: the findings go into a copy.
	b := *a
	b.shell, b.shellExact = found, true
	d.latest = &b
	s.mu.Unlock()
	s.publish(d, a.version)
}

// publish sends the diagnostics of d's latest analysis if it is still of
// version.
func (s *session) publish(d *document, version int32) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	if s.docs[d.uri] != d || d.latest == nil || d.latest.version != version || d.version != version {
		s.mu.Unlock()
		return
	}
	diags := d.latest.diagnostics()
	s.mu.Unlock()
	v := protocol.UInteger(max(version, 0))
	s.notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: diags})
}

// current returns an analysis of the document's current text, linting
// it now when the latest is older (a request arrived before the
// debounced lint ran).
func (s *session) current(uri string) (*document, *analysis) {
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil {
		s.mu.Unlock()
		return nil, nil
	}
	if d.latest != nil && d.latest.version == d.version {
		a := d.latest
		s.mu.Unlock()
		return d, a
	}
	version, t := d.version, d.text
	s.mu.Unlock()
	a, err := lintFast(s.ctx, d.path, version, t, s.opts.Request)
	if err != nil {
		s.logf("linting %s: %v", uri, err)
		return d, nil
	}
	s.mu.Lock()
	if d.version == version && (d.latest == nil || d.latest.version != version) {
		s.adopt(d, a)
	}
	s.mu.Unlock()
	return d, a
}
