package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
)

// fxNonRoot makes the image st produces (the final stage) run as an
// unprivileged user: it creates the user app with UID 10001 (useradd on
// Debian, Ubuntu and RHEL bases, BusyBox adduser on Alpine and BusyBox)
// and switches to it with USER just before the stage's CMD or
// ENTRYPOINT, after the root-only set-up; on scratch and distroless,
// which have no user tools, it sets the numeric USER 10001:10001.
//
// It returns nil when st already ends as a non-root user. The fix is
// unsafe: the process can no longer write where only root may (files
// the image's RUNs created, ports below 1024).
func fxNonRoot(p *Pass, st *dockerfile.Stage) *Fix {
	f := p.File
	if st == nil || st != f.FinalStage() || fxHasUser(st) || isWindowsStage(f, st) {
		return nil
	}
	var at *dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Cmd == "cmd" || in.Cmd == "entrypoint" {
			at = in
			break
		}
	}
	nl := f.Newline()
	family := fxUserFamily(p, st)
	text := fxUserLines(family, fxKeyword(st.From, "run"), fxKeyword(st.From, "user"), nl)
	var pos int
	if at != nil {
		pos = f.Offset(fxCommentStart(f, at), 1)
	} else {
		last := st.Instructions[len(st.Instructions)-1]
		var pre string
		pos, pre = fxAfter(f, last)
		text = pre + text
	}
	msg := "create the unprivileged user app (UID 10001) and run the container as it: a compromised process no longer has root in the container"
	if family == "none" {
		msg = "run the container as the unprivileged UID 10001 (the base has no user tools, so a numeric USER): a compromised process no longer has root in the container"
	}
	return &Fix{Message: msg, Unsafe: true, Edits: []TextEdit{{Pos: pos, End: pos, NewText: text}}}
}
