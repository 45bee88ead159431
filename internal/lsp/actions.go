package lsp

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/diff"
	"github.com/stratatools/strata/internal/fix"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/rules"
)

// kindFixAll is the kind of the "fix all safe problems" action: a
// source.fixAll action, which editors can run on save.
const kindFixAll = protocol.CodeActionKind("source.fixAll.strata")

// fixAllTitle names the action that applies every safe fix.
const fixAllTitle = "Fix all safe problems in this file (strata)"

// fixAllData is what a fix-all action carries until it is resolved.
type fixAllData struct {
	URI     string `json:"uri"`
	Version int32  `json:"version"`
}

// codeAction offers, for each finding on the lines of the requested
// range, its fix (a quick fix when safe, a refactoring when it changes
// what the image contains) and an inline pragma to ignore it; and, when
// the file has safe fixes, one action that applies them all.
func (s *session) codeAction(_ *glsp.Context, p *protocol.CodeActionParams) (any, error) {
	d, a := s.current(p.TextDocument.URI)
	out := []protocol.CodeAction{}
	if a == nil || a.file == nil || a.settings == nil {
		return out, nil
	}
	first := int(a.text.position(a.text.offset(p.Range.Start)).Line) + 1
	last := int(a.text.position(a.text.offset(p.Range.End)).Line) + 1
	seen := map[string]bool{}
	add := func(ca protocol.CodeAction) {
		if !seen[ca.Title] {
			seen[ca.Title] = true
			out = append(out, ca)
		}
	}
	safeFixes := false
	for _, f := range a.findings() {
		if f.Fix != nil && !f.Fix.Unsafe && len(f.Fix.Edits) > 0 {
			safeFixes = true
		}
		if f.EndLine < first || f.Line > last {
			continue
		}
		if ca, ok := s.fixAction(d, a, f); ok {
			add(ca)
		}
		if ca, ok := ignoreAction(d, a, f); ok {
			add(ca)
		}
	}
	if safeFixes {
		kind := kindFixAll
		ca := protocol.CodeAction{Title: fixAllTitle, Kind: &kind, Data: fixAllData{URI: d.uri, Version: a.version}}
		if !s.clientResolvesEdits() {
			resolved, err := s.resolveFixAll(ca)
			if err != nil {
				return nil, err
			}
			ca = *resolved
		}
		add(ca)
	}
	return only(out, p.Context.Only), nil
}

