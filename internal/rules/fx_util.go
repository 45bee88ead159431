package rules

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Helpers for the structural transforms of the fx_*.go files: moving
// instructions with the comments above them, mapping parsed shell
// positions back to Dockerfile bytes, and classifying installed packages.

// fxCommentStart returns the first line of the block of comment lines
// directly above in (in.StartLine when there is none). Parser directives
// at the top of the file are not part of any block.
func fxCommentStart(f *dockerfile.File, in *dockerfile.Instruction) int {
	directive := map[int]bool{}
	for _, d := range f.Directives {
		directive[d.Line] = true
	}
	line := in.StartLine
	for line > 1 && line-1 <= len(f.Lines) {
		t := strings.TrimSpace(f.Lines[line-2])
		if !strings.HasPrefix(t, "#") || directive[line-1] {
			break
		}
		line--
	}
	return line
}

// fxSpan returns the byte range of in's whole lines, with the comment
// block above it and the final line terminator.
func fxSpan(f *dockerfile.File, in *dockerfile.Instruction) (pos, end int) {
	return lineSpan(f, fxCommentStart(f, in), in.EndLine)
}

// fxBareSpan returns the byte range of in's own lines (no comments),
// with the final line terminator.
func fxBareSpan(f *dockerfile.File, in *dockerfile.Instruction) (pos, end int) {
	return lineSpan(f, in.StartLine, in.EndLine)
}

// fxLines returns the text of a span as complete lines: it ends with the
// file's newline even when the file's last line has none.
func fxLines(f *dockerfile.File, pos, end int) string {
	s := string(f.Source[pos:end])
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += f.Newline()
	}
	return s
}

// fxAfter returns the offset just past in's last line (its terminator
// included) and the prefix an insertion there needs: a newline when the
// file ends on in's line without one.
func fxAfter(f *dockerfile.File, in *dockerfile.Instruction) (int, string) {
	_, end := lineSpan(f, in.StartLine, in.EndLine)
	if end == len(f.Source) && end > 0 && f.Source[end-1] != '\n' {
		return end, f.Newline()
	}
	return end, ""
}

// fxHeaderEnd returns the offset just past the text of in's last header
// line, trailing blanks excluded: where words can be appended to it.
func fxHeaderEnd(f *dockerfile.File, in *dockerfile.Instruction) int {
	end := f.LineEnd(headerEnd(in))
	start := f.Offset(headerEnd(in), 1)
	for end > start && (f.Source[end-1] == ' ' || f.Source[end-1] == '\t' || f.Source[end-1] == '\r') {
		end--
	}
	return end
}

// fxKeyword returns word in the letter case of in's keyword, so that
// added instructions match the file's style.
func fxKeyword(in *dockerfile.Instruction, word string) string {
	if in == nil || in.Keyword == "" {
		return strings.ToUpper(word)
	}
	return matchCase(in.Keyword, word)
}

// fxSimpleArgv returns the argv of a CMD or ENTRYPOINT when it can be written in exec form with the same
// meaning: the exec form itself, or a one-line shell form made only of
// plain words (no quotes, variables, globs or operators).
func fxSimpleArgv(in *dockerfile.Instruction) ([]string, bool) {
	if len(in.Flags) > 0 {
		return nil, false
	}
	if in.JSON {
		return append([]string(nil), in.Args...), len(in.Args) > 0
	}
	if len(in.Args) != 1 || len(in.Heredocs) > 0 {
		return nil, false
	}
	words := strings.Fields(in.Args[0])
	if len(words) == 0 {
		return nil, false
	}
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_./:=@%+,-", c) >= 0) {
				return nil, false
			}
		}
	}
	return words, true
}

// fxExecForm writes argv as a JSON array.
func fxExecForm(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		b, _ := json.Marshal(a)
		parts[i] = string(b)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// fxResolve makes p absolute against dir ("" when it cannot).
func fxResolve(dir, p string) string {
	if p == "" || hasVariable(p) {
		return ""
	}
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	if dir == "" {
		return ""
	}
	return path.Join(dir, p)
}

// fxScriptOffset maps byte offsets within a parsed RUN script to offsets
// in the Dockerfile source, for a shell-form RUN without heredocs whose
// script is the continuation-joined command line. ok is false when the
// script cannot be located exactly.
func fxScriptOffset(f *dockerfile.File, in *dockerfile.Instruction, rs *RunScript) (func(int) int, bool) {
	if rs.Heredoc || len(in.Heredocs) > 0 || in.JSON {
		return nil, false
	}
	return scriptOffsets(f, in, rs)
}

// fxPackageOps returns the package-manager invocations of a RUN.
func fxPackageOps(p *Pass, in *dockerfile.Instruction) []*shell.PackageOp {
	var out []*shell.PackageOp
	for _, rs := range p.Shell(in) {
		out = append(out, rs.PackageOps()...)
	}
	return out
}

// fxSystemPackages returns the distribution packages a stage installs, in
// order and without repeats, and the manager that installs them ("" when
// none, or when several distribution managers are mixed).
func fxSystemPackages(p *Pass, st *dockerfile.Stage) ([]string, shell.Manager) {
	var names []string
	seen := map[string]bool{}
	var mgr shell.Manager
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, op := range fxPackageOps(p, in) {
			if op.Action != shell.ActionInstall || !fxSystemManager(op.Manager) {
				continue
			}
			m := op.Manager
			if m == shell.Apt || m == shell.Aptitude {
				m = shell.AptGet
			}
			if mgr != "" && mgr != m {
				return nil, ""
			}
			mgr = m
			for _, pk := range op.Packages {
				if !pk.Literal || pk.Local || pk.URL {
					continue
				}
				n := pk.Name
				if pk.Version != "" {
					n = pk.Raw
				}
				if !seen[n] {
					seen[n] = true
					names = append(names, n)
				}
			}
		}
	}
	return names, mgr
}

