package plan

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// NonRoot makes the image st produces (the final stage) run as an
// unprivileged user: it creates the user app with UID 10001 (useradd on
// Debian, Ubuntu and RHEL bases, BusyBox adduser on Alpine and BusyBox)
// and switches to it with USER just before the stage's CMD or
// ENTRYPOINT, after the root-only set-up; on scratch and distroless,
// which have no user tools, it sets the numeric USER 10001:10001.
//
// It returns nil when st already ends as a non-root user. The caller
// makes sure st is a Linux stage (the commands are POSIX). The fix is
// unsafe: the process can no longer write where only root may (files
// the image's RUNs created, ports below 1024).
func NonRoot(src Input, st *dockerfile.Stage) *edit.Fix {
	p := newPass(src)
	f := p.File
	if st == nil || st != f.FinalStage() || endsNonRoot(st) {
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
	family := userFamily(p, st)
	text := userLines(family, edit.Keyword(st.From, "run"), edit.Keyword(st.From, "user"), nl)
	var pos int
	if at != nil {
		pos = f.Offset(edit.CommentStart(f, at), 1)
	} else {
		last := st.Instructions[len(st.Instructions)-1]
		var pre string
		pos, pre = edit.After(f, last)
		text = pre + text
	}
	msg := "create the unprivileged user app (UID 10001) and run the container as it: a compromised process no longer has root in the container"
	if family == "none" {
		msg = "run the container as the unprivileged UID 10001 (the base has no user tools, so a numeric USER): a compromised process no longer has root in the container"
	}
	return &edit.Fix{Message: msg, Unsafe: true, Edits: []edit.TextEdit{{Pos: pos, End: pos, NewText: text}}}
}

// userFamily tells how a stage creates users: "useradd" (Debian,
// Ubuntu, RHEL and their language images), "adduser" (Alpine and
// BusyBox) or "none" (scratch and distroless, which have no tools: only
// a numeric USER works there).
func userFamily(p *pass, st *dockerfile.Stage) string {
	chain := st.Chain()
	root := chain[len(chain)-1]
	b := root.Base
	name := strings.ToLower(b.Name())
	switch {
	case b.Scratch, strings.Contains(strings.ToLower(b.Repository), "distroless"):
		return "none"
	case name == "busybox" || name == "alpine" || strings.Contains(strings.ToLower(b.Tag), "alpine"):
		return "adduser"
	}
	for _, s := range chain {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				if op.Manager == shell.Apk {
					return "adduser"
				}
			}
		}
	}
	return "useradd"
}

// userCreate returns the RUN that creates the unprivileged user app
// (UID 10001) in a stage of the given family ("" for family "none").
func userCreate(family, run string) string {
	switch family {
	case "none":
		return ""
	case "adduser":
		return run + " adduser -D -H -u 10001 app"
	}
	return run + " useradd --system --uid 10001 --no-create-home app"
}

// userLines returns the instructions that create the unprivileged user
// app and switch to it, for a stage of the given family: a numeric USER
// where there are no user tools.
func userLines(family, run, user, nl string) string {
	if family == "none" {
		return user + " 10001:10001" + nl
	}
	return userCreate(family, run) + nl + user + " app" + nl
}

// endsNonRoot reports whether the stage chain of st sets a non-root USER
// last.
func endsNonRoot(st *dockerfile.Stage) bool {
	for _, s := range st.Chain() {
		var last *dockerfile.Instruction
		for _, in := range s.Instructions {
			if in.Cmd == "user" {
				last = in
			}
		}
		if last != nil {
			return !dockerfile.IsRootUser(last.User())
		}
	}
	return false
}