// only keeps the actions of the kinds asked for (all when none is).
func only(as []protocol.CodeAction, kinds []protocol.CodeActionKind) []protocol.CodeAction {
	if len(kinds) == 0 {
		return as
	}
	out := []protocol.CodeAction{}
	for _, a := range as {
		for _, k := range kinds {
			if a.Kind != nil && (*a.Kind == k || strings.HasPrefix(*a.Kind, k+".")) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// fixAction turns a finding's fix into a code action with the fix's own
// text edits.
func (s *session) fixAction(d *document, a *analysis, f rules.Diagnostic) (protocol.CodeAction, bool) {
	fx := f.Fix
	if fx == nil || len(fx.Edits)+len(fx.Create) == 0 {
		return protocol.CodeAction{}, false
	}
	for _, e := range fx.Edits {
		if e.Pos < 0 || e.End < e.Pos || e.End > len(a.text.s) {
			return protocol.CodeAction{}, false
		}
	}
	we, ok := s.workspaceEdit(d, a, textEdits(a.text, fx.Edits), fx.Create)
	if !ok {
		return protocol.CodeAction{}, false
	}
	kind, title := protocol.CodeActionKindQuickFix, f.Rule.ID+": "+fixTitle(fx)
	if fx.Unsafe {
		kind, title = protocol.CodeActionKindRefactorRewrite, f.Rule.ID+" (changes the image): "+fixTitle(fx)
	}
	ca := protocol.CodeAction{Title: title, Kind: &kind, Diagnostics: []protocol.Diagnostic{a.diagnostic(f)}, Edit: we}
	if !fx.Unsafe {
		yes := true
		ca.IsPreferred = &yes
	}
	return ca, true
}

func fixTitle(fx *edit.Fix) string {
	if fx.Message != "" {
		return fx.Message
	}
	return "apply the fix"
}

// textEdits converts byte-range edits of t into LSP text edits.
func textEdits(t *text, es []edit.TextEdit) []protocol.TextEdit {
	out := make([]protocol.TextEdit, 0, len(es))
	for _, e := range es {
		out = append(out, protocol.TextEdit{Range: t.span(e.Pos, e.End), NewText: e.NewText})
	}
	return out
}

// workspaceEdit builds the edit of the document, plus the files a fix
// adds to the build context. ok is false when the fix adds files and the
// client cannot create them.
func (s *session) workspaceEdit(d *document, a *analysis, edits []protocol.TextEdit, create []edit.NewFile) (*protocol.WorkspaceEdit, bool) {
	if len(create) == 0 {
		return &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{d.uri: edits}}, true
	}
	if !s.clientCreatesFiles() || a.settings.Context == nil || !a.settings.Context.Known() {
		return nil, false
	}
	dir, err := filepath.Abs(a.settings.Context.Dir)
	if err != nil {
		return nil, false
	}
	var changes []any
	if len(edits) > 0 {
		v := a.version
		changes = append(changes, protocol.TextDocumentEdit{
			TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: d.uri}, Version: &v},
			Edits:        anys(edits),
		})
	}
	yes := true
	for _, nf := range create {
		uri := fileURI(filepath.Join(dir, filepath.FromSlash(nf.Path)))
		changes = append(changes,
			protocol.CreateFile{Kind: "create", URI: uri, Options: &protocol.CreateFileOptions{IgnoreIfExists: &yes}},
			protocol.TextDocumentEdit{
				TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}},
				Edits:        []any{protocol.TextEdit{NewText: nf.Content}},
			})
	}
	return &protocol.WorkspaceEdit{DocumentChanges: changes}, true
}

func anys(es []protocol.TextEdit) []any {
	out := make([]any, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// clientCreatesFiles reports whether the client applies workspace edits
// that create files.
func (s *session) clientCreatesFiles() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.caps.Workspace
	return w != nil && w.WorkspaceEdit != nil && w.WorkspaceEdit.DocumentChanges != nil && *w.WorkspaceEdit.DocumentChanges &&
		slices.Contains(w.WorkspaceEdit.ResourceOperations, protocol.ResourceOperationKindCreate)
}

// clientResolvesEdits reports whether the client asks for a code
// action's edit through codeAction/resolve, keeping its data.
func (s *session) clientResolvesEdits() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	td := s.caps.TextDocument
	if td == nil || td.CodeAction == nil || td.CodeAction.ResolveSupport == nil || td.CodeAction.DataSupport == nil || !*td.CodeAction.DataSupport {
		return false
	}
	return slices.Contains(td.CodeAction.ResolveSupport.Properties, "edit")
}

func (s *session) resolveCodeAction(_ *glsp.Context, ca *protocol.CodeAction) (*protocol.CodeAction, error) {
	if ca.Kind == nil || *ca.Kind != kindFixAll {
		return ca, nil
	}
	return s.resolveFixAll(*ca)
}

// resolveFixAll computes the edit of a fix-all action: the fix engine's
// safe fixes applied to a fixed point, as line replacements.
func (s *session) resolveFixAll(ca protocol.CodeAction) (*protocol.CodeAction, error) {
	var data fixAllData
	if err := decode(ca.Data, &data); err != nil || data.URI == "" {
		return nil, fmt.Errorf("the fix-all action carries no document: %v", ca.Data)
	}
	d, a := s.current(data.URI)
	if a == nil || a.file == nil || a.settings == nil {
		return nil, fmt.Errorf("%s is not open or does not parse", data.URI)
	}
	if a.version != data.Version {
		return nil, fmt.Errorf("%s changed since the action was offered (version %d, now %d); ask for the actions again", data.URI, data.Version, a.version)
	}
	s.mu.Lock()
	cached := d.fixAll
	if d.fixAllOf != a {
		cached = nil
	}
	s.mu.Unlock()
	if cached != nil {
		ca.Edit = cached
		return &ca, nil
	}
	res, err := fix.File(s.ctx, d.path, []byte(a.text.s), fix.Options{Lint: a.settings.Options, Context: a.settings.Context})
	if err != nil {
		return nil, err
	}
	var edits []protocol.TextEdit
	for _, r := range diff.Replacements(a.text.s, string(res.Fixed)) {
		from, to := lineStart(a.text, r.From), lineStart(a.text, r.To)
		edits = append(edits, protocol.TextEdit{Range: a.text.span(from, to), NewText: r.New})
	}
	we, ok := s.workspaceEdit(d, a, edits, res.Create)
	if !ok {
		// Safe fixes add no files; should one, the text edits still hold.
		we, _ = s.workspaceEdit(d, a, edits, nil)
	}
	s.mu.Lock()
	d.fixAll, d.fixAllOf = we, a
	s.mu.Unlock()
	ca.Edit = we
	return &ca, nil
}

