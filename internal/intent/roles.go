package intent

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Role is what an image is for, as a set of flags. The zero Role is an
// application image: something a user runs as a service or a command.
type Role uint32

// The roles. Most runtime checks (a non-root user, a health check, an
// init process, a slimmer base) are about applications and say nothing,
// or less, about the others.
const (
	// RoleBase: an image to build FROM (no CMD or ENTRYPOINT of its own,
	// ONBUILD triggers, or a generated official image whose command is
	// a REPL). Its children choose the user, the health check, the
	// command.
	RoleBase Role = 1 << iota
	// RoleToolchain: a compiler, SDK or code generator image; its tools
	// are its purpose.
	RoleToolchain
	// RoleDevcontainer: a development environment (devcontainer, Docker
	// Dev Environment): tools and a login user are its purpose.
	RoleDevcontainer
	// RoleCIAction: a GitHub Docker container action, which must run as
	// root.
	RoleCIAction
	// RoleArtifact: a scratch stage that only carries files to export
	// (docker build --output), never run as a container.
	RoleArtifact
	// RoleWasm: a WebAssembly module run by a Wasm runtime.
	RoleWasm
	// RoleWindows: a Windows image.
	RoleWindows
	// RoleTemplate: a template a tool renders into Dockerfiles
	// (Dockerfile.template, .j2, {{ }} placeholders).
	RoleTemplate
	// RoleInteractive: the container runs a shell or a REPL, or idles,
	// waiting for someone to exec into it.
	RoleInteractive
	// RoleTestRunner: the container runs a test suite and exits.
	RoleTestRunner
)

var roleNames = []struct {
	r    Role
	name string
}{
	{RoleBase, "base image"}, {RoleToolchain, "toolchain"}, {RoleDevcontainer, "development environment"},
	{RoleCIAction, "CI action"}, {RoleArtifact, "artifact export"}, {RoleWasm, "WebAssembly module"},
	{RoleWindows, "Windows image"}, {RoleTemplate, "template"}, {RoleInteractive, "interactive shell"},
	{RoleTestRunner, "test runner"},
}

// String names the roles.
func (r Role) String() string {
	if r == 0 {
		return "application"
	}
	var out []string
	for _, n := range roleNames {
		if r&n.r != 0 {
			out = append(out, n.name)
		}
	}
	return strings.Join(out, ", ")
}

// Is reports whether the image has any of the roles rs.
func (img *Image) Is(rs Role) bool { return img.Roles&rs != 0 }

// Reason returns why the image has the first of the roles rs it has
// ("" when none).
func (img *Image) Reason(rs Role) string {
	for _, n := range roleNames {
		if rs&n.r != 0 && img.Roles&n.r != 0 {
			return img.Why[n.r]
		}
	}
	return ""
}

// set records a role and its reason (the first reason is kept).
func (img *Image) set(r Role, why string) {
	if img.Roles&r == 0 {
		img.Why[r] = why
	}
	img.Roles |= r
}

// classify finds the image's roles.
func (img *Image) classify() {
	f := img.in.File
	p := img.Program
	if isWindows(f, img.Chain) {
		img.set(RoleWindows, "a Windows image")
	}
	if why := templateReason(f); why != "" {
		img.set(RoleTemplate, why)
	}
	switch {
	case p.Inherited:
		img.set(RoleBase, "it sets no CMD or ENTRYPOINT: an image to build FROM")
	case img.hasOnbuild():
		img.set(RoleBase, "it has ONBUILD triggers: an image to build FROM")
	}
	if p.Interactive {
		what := "a shell"
		if p.Name == "sleep" || p.Name == "tail" {
			what = "an idle command (" + p.Name + ")"
		} else if !shells[p.Name] {
			what = "the " + p.Name + " REPL"
		}
		img.set(RoleInteractive, "its command is "+what)
		if img.Generated {
			img.set(RoleBase, "a generated official image whose command is "+what+": an image to build FROM")
		}
	}
	img.classifyToolchain()
	img.classifyDev()
	if img.ciAction() {
		img.set(RoleCIAction, "a GitHub container action (action.yml runs it with docker)")
	}
	if img.artifact() {
		img.set(RoleArtifact, "a scratch stage that only carries files to export")
	}
	if strings.HasSuffix(strings.ToLower(p.Path), ".wasm") || strings.Contains(strings.ToLower(img.Final.Platform), "wasi") ||
		strings.Contains(strings.ToLower(img.Final.Platform), "wasm") {
		img.set(RoleWasm, "a WebAssembly module")
	}
	if why := img.testRunner(); why != "" {
		img.set(RoleTestRunner, why)
	}
}

