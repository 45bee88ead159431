package edit

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Script is one parsed shell script of a RUN instruction and where it
// starts in the Dockerfile: what an edit inside a RUN is placed against.
type Script struct {
	*shell.Script
	// Line is the Dockerfile line where the script text starts.
	Line int
	// Heredoc is true when the script is a heredoc body.
	Heredoc bool
}

// ShellFormOffsets maps byte offsets within a parsed RUN script to offsets
// in the Dockerfile source, for a shell-form RUN without heredocs whose
// script is the continuation-joined command line. ok is false when the
// script cannot be located exactly.
func ShellFormOffsets(f *dockerfile.File, in *dockerfile.Instruction, rs *Script) (func(int) int, bool) {
	if rs.Heredoc || len(in.Heredocs) > 0 || in.JSON {
		return nil, false
	}
	return ScriptOffsets(f, in, rs)
}

// ScriptOffsets maps byte offsets of a parsed RUN script to byte offsets
// of the Dockerfile source. It works for shell-form RUNs whose script is
// the (continuation-joined) command line and for plain heredoc bodies; ok
// is false when the script cannot be located exactly.
func ScriptOffsets(f *dockerfile.File, outer *dockerfile.Instruction, rs *Script) (func(off int) int, bool) {
	src := rs.Source
	if rs.Heredoc {
		if rs.Line < 1 || rs.Line > len(f.Lines) {
			return nil, false
		}
		start := f.Offset(rs.Line, 1)
		// Heredoc bodies are verbatim unless the file uses CRLF.
		if start+len(src) > len(f.Source) || string(f.Source[start:start+len(src)]) != src {
			return nil, false
		}
		return func(off int) int { return start + off }, true
	}
	var joined strings.Builder
	var offs []int
	esc := string(f.Escape)
	if esc == "\x00" || esc == "" {
		esc = `\`
	}
	for ln := outer.StartLine; ln <= outer.EndLine && ln <= len(f.Lines); ln++ {
		line := f.Lines[ln-1]
		if ln > outer.StartLine {
			t := strings.TrimSpace(line)
			if t == "" || strings.HasPrefix(t, "#") {
				continue
			}
		}
		body := line
		trimmed := strings.TrimRight(body, " \t\r")
		cont := strings.HasSuffix(trimmed, esc)
		if cont {
			body = strings.TrimSuffix(trimmed, esc)
		}
		base := f.Offset(ln, 1)
		for i := 0; i < len(body); i++ {
			joined.WriteByte(body[i])
			offs = append(offs, base+i)
		}
		if !cont {
			break
		}
	}
	text := joined.String()
	i := strings.Index(text, src)
	if i < 0 || src == "" {
		return nil, false
	}
	if strings.Contains(text[i+1:], src) {
		return nil, false
	}
	end := offs[i+len(src)-1] + 1
	return func(off int) int {
		switch {
		case off <= 0:
			return offs[i]
		case off >= len(src):
			return end
		}
		return offs[i+off]
	}, true
}

// ScriptEnd returns an edit that appends text after the end of the
// script of a single-script shell-form RUN (outer, whose parsed scripts
// are scripts), when that is exact: the script ends with a command (not
// ";" or "&") and is not a heredoc.
func ScriptEnd(f *dockerfile.File, outer *dockerfile.Instruction, scripts []*Script, text string) (TextEdit, bool) {
	if len(scripts) != 1 || scripts[0].Heredoc || len(outer.Heredocs) > 0 {
		return TextEdit{}, false
	}
	rs := scripts[0]
	src := strings.TrimRight(rs.Source, " \t\r\n")
	if rs.CodeEnd > 0 && rs.CodeEnd < len(src) && strings.HasPrefix(strings.TrimLeft(src[rs.CodeEnd:], " \t"), "#") {
		// A trailing comment: the command goes before it, or it would
		// be part of the comment.
		src = strings.TrimRight(src[:rs.CodeEnd], " \t")
	}
	if src == "" || strings.HasSuffix(src, ";") || strings.HasSuffix(src, "&") || strings.HasSuffix(src, "|") {
		return TextEdit{}, false
	}
	m, ok := ScriptOffsets(f, outer, rs)
	if !ok {
		return TextEdit{}, false
	}
	pos := m(len(src))
	return TextEdit{Pos: pos, End: pos, NewText: text}, true
}