// lineStart is the byte offset of line i (0-based) of t, or its end.
func lineStart(t *text, i int) int {
	if i >= len(t.lines) {
		return len(t.s)
	}
	return t.lines[i]
}

// ignoreAction inserts the inline pragma that ignores the finding's rule
// on its instruction: "# strata ignore=RULE" on the line above, or the
// rule added to the ignore pragma already there.
func ignoreAction(d *document, a *analysis, f rules.Diagnostic) (protocol.CodeAction, bool) {
	if a.settings.Options.NoInlineIgnores {
		return protocol.CodeAction{}, false
	}
	line := f.Line
	if in := f.Instruction; in != nil {
		line = in.StartLine
	} else if in := a.instructionAt(f.Line); in != nil {
		line = in.StartLine
	}
	// A comment above a parser directive would end the directives.
	for _, dir := range a.file.Directives {
		if line <= dir.Line {
			return protocol.CodeAction{}, false
		}
	}
	id := f.Rule.ID
	var e edit.TextEdit
	if at, ok := appendToPragma(a, line-1, id); ok {
		e = at
	} else {
		pos := a.file.Offset(line, 1)
		cur := a.file.Lines[line-1]
		indent := cur[:len(cur)-len(strings.TrimLeft(cur, " \t"))]
		e = edit.TextEdit{Pos: pos, End: pos, NewText: indent + "# strata ignore=" + id + a.file.Newline()}
	}
	kind := protocol.CodeActionKindQuickFix
	return protocol.CodeAction{
		Title:       "Ignore " + id + " on this line",
		Kind:        &kind,
		Diagnostics: []protocol.Diagnostic{a.diagnostic(f)},
		Edit:        &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{d.uri: textEdits(a.text, []edit.TextEdit{e})}},
	}, true
}

// appendToPragma returns the edit that adds id to the ignore pragma on
// line (1-based), when that line is one. A hadolint pragma can only
// list hadolint's codes; for another name it becomes a strata pragma.
func appendToPragma(a *analysis, line int, id string) (edit.TextEdit, bool) {
	if line < 1 || line > len(a.file.Lines) {
		return edit.TextEdit{}, false
	}
	l := a.file.Lines[line-1]
	hash := strings.Index(l, "#")
	if hash < 0 || strings.TrimSpace(l[:hash]) != "" {
		return edit.TextEdit{}, false
	}
	if _, ok := rules.LinePragma(l[hash+1:]); !ok {
		return edit.TextEdit{}, false
	}
	eq := strings.Index(l, "=")
	end := eq + 1
	// The names run from "=" to the end of the last name, before any
	// trailing "# comment".
	for i := end; i < len(l) && l[i] != '#'; i++ {
		if c := l[i]; c != ' ' && c != '\t' && c != ',' {
			end = i + 1
		}
	}
	start := a.file.Offset(line, 1)
	tool := strings.Index(l, "hadolint")
	if tool < 0 || tool > eq || rules.HadolintName(id) {
		return edit.TextEdit{Pos: start + end, End: start + end, NewText: "," + id}, true
	}
	// Rewrite the line as a strata pragma.
	text := l[:tool] + "strata" + l[tool+len("hadolint"):end] + "," + id + l[end:]
	return edit.TextEdit{Pos: start, End: start + len(l), NewText: text}, true
}
