package plan

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// fullOnly are programs the full language images (built on
// buildpack-deps) have and their -slim variants lack, and a JDK has and
// a JRE lacks.
var fullOnly = map[string]bool{
	"git": true, "curl": true, "wget": true, "gcc": true, "g++": true, "cc": true, "c++": true, "make": true,
	"cmake": true, "ssh": true, "scp": true, "svn": true, "hg": true, "bzr": true, "patch": true, "pkg-config": true,
	"autoconf": true, "automake": true, "gpg": true, "file": true, "unzip": true, "bzip2": true, "node-gyp": true,
	"javac": true, "jar": true, "jlink": true, "jdeps": true, "jshell": true, "mvn": true, "mvnw": true, "gradle": true,
	"gradlew": true,
}

// jdkOnly are the programs of fullOnly a JDK has and a JRE lacks.
var jdkOnly = map[string]bool{"javac": true, "jar": true, "jlink": true, "jdeps": true, "jshell": true, "mvn": true, "mvnw": true, "gradle": true, "gradlew": true}

// nativeInstallers are language package managers whose installs may
// compile native extensions, which need the compilers of the full image.
var nativeInstallers = []shell.Manager{shell.Pip, shell.Npm, shell.Yarn, shell.Pnpm, shell.Gem, shell.Bundle}

// eolReleases are Debian and Ubuntu releases out of support: a tag that
// names one is frozen, and no fix should move to (or stay on) it.
var eolReleases = []string{"jessie", "stretch", "buster", "wheezy", "xenial", "bionic"}

// Retag moves the base image of st (the root of the final image's
// chain) to newTag of the same repository: a -slim, -minimal or JRE
// variant of the same distribution. It returns nil when the smaller
// image may break the build or the image:
//
//   - the change is not a slimming of the same distribution (Debian to
//     Alpine, Apache to FPM, a release out of support);
//   - st or a stage built FROM it (a dev or test target included) runs
//     a program the full image has and the smaller lacks (git, curl,
//     a compiler, make, javac, mvn, ...) without installing it, or
//     installs language packages that may compile native code (pip,
//     npm, yarn, gem, bundle) with no compiler installed;
//   - st uses dnf or yum and the smaller image has only microdnf;
//   - the reference holds a variable or a digest.
func Retag(src Input, st *dockerfile.Stage, newTag string) *edit.Fix {
	p := newPass(src)
	f := p.File
	if st == nil || newTag == "" || newTag == st.Base.Tag || dockerfile.HasVariable(st.BaseRaw) || st.Base.Digest != "" || st.Base.Tag == "" {
		return nil
	}
	old := strings.ToLower(st.Base.Tag)
	nt := strings.ToLower(newTag)
	for _, r := range eolReleases {
		if strings.Contains(old, r) || strings.Contains(nt, r) {
			return nil
		}
	}
	if strings.Contains(nt, "alpine") != strings.Contains(old, "alpine") || strings.Contains(old, "apache") && !strings.Contains(nt, "apache") {
		return nil
	}
	stages := descendants(f, st)
	kind := "distribution"
	switch name := strings.ToLower(st.Base.Name()); {
	case strings.Contains(nt, "jre"):
		kind = "jre"
	case name == "python" || name == "node" || name == "ruby" || name == "perl" || name == "pypy":
		kind = "language"
	case strings.Contains(nt, "minimal") || strings.Contains(nt, "micro"):
		kind = "minimal"
	}
	if !slimEnough(p, stages, kind) {
		return nil
	}
	pos, end, ok := baseSpan(f, st)
	if !ok {
		return nil
	}
	nr := strings.TrimSuffix(st.BaseRaw, st.Base.Tag) + newTag
	if !strings.HasSuffix(st.BaseRaw, st.Base.Tag) {
		return nil
	}
	what := "the build and the stages built from it use nothing the smaller image lacks"
	return &edit.Fix{
		Message: fmt.Sprintf("use %s: a smaller base of the same distribution; %s", nr, what),
		Unsafe:  true,
		Edits:   []edit.TextEdit{{Pos: pos, End: end, NewText: nr}},
	}
}

