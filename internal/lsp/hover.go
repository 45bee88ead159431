package lsp

import (
	"fmt"
	"strings"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/stratatools/strata/internal/lint"
	"github.com/stratatools/strata/internal/rules"
)

// hover explains what is under the cursor: a rule named there (in an
// ignore pragma or a check directive), the base of a FROM, or the rules
// whose findings cover the position.
func (s *session) hover(_ *glsp.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	_, a := s.current(p.TextDocument.URI)
	if a == nil {
		return nil, nil
	}
	off := a.text.offset(p.Position)
	if w, from, to := wordAt(a.text.s, off); w != "" {
		if r := ruleNamed(w); r != nil {
			return markdown(ruleDoc(r), a.text.span(from, to)), nil
		}
	}
	if a.file == nil {
		return nil, nil
	}
	line := int(a.text.position(off).Line) + 1
	if in := a.instructionAt(line); in != nil && in.Cmd == "from" && in.Stage != nil {
		from, to := a.file.Offset(in.StartLine, 1), a.file.LineEnd(in.EndLine)
		return markdown(s.baseHover(a, in.Stage), a.text.span(from, to)), nil
	}
	var parts []string
	seen := map[string]bool{}
	first, last := len(a.text.s), 0
	for _, f := range a.findings() {
		from, to := a.rangeOf(f)
		if off < from || off > to || seen[f.Rule.ID+"\x00"+f.Message] {
			continue
		}
		seen[f.Rule.ID+"\x00"+f.Message] = true
		first, last = min(first, from), max(last, to)
		parts = append(parts, fmt.Sprintf("**%s** (%s): %s\n\n%s", f.Rule.ID, f.Severity, f.Message, ruleDoc(f.Rule)))
	}
	if len(parts) == 0 {
		return nil, nil
	}
	return markdown(strings.Join(parts, "\n\n---\n\n"), a.text.span(first, last)), nil
}

func markdown(s string, r protocol.Range) *protocol.Hover {
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: s}, Range: &r}
}

// ruleDoc is a rule's explanation: what it finds, why it matters, a bad
// and a good example, and the link to its documentation.
func ruleDoc(r *rules.Rule) string {
	title := r.ID
	if r.Name != "" && r.Name != r.ID {
		title += " · " + r.Name
	}
	if len(r.Aliases) > 0 {
		title += " (" + strings.Join(r.Aliases, ", ") + ")"
	}
	url := lint.DocURL(r)
	return fmt.Sprintf("#### %s\n\n%s\n[Documentation](%s)", title, lint.HelpMarkdown(r), url)
}

// ruleNamed returns the rule a word names: a rule ID, an alias such as
// BuildKit's check names, or a ShellCheck code. Plain words are not
// taken for names: a name has a digit or an upper-case letter after
// its first.
func ruleNamed(w string) *rules.Rule {
	if strings.IndexFunc(w[1:], func(c rune) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }) < 0 {
		return nil
	}
	if r := rules.Lookup(rules.All(), w); r != nil {
		return r
	}
	return rules.ShellCheckRule(w)
}

// wordAt returns the run of letters and digits around byte offset off,
// with its byte range.
func wordAt(s string, off int) (string, int, int) {
	isWord := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	from, to := off, off
	for from > 0 && isWord(s[from-1]) {
		from--
	}
	for to < len(s) && isWord(s[to]) {
		to++
	}
	if from == to {
		return "", 0, 0
	}
	return s[from:to], from, to
}