// isWindows reports whether a stage chain builds a Windows image.
func isWindows(f *dockerfile.File, chain []*dockerfile.Stage) bool {
	if f.Escape == '`' {
		return true
	}
	for _, s := range chain {
		b := strings.ToLower(s.Base.Raw)
		if strings.Contains(b, "windows/") || strings.Contains(b, "nanoserver") || strings.Contains(b, "servercore") {
			return true
		}
		for _, in := range s.Instructions {
			if in.Cmd == "shell" && len(in.Args) > 0 {
				sh := strings.ToLower(baseName(strings.ReplaceAll(in.Args[0], `\`, "/")))
				sh = strings.TrimSuffix(sh, ".exe")
				if sh == "powershell" || sh == "pwsh" || sh == "cmd" {
					return true
				}
			}
		}
	}
	return false
}

// templateReason tells why a file is a template to render rather than a
// Dockerfile to build, or "".
func templateReason(f *dockerfile.File) string {
	name := strings.ToLower(path.Base(f.Path))
	for _, ext := range []string{".template", ".tmpl", ".tpl", ".j2", ".jinja", ".jinja2", ".gotmpl", ".erb", ".mustache"} {
		if strings.HasSuffix(name, ext) {
			return "a template (" + path.Base(f.Path) + ") that a tool renders into Dockerfiles"
		}
	}
	for _, in := range f.Instructions {
		o := in.Original
		if strings.Contains(o, "{{") && strings.Contains(o, "}}") || strings.Contains(o, "{%") && strings.Contains(o, "%}") {
			return "a template: its instructions hold {{ }} placeholders"
		}
	}
	return ""
}

// hasOnbuild reports whether the final chain has ONBUILD triggers.
func (img *Image) hasOnbuild() bool {
	for _, st := range img.Chain {
		for _, in := range st.Instructions {
			if in.Cmd == "onbuild" {
				return true
			}
		}
	}
	return false
}

// classifyToolchain finds compiler, SDK and code-generator images.
func (img *Image) classifyToolchain() {
	p := img.Program
	repo := repoName(img.Base)
	if toolchainPrograms[p.Name] && !img.Tools.Copied[p.Name] && (toolchainBases[repo] || img.Tools.Installed[p.Name] || toolchainVerb(p.Args)) {
		img.set(RoleToolchain, "its command is the "+p.Name+" toolchain")
		return
	}
	idle := p.Inherited || p.Interactive
	if !idle {
		return
	}
	if toolchainBases[repo] {
		img.set(RoleToolchain, "it is built on the "+repo+" toolchain image and runs no application")
		return
	}
	names := []string{strings.ToLower(img.Final.Name), strings.ToLower(path.Base(path.Dir(img.in.File.Path)))}
	for _, n := range names {
		if toolchainStageNames[n] {
			img.set(RoleToolchain, "a "+n+" image with no command of its own")
			return
		}
	}
	// A compiler installed and no application to run.
	for _, c := range []string{"go", "gcc", "cargo", "rustc", "javac", "mvn", "gradle", "protoc", "make", "cmake", "clang"} {
		if img.Tools.Has[c] && img.Tools.Installed[c] {
			img.set(RoleToolchain, "it installs "+c+" and runs no application")
			return
		}
	}
}

// classifyDev finds development environments.
func (img *Image) classifyDev() {
	f := img.in.File
	p := filepathSlash(f.Path)
	switch {
	case strings.Contains(p, "/.devcontainer/") || strings.HasPrefix(p, ".devcontainer/"):
		img.set(RoleDevcontainer, "a devcontainer (.devcontainer/)")
		return
	case img.ctx.isFile("devcontainer.json") || img.ctx.isFile(".devcontainer/devcontainer.json"):
		img.set(RoleDevcontainer, "a devcontainer (devcontainer.json beside it)")
		return
	}
	repo := repoName(img.Base)
	if strings.HasPrefix(repo, "mcr.microsoft.com/devcontainers/") || strings.HasPrefix(repo, "mcr.microsoft.com/vscode/devcontainers/") {
		img.set(RoleDevcontainer, "built on a devcontainer image")
		return
	}
	name := strings.ToLower(img.Final.Name)
	if name == "dev-envs" || name == "devcontainer" || name == "dev-env" || name == "devenv" {
		img.set(RoleDevcontainer, "its final stage "+img.Final.Name+" is a development environment")
		return
	}
	if devStageNames[name] && img.createsDevUser() {
		img.set(RoleDevcontainer, "its final stage "+img.Final.Name+" sets up a development user")
	}
}

// createsDevUser reports whether the final stage creates the vscode or
// codespace user, or a docker group for a developer.
func (img *Image) createsDevUser() bool {
	for _, in := range img.Final.Instructions {
		if in.Cmd != "run" {
			continue
		}
		t := strings.Join(in.Args, " ")
		if (strings.Contains(t, "useradd") || strings.Contains(t, "adduser")) && (strings.Contains(t, "vscode") || strings.Contains(t, "codespace")) ||
			strings.Contains(t, "groupadd docker") || strings.Contains(t, "addgroup docker") {
			return true
		}
	}
	return false
}

// ciAction reports whether an action.yml beside the Dockerfile runs it as
// a GitHub Docker container action.
func (img *Image) ciAction() bool {
	for _, n := range []string{"action.yml", "action.yaml"} {
		t, ok := img.ctx.read(n)
		if !ok {
			continue
		}
		l := strings.ToLower(t)
		if strings.Contains(l, "using: docker") || strings.Contains(l, "using: 'docker'") || strings.Contains(l, `using: "docker"`) {
			return true
		}
	}
	return false
}

// artifact reports whether the final image is a scratch stage that only
// carries files to export.
func (img *Image) artifact() bool {
	if !img.Base.Scratch || len(img.Chain) != 1 {
		return false
	}
	artifacts := 0
	for _, in := range img.Final.Instructions {
		switch in.Cmd {
		case "copy", "add":
			if len(in.Args) < 2 {
				return false
			}
			for _, s := range in.Args[:len(in.Args)-1] {
				if !hasArtifactExt(s) {
					return false
				}
				artifacts++
			}
		case "run":
			return false
		}
	}
	if artifacts == 0 {
		return false
	}
	return img.Program.Inherited || hasArtifactExt(img.Program.Path)
}

func hasArtifactExt(s string) bool {
	l := strings.ToLower(dockerfile.TrimQuotes(s))
	for _, e := range artifactExtensions {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	return false
}

// testRunner tells why the container runs a test suite, or "".
func (img *Image) testRunner() string {
	p := img.Program
	if testRunners[p.Name] {
		return "its command runs tests (" + p.Name + ")"
	}
	args := strings.Join(p.Args, " ")
	switch p.Name {
	case "go", "cargo", "mvn", "mvnw", "gradle", "gradlew", "dotnet", "npm", "yarn", "pnpm", "npx", "bundle", "make":
		for _, a := range p.Args {
			if a == "test" || a == "tests" || a == "e2e" || strings.HasPrefix(a, "test:") || a == "rspec" || a == "pytest" || a == "cypress" || a == "playwright" {
				return "its command runs tests (" + p.Name + " " + args + ")"
			}
		}
	case "python", "python3":
		if len(p.Args) > 1 && p.Args[0] == "-m" && (p.Args[1] == "pytest" || p.Args[1] == "unittest") {
			return "its command runs tests (python -m " + p.Args[1] + ")"
		}
	}
	for _, s := range append([]string{p.Path, p.EntryFile}, scriptPaths(p.Scripts)...) {
		b := strings.ToLower(path.Base(s))
		if strings.HasPrefix(b, "test") || strings.HasPrefix(b, "e2e") || strings.HasPrefix(b, "run-test") || strings.HasPrefix(b, "run_test") {
			return "its command runs tests (" + path.Base(s) + ")"
		}
	}
	return ""
}

func scriptPaths(scs []*Script) []string {
	var out []string
	for _, s := range scs {
		out = append(out, s.Path)
	}
	return out
}

func filepathSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// toolchainVerb reports whether a toolchain is run to build or run code
// (go run, cargo build, mvn package ...).
func toolchainVerb(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "run", "build", "test", "install", "generate", "tool", "exec", "package", "compile", "verify", "bootRun", "spring-boot:run":
		return true
	}
	return false
}
