package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
)

// Helpers shared by the hadolint-compatible (DL) rules in the hl_*.go
// files.

// eachInstruction calls fn for every instruction that belongs to a stage
// and, for an ONBUILD, once more for the instruction it wraps. in is the
// instruction to inspect (the trigger for an ONBUILD); outer is the
// top-level instruction findings are reported on (the ONBUILD itself for
// a trigger, in otherwise).
func eachInstruction(f *dockerfile.File, fn func(in, outer *dockerfile.Instruction)) {
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			fn(in, in)
			if in.Trigger != nil {
				fn(in.Trigger, in)
			}
		}
	}
}

// triggerPrefix returns "ONBUILD " when in is the trigger of outer, for
// messages.
func triggerPrefix(in, outer *dockerfile.Instruction) string {
	if in != outer {
		return outer.Keyword + " "
	}
	return ""
}

// rootBase returns the image at the bottom of st's stage chain: the
// external image (or scratch) the chain starts from.
func rootBase(st *dockerfile.Stage) dockerfile.ImageRef {
	chain := st.Chain()
	return chain[len(chain)-1].Base
}

// isWindowsStage reports whether a stage evidently builds a Windows image:
// the file uses the backtick escape, a SHELL runs PowerShell or cmd, or
// the base image is one of Microsoft's Windows images.
func isWindowsStage(f *dockerfile.File, st *dockerfile.Stage) bool {
	if f.Escape == '`' {
		return true
	}
	for _, s := range st.Chain() {
		for _, in := range s.Instructions {
			if in.Cmd == "shell" && len(in.Shell) > 0 && !isPOSIXShell(in.Shell[0]) {
				return true
			}
		}
		b := strings.ToLower(s.Base.Raw)
		if strings.Contains(b, "windows/") || strings.Contains(b, "nanoserver") || strings.Contains(b, "servercore") {
			return true
		}
	}
	return false
}

// isPOSIXShell reports whether argv0 names a POSIX-style shell.
func isPOSIXShell(argv0 string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(argv0, `\`, "/")))
	base = strings.TrimSuffix(base, ".exe")
	switch base {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox", "yash":
		return true
	}
	return false
}

// isWindowsAbs reports whether p is an absolute Windows path ("C:\x",
// "c:/x").
func isWindowsAbs(p string) bool {
	return len(p) >= 2 && p[1] == ':' && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

// isAbsPath reports whether a path written in a Dockerfile is absolute
// (POSIX or Windows) or starts with a variable, which hadolint accepts as
// absolute.
func isAbsPath(p string) bool {
	p = dockerfile.TrimQuotes(p)
	return strings.HasPrefix(p, "/") || strings.HasPrefix(p, "$") || isWindowsAbs(p) || strings.HasPrefix(p, `\`)
}

// keywordOffset returns the byte offset of in's keyword in the source. For
// the trigger of an ONBUILD (outer), it is the offset of the wrapped
// instruction's keyword. ok is false when it cannot be found.
func keywordOffset(f *dockerfile.File, in, outer *dockerfile.Instruction) (int, bool) {
	start := f.Offset(outer.StartLine, outer.Column)
	if in == outer {
		return start, true
	}
	src := f.Source
	i := start + len(outer.Keyword)
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i+len(in.Keyword) > len(src) || !strings.EqualFold(string(src[i:i+len(in.Keyword)]), in.Keyword) {
		return 0, false
	}
	return i, true
}

// wordSpan finds the word w in the text of instruction in (for a trigger,
// within outer's text), after its keyword, and returns its byte range.
// With last set it finds the last occurrence. The match must stand alone:
// delimited by blanks, quotes, brackets or commas. ok is false when the
// word is not found on the instruction's own lines (for example when a
// line continuation splits it).
func wordSpan(f *dockerfile.File, in, outer *dockerfile.Instruction, w string, last bool) (pos, end int, ok bool) {
	kw, found := keywordOffset(f, in, outer)
	if !found || w == "" {
		return 0, 0, false
	}
	from := kw + len(in.Keyword)
	to := f.LineEnd(edit.HeaderEnd(outer))
	if from > to {
		return 0, 0, false
	}
	text := string(f.Source[from:to])
	isDelim := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '[' || c == ']' || c == ',' || c == '\r' || c == '\n'
	}
	search := text
	for {
		var i int
		if last {
			i = strings.LastIndex(search, w)
		} else {
			i = strings.Index(search, w)
		}
		if i < 0 {
			return 0, 0, false
		}
		before := i == 0 || isDelim(search[i-1])
		after := i+len(w) == len(search) || isDelim(search[i+len(w)])
		if before && after {
			if last {
				return from + i, from + i + len(w), true
			}
			off := len(text) - len(search)
			return from + off + i, from + off + i + len(w), true
		}
		if last {
			search = search[:i]
		} else {
			search = search[i+1:]
		}
	}
}

// globalArgValues returns the default values of the ARGs declared before
// the first FROM.
func globalArgValues(f *dockerfile.File) map[string]string {
	vals := map[string]string{}
	for _, in := range f.GlobalArgs {
		for _, a := range in.Args {
			k, v, _ := strings.Cut(a, "=")
			vals[k] = dockerfile.TrimQuotes(v)
		}
	}
	return vals
}

// expandGlobal expands build arguments in s with the defaults of the
// global ARGs; ok is false when a variable has no value.
func expandGlobal(f *dockerfile.File, s string) (string, bool) {
	vals := globalArgValues(f)
	out, unresolved := dockerfile.ExpandArgs(s, func(name string) (string, bool) {
		v, ok := vals[name]
		return v, ok
	})
	return out, !unresolved
}
