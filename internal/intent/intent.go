// Package intent tells what the image a Dockerfile builds is for and
// what its container runs. It answers the questions strata's checklist
// rules (SDxxx), the fix planners and the language server all ask, once
// per file and statically (nothing is run or pulled):
//
//   - Program: the program behind ENTRYPOINT and CMD, looking through
//     init wrappers (tini, dumb-init), shell command lines (sh -c "...
//     exec app") and entrypoint scripts found in the build context
//     (docker-entrypoint.sh + CMD ["redis-server"] runs redis-server),
//     and whether the script or the program drops root itself (gosu,
//     su-exec, su, runuser, setpriv, a daemon's -u flag, a master process
//     such as nginx or php-fpm);
//   - Roles: whether the image is an application at all, or a base image
//     to build FROM, a toolchain, a devcontainer, a CI action, an
//     artifact export, a template, an interactive shell, a test runner;
//   - Tools: the commands the final image has (packages installed,
//     binaries copied in, what the base image brings);
//   - Ports: what protocol each exposed port speaks and how to probe it.
//
// The tables behind these answers (tables.go, ports.go) are data, meant
// to be extended without touching the logic.
package intent

import (
	"path"
	"strings"
	"sync"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Input is what Analyze reads.
type Input struct {
	// File is the parsed Dockerfile.
	File *dockerfile.File
	// ContextDir is the build context directory; "" when unknown
	// (standard input).
	ContextDir string
	// Shell returns the parsed shell scripts of a RUN; nil makes Analyze
	// parse them itself.
	Shell func(*dockerfile.Instruction) []*shell.Script
	// Compose reads the Compose files around the build context, shared
	// by the files of a run; nil reads them for this file alone.
	Compose *ComposeFiles
}

// Image is what Analyze found out about the final image of a file.
type Image struct {
	// Final is the final stage; nil for a file without FROM.
	Final *dockerfile.Stage
	// Chain is the final stage's chain, the stage on the external base
	// first and the final stage last.
	Chain []*dockerfile.Stage
	// Base is the external image (or scratch) the chain starts from.
	Base dockerfile.ImageRef
	// Entrypoint and Cmd are the ENTRYPOINT and CMD in force from the
	// file (nil when the base image's apply).
	Entrypoint, Cmd *dockerfile.Instruction
	// Program is what the container runs.
	Program Program
	// Roles are what the image is for (zero: an application).
	Roles Role
	// Why explains each role found, for messages.
	Why map[Role]string
	// Generated is true for a generated official image ("THIS
	// DOCKERFILE IS GENERATED", "DO NOT EDIT" at the top): its
	// maintainers deliberately keep it free of HEALTHCHECK, USER and
	// BuildKit-only syntax.
	Generated bool
	// Tools are the commands the final image has, as far as they can be
	// told.
	Tools Tools
	// Ports are the exposed ports of the final image.
	Ports []Port
	// ContextDir is the build context the analysis read: the one given,
	// or a folder above it that holds every file the COPY instructions
	// name when the one given does not (a Dockerfile in docker/ built
	// from the repository root).
	ContextDir string
	// ContextConfident is false when COPY instructions name files that
	// neither the given context nor a folder above it holds: the context
	// is assembled by a build script, and what it holds is not known.
	ContextConfident bool
	in               Input
	ctx              *context
	compose          []ComposeService

	scriptsOnce sync.Once
	scripts     []*Script
}

// Scripts returns the context files the final image copies in and runs
// or may run: the entrypoint and start scripts, health-check scripts and
// executable helpers, parsed. They are read from the build context on the
// first call: most files' rules never need them.
func (img *Image) Scripts() []*Script {
	img.scriptsOnce.Do(func() { img.scripts = img.contextScripts() })
	return img.scripts
}

// Analyze looks at the final image of in.File.
func Analyze(in Input) *Image {
	img := &Image{in: in, Why: map[Role]string{}, ctx: newContext(in.ContextDir), ContextDir: in.ContextDir, ContextConfident: true}
	f := in.File
	if f == nil {
		return img
	}
	img.Final = f.FinalStage()
	img.Generated = generated(f)
	if img.Final == nil {
		return img
	}
	chain := img.Final.Chain()
	for i := len(chain) - 1; i >= 0; i-- {
		img.Chain = append(img.Chain, chain[i])
	}
	img.Base = img.Chain[0].Base
	img.resolveContext()
	img.Entrypoint, img.Cmd = runSpec(img.Chain)
	img.Tools = img.tools()
	img.Program = img.resolveProgram()
	img.Ports = img.ports()
	img.classify()
	return img
}

// Instructions returns the instructions of the final image's chain in
// build order, ONBUILD wrappers left out.
func (img *Image) Instructions() []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, st := range img.Chain {
		for _, in := range st.Instructions {
			if in.Cmd != "onbuild" {
				out = append(out, in)
			}
		}
	}
	return out
}

// shellOf returns the parsed scripts of a RUN.
func (img *Image) shellOf(in *dockerfile.Instruction) []*shell.Script {
	if img.in.Shell != nil {
		return img.in.Shell(in)
	}
	if in.Cmd != "run" || in.JSON || !shell.IsPOSIXShell(in.Shell) {
		return nil
	}
	var out []*shell.Script
	for _, sc := range in.Scripts() {
		if s, err := shell.Parse(sc.Text); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// runSpec returns the ENTRYPOINT and CMD in force at the end of chain
// (external base first). Setting ENTRYPOINT resets a CMD inherited from
// an earlier stage, as Docker does for a CMD of the base image.
func runSpec(chain []*dockerfile.Stage) (ep, cmd *dockerfile.Instruction) {
	for _, st := range chain {
		for _, in := range st.Instructions {
			switch in.Cmd {
			case "entrypoint":
				ep = in
				if cmd != nil && cmd.Stage != st {
					cmd = nil
				}
			case "cmd":
				cmd = in
			}
		}
	}
	return ep, cmd
}

// generated reports whether the file says it is generated (the official
// images' "THIS DOCKERFILE IS GENERATED VIA ..." or a "DO NOT EDIT"
// header) in its first comments.
func generated(f *dockerfile.File) bool {
	for _, c := range f.Comments {
		if c.Line > 12 {
			break
		}
		u := strings.ToUpper(c.Text)
		if strings.Contains(u, "THIS DOCKERFILE IS GENERATED") || strings.Contains(u, "DO NOT EDIT") {
			return true
		}
	}
	return false
}

// repoName returns the repository of an image reference as users write
// it: "python" for Docker Hub official images, "grafana/k6", or
// "mcr.microsoft.com/dotnet/sdk" with the registry.
func repoName(ref dockerfile.ImageRef) string {
	r := strings.ToLower(ref.Repository)
	if ref.Registry != "" && ref.Registry != "docker.io" && ref.Registry != "index.docker.io" {
		r = strings.ToLower(ref.Registry) + "/" + r
	}
	return strings.TrimPrefix(r, "library/")
}

// baseName returns the last element of a slash-separated path.
func baseName(s string) string {
	s = strings.TrimRight(s, "/")
	if s == "" {
		return ""
	}
	return path.Base(s)
}
