package buildplan

import (
	"regexp"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Kinds of step.
const (
	KindFrom    = "from"
	KindRun     = "run"
	KindCopy    = "copy"
	KindAdd     = "add"
	KindWorkdir = "workdir"
	// KindContext is the operation that loads the build context.
	KindContext = "context"
	// KindOther is any other operation (a helper of a COPY, an image
	// source outside a FROM).
	KindOther = "other"
)

// Step is one operation of the build.
type Step struct {
	// Name is BuildKit's name for the operation: "[build 2/4] COPY a.txt
	// ./" for a Dockerfile step, "[internal] load build context", or ""
	// for an unnamed helper.
	Name string
	// Instruction is the Dockerfile instruction the operation comes
	// from; nil for internal operations.
	Instruction *dockerfile.Instruction
	// Stage is the instruction's stage as BuildKit names it ("build",
	// "stage-1"); "" for internal operations.
	Stage string
	// Kind is one of the Kind constants.
	Kind string
	// Digest is the operation's digest in BuildKit's build definition.
	Digest string
	// Core is a digest of the operation's definition without its inputs,
	// normalised as BuildKit normalises it for its cache key: two steps
	// with the same Core and the same inputs share a cache entry.
	Core string
	// Inputs are the operation's inputs, in BuildKit's order.
	Inputs []Input
	// Reads are the build-context paths the operation reads.
	Reads []Read
	// IgnoreCache is true when BuildKit must run the operation afresh
	// (--no-cache-filter).
	IgnoreCache bool
	// Exec describes a RUN's process; nil for other operations.
	Exec *Exec
	// Source is the identifier of a source operation:
	// "docker-image://docker.io/library/busybox:latest@sha256:...",
	// "local://context"; "" for other operations.
	Source string
}

// Exec is the process a RUN step starts, as its cache key sees it.
type Exec struct {
	Args []string
	// Env is the environment in BuildKit's order (the order variables
	// were last set in).
	Env  []string
	Cwd  string
	User string
	// Network is the network mode ("" for the default).
	Network string
}

// stepName matches the names BuildKit gives Dockerfile steps: "[2/3] ",
// "[build 1/4] ", "[ 2/10] ".
var stepName = regexp.MustCompile(`^\[(?:[^\]\s]+ )?\s*\d+/\d+\] `)

// IsStep reports whether the operation is a Dockerfile step (BuildKit
// numbers it).
func (s *Step) IsStep() bool { return stepName.MatchString(s.Name) }

// Text is the step's instruction as BuildKit prints it, without the
// numbering: "COPY a.txt ./".
func (s *Step) Text() string {
	if loc := stepName.FindStringIndex(s.Name); loc != nil {
		return s.Name[loc[1]:]
	}
	return s.Name
}

// Line is the first Dockerfile line of the step's instruction; 0 when
// it has none.
func (s *Step) Line() int {
	if s.Instruction == nil {
		return 0
	}
	return s.Instruction.StartLine
}

// Source returns the instruction's source text as written, with line
// continuations joined and runs of blanks collapsed; "" without one.
func (s *Step) SourceText() string {
	in := s.Instruction
	if in == nil {
		return ""
	}
	return strings.Join(strings.Fields(in.Original), " ")
}

// ReadsWholeContext reports whether the step reads the whole build
// context (COPY . or a bind mount of it).
func (s *Step) ReadsWholeContext() bool {
	for _, r := range s.Reads {
		if r.Path == "" {
			return true
		}
	}
	return false
}

// StepKey names a step across builds by its stage and instruction,
// without BuildKit's numbering: "build COPY a.txt ./" for "[build 2/4]
// COPY a.txt ./", "COPY a.txt ./" for "[2/4] COPY a.txt ./". It is ""
// for a name that is not a Dockerfile step's.
func StepKey(name string) string {
	loc := stepName.FindStringIndex(name)
	if loc == nil {
		return ""
	}
	if st := nameStage(name); st != "" {
		return st + " " + name[loc[1]:]
	}
	return name[loc[1]:]
}