// slimEnough reports whether the stages' RUNs, commands and health
// checks work on the smaller image (see Retag). kind says what the
// smaller image leaves out: "language" (a -slim language image: the
// build tools of buildpack-deps), "jre" (the JDK's tools),
// "minimal" (a RHEL-style -minimal image: dnf and yum, microdnf
// instead), "distribution" (debian's -slim: documentation only).
func slimEnough(p *pass, stages []*dockerfile.Stage, kind string) bool {
	if kind == "distribution" {
		return !installsJava(p, stages)
	}
	minimal := kind == "minimal"
	installed := map[string]bool{}
	var used []string
	native := false
	for _, s := range stages {
		for _, in := range s.Instructions {
			t := in
			if in.Trigger != nil {
				t = in.Trigger
			}
			switch t.Cmd {
			case "run":
				for _, op := range packageOps(p, in) {
					if minimal && (op.Manager == shell.Dnf || op.Manager == shell.Yum) {
						return false
					}
					if op.Action == shell.ActionInstall && systemManager(op.Manager) {
						for _, n := range op.PackageNames() {
							installed[n] = true
						}
					}
					if op.Action == shell.ActionInstall && slices.Contains(nativeInstallers, op.Manager) {
						native = true
					}
				}
				for _, rs := range p.Shell(in) {
					for _, c := range rs.Commands {
						used = append(used, c.Base())
					}
				}
				if t.JSON && len(t.Args) > 0 {
					used = append(used, path.Base(t.Args[0]))
				}
			case "cmd", "entrypoint", "healthcheck":
				for _, w := range commandWords(t) {
					used = append(used, path.Base(w))
				}
			}
		}
	}
	if minimal {
		return true
	}
	if kind == "language" {
		// A development target built on the base expects the full
		// image (its tools, and the CA bundle HTTPS git and curl
		// need, which the -slim variants lack).
		for _, st := range stages[1:] {
			if devStage(st.Name) {
				return false
			}
		}
		if (installed["git"] || installed["curl"] || installed["wget"]) && !installed["ca-certificates"] {
			return false
		}
	}
	compiler := installed["gcc"] || installed["build-essential"] || installed["build-base"] || installed["g++"] || installed["clang"]
	if kind == "language" && native && !compiler {
		return false
	}
	for _, u := range used {
		if !fullOnly[u] || installed[u] || kind == "jre" && !jdkOnly[u] {
			continue
		}
		if (u == "gcc" || u == "g++" || u == "cc" || u == "c++" || u == "make") && compiler {
			continue
		}
		if (u == "ssh" || u == "scp") && installed["openssh-client"] {
			continue
		}
		return false
	}
	return true
}

// installsJava reports whether a RUN of the stages installs OpenJDK with
// apt: its maintainer scripts register man pages with update-alternatives,
// which fails on Debian's -slim images, whose /usr/share/man/man1 is gone
// (debuerreotype/debuerreotype#10), unless the RUNs create it again.
func installsJava(p *pass, stages []*dockerfile.Stage) bool {
	java := false
	for _, s := range stages {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Commands {
					if c.Is("mkdir") && strings.Contains(strings.Join(c.Args, " "), "/usr/share/man/man1") {
						return false
					}
				}
			}
			for _, op := range packageOps(p, in) {
				if op.Action != shell.ActionInstall || op.Manager != shell.AptGet && op.Manager != shell.Apt {
					continue
				}
				for _, n := range op.PackageNames() {
					n, _, _ = strings.Cut(n, "=")
					if strings.HasPrefix(n, "openjdk-") || strings.HasPrefix(n, "default-jdk") || strings.HasPrefix(n, "default-jre") {
						java = true
					}
				}
			}
		}
	}
	return java
}

// devStage reports whether a stage name is a development or test target.
func devStage(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"dev", "devcontainer", "dev-envs", "development", "debug", "test", "tests", "testing"} {
		if n == w || strings.HasPrefix(n, w+"-") || strings.HasSuffix(n, "-"+w) || strings.HasSuffix(n, "_"+w) {
			return true
		}
	}
	return false
}

// baseSpan returns the byte range of the base image reference in st's
// FROM line.
func baseSpan(f *dockerfile.File, st *dockerfile.Stage) (int, int, bool) {
	from := st.From
	line := f.Offset(from.StartLine, from.Column)
	end := f.LineEnd(edit.HeaderEnd(from))
	text := string(f.Source[line:end])
	raw := st.BaseRaw
	for i := len(from.Keyword); i+len(raw) <= len(text); {
		j := strings.Index(text[i:], raw)
		if j < 0 {
			break
		}
		at := i + j
		before := text[at-1]
		after := byte(' ')
		if at+len(raw) < len(text) {
			after = text[at+len(raw)]
		}
		if (before == ' ' || before == '\t') && (after == ' ' || after == '\t' || after == '\r' || after == '\n') {
			return line + at, line + at + len(raw), true
		}
		i = at + 1
	}
	return 0, 0, false
}
