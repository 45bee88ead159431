// Package buildplan says what BuildKit would build for a Dockerfile,
// without a daemon: it converts the Dockerfile with BuildKit's own
// Dockerfile frontend (dockerfile2llb, the code BuildKit runs) and decodes
// the result into the operations BuildKit would run, in build order: each
// with the name BuildKit prints ("[build 2/4] COPY a.txt ./"), its
// Dockerfile lines, the parts of its definition that make its cache key,
// its inputs and which of them BuildKit compares by content, and the paths
// it reads from the build context. It also gives the paths BuildKit asks
// the client to send (the frontend's "follow paths").
//
// Base images are not resolved: every FROM is given an empty image
// configuration, the same for the same reference, so that two plans of a
// Dockerfile differ exactly where a build would. Comparing plans is
// internal/cachepredict's job; walking the context is internal/buildcontext's.
package buildplan

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// Options are the build settings that change what BuildKit builds.
type Options struct {
	// BuildArgs are the --build-arg values.
	BuildArgs map[string]string
	// Target is the stage to build; "" builds the last one.
	Target string
	// NoCacheFilter names stages whose steps BuildKit must not take from
	// its cache (--no-cache-filter).
	NoCacheFilter []string
}

// Plan is what BuildKit would build for one Dockerfile.
type Plan struct {
	// File is the parsed Dockerfile.
	File *dockerfile.File
	// Steps are the operations of the stages the target needs, in the
	// order BuildKit's graph puts them (every step after its inputs):
	// the Dockerfile steps (see Named) and internal operations (the
	// build context, the download of an ADD <url>).
	Steps []*Step
	// Context is the build context as the build reads it; nil when no
	// instruction of the needed stages reads it (BuildKit then transfers
	// nothing).
	Context *ContextUse
	// Stages are the names (or "stage-N") of the stages the target
	// needs, in Dockerfile order.
	Stages []string
}

// ContextUse is how a build uses the build context.
type ContextUse struct {
	// FollowPaths are the context paths BuildKit asks the client to
	// send (with their parent directories, and the targets of symbolic
	// links among them); nil when an instruction reads the whole context.
	FollowPaths []string
	// Step is the operation that loads the context.
	Step *Step
}

// Input kinds.
const (
	// InputBase is the filesystem a step changes: a RUN's root, the
	// destination of a COPY.
	InputBase = "base"
	// InputCopy is a COPY or ADD source.
	InputCopy = "copy"
	// InputMount is a RUN --mount of another filesystem.
	InputMount = "mount"
)

// Input is one input of a step.
type Input struct {
	// Step is the operation whose output is the input.
	Step *Step
	// Kind is InputBase, InputCopy or InputMount.
	Kind string
	// Selectors are the paths of the input the step reads, as BuildKit
	// selects them (absolute, possibly with wildcards).
	Selectors []string
	// Wildcard is true when a selector holds a pattern.
	Wildcard bool
	// ByContent is true when BuildKit keys the step on the content of
	// the selected paths rather than on how the input was made: COPY
	// sources and read-only or discarded RUN mounts. A rebuilt input
	// whose selected paths come out byte-identical then does not
	// invalidate the step.
	ByContent bool
}

// Read is a context path a step reads.
type Read struct {
	// Path is the context-relative, slash-separated path or pattern as
	// the step selects it; "" is the whole context.
	Path string
	// Wildcard is true when Path is a pattern.
	Wildcard bool
	// Mount is true for a RUN --mount=type=bind (else a COPY or ADD
	// source).
	Mount bool
}

// Convert reads the Dockerfile at path (or src when not nil) and returns
// what BuildKit would build for it with opts. A Dockerfile BuildKit
// rejects is a *vocab.InputError naming the file and line.
func Convert(ctx context.Context, path string, src []byte, opts Options) (*Plan, error) {
	var f *dockerfile.File
	var err error
	if src == nil {
		f, err = dockerfile.ParseFile(path)
	} else {
		f, err = dockerfile.Parse(path, src)
	}
	if err != nil {
		return nil, &vocab.InputError{Err: err}
	}
	if len(f.Stages) == 0 {
		return nil, vocab.Inputf("%s: no FROM instruction; not a Dockerfile?", path)
	}
	if opts.Target != "" && stageByName(f, opts.Target) == nil {
		return nil, vocab.Inputf("%s: no build stage named %q (--target)", path, opts.Target)
	}
	platform := ocispecs.Platform{OS: "linux", Architecture: runtime.GOARCH}
	args := map[string]string{}
	for k, v := range opts.BuildArgs {
		args[k] = v
	}
	sm := llb.NewSourceMap(nil, path, "", f.Source)
	res, err := dockerfile2llb.Dockerfile2LLB(ctx, f.Source, dockerfile2llb.ConvertOpt{
		Config:         dockerui.Config{BuildArgs: args, Target: opts.Target},
		MetaResolver:   offlineResolver{platform: platform},
		SourceMap:      sm,
		TargetPlatform: &platform,
		Warn:           func(string, string, string, string, []parser.Range) {},
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, inputError(path, err)
	}
	def, err := res.State.Marshal(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: reading BuildKit's build definition: %w", path, err)
	}
	p := &Plan{File: f}
	if err := p.decode(def.ToPB(), opts); err != nil {
		return nil, fmt.Errorf("%s: reading BuildKit's build definition: %w", path, err)
	}
	return p, nil
}

// inputError names the Dockerfile and, when BuildKit gave one, the line
// of an error of the frontend.
func inputError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "${") || strings.Contains(msg, "should not be blank") {
		msg += " (an ARG without a value: give it with --build-arg)"
	}
	var loc *parser.LocationError
	if errors.As(err, &loc) && len(loc.Locations) > 0 && len(loc.Locations[0]) > 0 {
		return vocab.Inputf("%s:%d: %s", path, loc.Locations[0][0].Start.Line, msg)
	}
	return vocab.Inputf("%s: %s", path, strings.TrimPrefix(msg, "dockerfile parse error "))
}

func stageByName(f *dockerfile.File, name string) *dockerfile.Stage {
	for _, s := range f.Stages {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// StageName is how BuildKit names a stage in its step names: the name
// after AS, or "stage-N".
func StageName(s *dockerfile.Stage) string {
	if s.Name != "" {
		return strings.ToLower(s.Name)
	}
	return fmt.Sprintf("stage-%d", s.Index)
}

// Named returns the Dockerfile steps (FROM, RUN, COPY, ADD, WORKDIR),
// in build order.
func (p *Plan) Named() []*Step {
	var out []*Step
	for _, s := range p.Steps {
		if s.IsStep() && s.Kind != KindOther && s.Kind != KindContext {
			out = append(out, s)
		}
	}
	return out
}

// ContextReads returns every read of the build context, with the step
// that makes it, in build order.
func (p *Plan) ContextReads() []StepRead {
	var out []StepRead
	for _, s := range p.Steps {
		for _, r := range s.Reads {
			out = append(out, StepRead{Step: s, Read: r})
		}
	}
	return out
}

// StepRead is a read of the build context by a step.
type StepRead struct {
	Step *Step
	Read
}
