// Package plan writes strata's structural fixes: rewrites that move or
// add whole instructions, stages and files rather than edit a word. Each
// planner reads a Dockerfile (with the parsed shell of its RUNs and its
// build context) and returns an edit.Fix, or nil when it cannot be sure
// the rewrite keeps the build working:
//
//   - Dockerignore writes a .dockerignore for the build context (SD301);
//   - NonRoot creates an unprivileged user and switches to it (SD501);
//   - ManifestsFirst copies the dependency manifests and installs them
//     before the source (SD202);
//   - MultiStage splits a single-stage build into a build stage and a
//     runtime stage for Go, C, BusyBox, Python, Node.js and Java
//     programs (SD403, SD404);
//   - Later moves a cache clean-up into the RUN that filled the cache,
//     or chains the RUNs from an install to its removal (SD402);
//   - MergeRuns chains consecutive RUNs into one (DL3059, SD402);
//   - CacheMounts adds BuildKit cache mounts to a dependency install and
//     the later RUNs that read the same cache (SD701);
//   - Retag moves the base to a slimmer variant of the same
//     distribution (SD101).
//
// The rules in internal/rules decide when a fix is wanted and call the
// planners through Input; this package imports neither the rules nor the
// fixer, only the Dockerfile and shell models and the edit types.
package plan

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
)

// Input is what a planner reads. The rules engine provides it for the
// rule that asks for a fix.
type Input interface {
	// Dockerfile is the parsed file.
	Dockerfile() *dockerfile.File
	// BuildContext is the build context the file is built in.
	BuildContext() Context
	// Shell returns the parsed shell scripts of a RUN (nil for the exec
	// form, other instructions and shells that are not POSIX).
	Shell(in *dockerfile.Instruction) []*edit.Script
}

// Context is the build context as far as the planners need it. Its
// methods must work on an unknown context (standard input), reporting
// nothing there.
type Context interface {
	// Known reports whether the context directory is known.
	Known() bool
	// HasIgnoreFile reports whether a .dockerignore applies.
	HasIgnoreFile() bool
	// Exists reports whether a context-relative path exists.
	Exists(rel string) bool
	// Entries returns the names at the top of the context directory.
	Entries() []string
}

// pass is one planner call's view of its Input.
type pass struct {
	File    *dockerfile.File
	Context Context
	src     Input
}

func newPass(src Input) *pass {
	return &pass{File: src.Dockerfile(), Context: src.BuildContext(), src: src}
}

// Shell returns the parsed shell scripts of a RUN (see Input).
func (p *pass) Shell(in *dockerfile.Instruction) []*edit.Script { return p.src.Shell(in) }
