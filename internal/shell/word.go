package shell

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Pos is a position within the script source passed to [Parse].
type Pos struct {
	// Line is the 1-based line number; 0 when unknown (very long inputs).
	Line int
	// Col is the 1-based column, counted in bytes; 0 when unknown (very
	// long lines).
	Col int
	// Offset is the 0-based byte offset into the source.
	Offset int
}

// String formats the position as "line:col".
func (p Pos) String() string {
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// IsValid reports whether the position carries line information.
func (p Pos) IsValid() bool { return p.Line > 0 }

func toPos(p syntax.Pos) Pos {
	// Offset stays meaningful when line or column overflow (reported as 0).
	return Pos{Line: int(p.Line()), Col: int(p.Col()), Offset: int(p.Offset())}
}

// Word is one shell word (an argument, a command name, an assignment value).
type Word struct {
	// Value is the word with quotes and escapes removed when Literal is
	// true; otherwise it is the raw source text (Raw).
	Value string
	// Raw is the exact source text of the word.
	Raw string
	// Literal reports whether the word is fully literal: it contains no
	// parameter expansion, command or process substitution, arithmetic,
	// $'...' string or extended glob.
	Literal bool
	// Glob reports whether the word contains an unquoted glob
	// metacharacter (*, ? or [).
	Glob bool
	// Pos is where the word starts and End just past where it ends.
	Pos, End Pos

	// pattern is Value with quoted glob metacharacters escaped, usable
	// with path.Match; only set when Literal.
	pattern string
}

// Assign is a variable assignment such as the VAR=val prefix of a command.
type Assign struct {
	// Name is the variable name.
	Name string
	// Value is the assigned value; an empty literal word for "VAR=".
	// Array values (a=(x y)) are never literal.
	Value Word
	// Append is true for "VAR+=val".
	Append bool
	// Via names the wrapper that set the variable ("env", "sudo"), or is
	// empty for a plain VAR=val prefix of the command.
	Via string
	// Pos and End delimit the assignment in the source.
	Pos, End Pos
}

// Redirect is an I/O redirection attached to a command.
type Redirect struct {
	// Op is the operator as written: ">", ">>", "<", "<<", "<<-", "<<<",
	// "&>", ">&", "<&", ...
	Op string
	// Fd is the explicit file descriptor or {var} before the operator
	// ("2" in 2>&1), or "".
	Fd string
	// Target is the word after the operator (for a here-document, its
	// delimiter).
	Target Word
	// Heredoc is the raw body of a here-document, "" otherwise.
	Heredoc string
	// Pos is where the redirection starts.
	Pos Pos
}

// wordFrom converts a parsed word. src is the full script source.
func wordFrom(src string, w *syntax.Word) Word {
	if w == nil || len(w.Parts) == 0 {
		return Word{Literal: true}
	}
	pos, end := toPos(w.Pos()), toPos(w.End())
	raw := slice(src, pos.Offset, end.Offset)
	val, pat, lit, glob := unquote(w)
	out := Word{Raw: raw, Pos: pos, End: end, Literal: lit}
	if lit {
		out.Value, out.pattern, out.Glob = val, pat, glob
	} else {
		out.Value = raw
	}
	return out
}

// litWord builds a literal word that does not come from a parsed word node.
func litWord(s string, pos, end Pos) Word {
	return Word{Value: s, Raw: s, Literal: true, Pos: pos, End: end, pattern: escapeGlob(s)}
}

// slice returns src[from:to] clamped to valid bounds.
func slice(src string, from, to int) string {
	from = max(0, min(from, len(src)))
	to = max(from, min(to, len(src)))
	return src[from:to]
}

// unquote removes quoting from a fully literal word. It returns the value,
// a glob pattern equivalent (quoted metacharacters escaped), whether the
// word is literal and whether it holds unquoted glob metacharacters.
func unquote(w *syntax.Word) (val, pat string, literal, glob bool) {
	var v, p strings.Builder
	for _, part := range w.Parts {
		switch x := part.(type) {
		case *syntax.Lit:
			if unescapeBare(x.Value, &v, &p) {
				glob = true
			}
		case *syntax.SglQuoted:
			if x.Dollar {
				return "", "", false, false
			}
			v.WriteString(x.Value)
			p.WriteString(escapeGlob(x.Value))
		case *syntax.DblQuoted:
			for _, dp := range x.Parts {
				lit, ok := dp.(*syntax.Lit)
				if !ok {
					return "", "", false, false
				}
				s := unescapeDouble(lit.Value)
				v.WriteString(s)
				p.WriteString(escapeGlob(s))
			}
		default:
			return "", "", false, false
		}
	}
	return v.String(), p.String(), true, glob
}

func isGlobMeta(c byte) bool { return c == '*' || c == '?' || c == '[' }

// unescapeBare handles backslashes of unquoted text, writing the value to v
// and a glob pattern to p. It reports whether an unquoted glob
// metacharacter was seen.
func unescapeBare(s string, v, p *strings.Builder) (glob bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			n := s[i]
			if n == '\n' {
				continue
			}
			v.WriteByte(n)
			if isGlobMeta(n) || n == '\\' {
				p.WriteByte('\\')
			}
			p.WriteByte(n)
			continue
		}
		if c == '\\' {
			v.WriteByte(c)
			p.WriteString(`\\`)
			continue
		}
		if isGlobMeta(c) {
			glob = true
		}
		v.WriteByte(c)
		p.WriteByte(c)
	}
	return glob
}

// unescapeDouble removes the backslashes that are special inside double
// quotes.
func unescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch n := s[i+1]; n {
			case '$', '`', '"', '\\':
				b.WriteByte(n)
				i++
				continue
			case '\n':
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// escapeGlob escapes glob metacharacters and backslashes for path.Match.
func escapeGlob(s string) string {
	if !strings.ContainsAny(s, `*?[\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isGlobMeta(s[i]) || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// assignFrom converts a parsed assignment.
func assignFrom(src string, a *syntax.Assign) Assign {
	if a.Name == nil && a.Value == nil {
		return Assign{}
	}
	out := Assign{Append: a.Append, Pos: toPos(a.Pos()), End: toPos(a.End())}
	if a.Name != nil {
		out.Name = a.Name.Value
	}
	switch {
	case a.Array != nil:
		ap, ae := toPos(a.Array.Pos()), toPos(a.Array.End())
		raw := slice(src, ap.Offset, ae.Offset)
		out.Value = Word{Value: raw, Raw: raw, Pos: ap, End: ae}
	case a.Value != nil:
		out.Value = wordFrom(src, a.Value)
	default:
		out.Value = litWord("", out.End, out.End)
	}
	return out
}

// redirectFrom converts a parsed redirection.
func redirectFrom(src string, r *syntax.Redirect) Redirect {
	out := Redirect{Op: r.Op.String(), Pos: toPos(r.Pos())}
	if r.N != nil {
		out.Fd = r.N.Value
	}
	if r.Word != nil {
		out.Target = wordFrom(src, r.Word)
	}
	if r.Hdoc != nil && len(r.Hdoc.Parts) > 0 {
		body := slice(src, toPos(r.Hdoc.Pos()).Offset, toPos(r.Hdoc.End()).Offset)
		// The parser's end position may include the closing delimiter line.
		if d := out.Target.Value; d != "" && out.Target.Literal && strings.HasSuffix(body, d) {
			rest := strings.TrimRight(body[:len(body)-len(d)], "\t")
			if rest == "" || strings.HasSuffix(rest, "\n") {
				body = rest
			}
		}
		out.Heredoc = body
	}
	return out
}