// fxBuildOnly are distribution packages that build an application but are
// not needed to run it: compilers, build systems, version control,
// downloaders, language package managers and headers.
var fxBuildOnly = map[string]bool{
	"gcc": true, "g++": true, "cpp": true, "clang": true, "make": true, "cmake": true,
	"ninja-build": true, "build-essential": true, "build-base": true, "alpine-sdk": true,
	"autoconf": true, "automake": true, "libtool": true, "pkg-config": true, "pkgconf": true,
	"git": true, "subversion": true, "mercurial": true, "curl": true, "wget": true,
	"unzip": true, "zip": true, "patch": true, "gnupg": true, "dirmngr": true,
	"python3-pip": true, "python-pip": true, "py3-pip": true, "python3-venv": true,
	"python3-wheel": true, "python3-dev": true, "python-dev": true,
	"npm": true, "yarnpkg": true, "node-gyp": true,
	"golang": true, "golang-go": true, "go": true, "rustc": true, "cargo": true,
	"maven": true, "gradle": true, "ant": true, "musl-dev": true, "linux-headers": true,
	"software-properties-common": true, "apt-transport-https": true,
}

// fxRuntimePackage returns the package to install in a runtime stage for
// a package the build stage installs: the package itself, a JRE for a
// JDK, or "" for a build-only package.
func fxRuntimePackage(name string) string {
	n, _, _ := strings.Cut(name, "=")
	switch {
	case fxBuildOnly[n], strings.HasPrefix(n, "golang-"), strings.HasSuffix(n, "-dev"),
		strings.HasSuffix(n, "-devel"), strings.HasSuffix(n, "-dbg"), strings.HasSuffix(n, "-doc"):
		return ""
	case n == "default-jdk" || n == "default-jdk-headless":
		return "default-jre-headless"
	case strings.HasPrefix(n, "openjdk-") && (strings.HasSuffix(n, "-jdk") || strings.HasSuffix(n, "-jdk-headless")):
		return strings.TrimSuffix(strings.TrimSuffix(n, "-headless"), "-jdk") + "-jre-headless"
	case strings.HasPrefix(n, "openjdk") && !strings.Contains(n, "-"):
		return n + "-jre-headless" // apk: openjdk17
	}
	return name
}

// fxInstallLine returns a RUN that installs pkgs with manager m without
// recommended packages and without leaving caches behind.
func fxInstallLine(run string, m shell.Manager, pkgs []string) string {
	list := strings.Join(pkgs, " ")
	switch m {
	case shell.AptGet:
		return run + " apt-get update && apt-get install -y --no-install-recommends " + list + " && rm -rf /var/lib/apt/lists/*"
	case shell.Apk:
		return run + " apk add --no-cache " + list
	case shell.Dnf, shell.Yum:
		return run + " " + string(m) + " install -y --setopt=install_weak_deps=False " + list + " && " + string(m) + " clean all"
	case shell.Microdnf:
		return run + " microdnf install -y --setopt=install_weak_deps=0 " + list + " && microdnf clean all"
	case shell.Zypper:
		return run + " zypper --non-interactive install --no-recommends " + list + " && zypper clean --all"
	}
	return ""
}

// fxUserFamily tells how a stage creates users: "useradd" (Debian,
// Ubuntu, RHEL and their language images), "adduser" (Alpine and
// BusyBox) or "none" (scratch and distroless, which have no tools: only
// a numeric USER works there).
func fxUserFamily(p *Pass, st *dockerfile.Stage) string {
	chain := baseChain(st)
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
			for _, op := range fxPackageOps(p, in) {
				if op.Manager == shell.Apk {
					return "adduser"
				}
			}
		}
	}
	return "useradd"
}

// fxUserCreate returns the RUN that creates the unprivileged user app
// (UID 10001) in a stage of the given family ("" for family "none").
func fxUserCreate(family, run string) string {
	switch family {
	case "none":
		return ""
	case "adduser":
		return run + " adduser -D -H -u 10001 app"
	}
	return run + " useradd --system --uid 10001 --no-create-home app"
}

// fxUserLines returns the instructions that create the unprivileged user
// app and switch to it, for a stage of the given family: a numeric USER
// where there are no user tools.
func fxUserLines(family, run, user, nl string) string {
	if family == "none" {
		return user + " 10001:10001" + nl
	}
	return fxUserCreate(family, run) + nl + user + " app" + nl
}

// fxHasUser reports whether the stage chain of st sets a non-root USER
// last.
func fxHasUser(st *dockerfile.Stage) bool {
	for _, s := range baseChain(st) {
		var last *dockerfile.Instruction
		for _, in := range s.Instructions {
			if in.Cmd == "user" {
				last = in
			}
		}
		if last != nil {
			return !IsRootUser(userArg(last))
		}
	}
	return false
}

// fxSystemManager reports whether m installs distribution packages.
func fxSystemManager(m shell.Manager) bool {
	switch m {
	case shell.AptGet, shell.Apt, shell.Aptitude, shell.Apk, shell.Yum, shell.Dnf, shell.Microdnf, shell.Zypper:
		return true
	}
	return false
}
