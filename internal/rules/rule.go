// Package rules holds strata's Dockerfile rule engine and its rules. A
// rule is a value, in the manner of golang.org/x/tools/go/analysis: it
// carries its identity, documentation and a check function; the engine
// runs the enabled rules over a parsed Dockerfile, applies suppressions
// and severity overrides, and derives the optimization checklist.
package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// Doc documents a rule for `strata explain` and SARIF help.
type Doc struct {
	Summary string // one line: what the rule finds
	Why     string // why it matters
	Bad     string // a Dockerfile excerpt that triggers the rule
	Good    string // the same excerpt written well
}

// Rule is one check.
type Rule struct {
	// ID is the stable identifier ("DL3008", "STR001").
	ID string
	// Aliases are other tools' names for the same check, such as
	// BuildKit's "JSONArgsRecommended".
	Aliases []string
	// Name is a short kebab-case name.
	Name string
	// Severity is the default severity.
	Severity vocab.Severity
	// Category groups the rule.
	Category vocab.Category
	// Checklist is the optimization checklist item the rule serves, or "".
	Checklist string
	// Doc is the rule's documentation.
	Doc Doc
	// DefaultOff rules run only when enabled in the configuration.
	DefaultOff bool
	// Retired rules are accepted in ignore lists and never run.
	Retired bool
	// Check inspects the file through the pass and reports findings. An
	// error means the check could not do its work (the engine stops and
	// names the rule and the file); a finding is never an error.
	Check func(*Pass) error
}

// Matches reports whether name is the rule's ID or one of its aliases
// (case-insensitively).
func (r *Rule) Matches(name string) bool {
	if strings.EqualFold(r.ID, name) {
		return true
	}
	for _, a := range r.Aliases {
		if strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}

// TextEdit replaces the bytes [Pos, End) of the Dockerfile source.
type TextEdit struct {
	Pos, End int
	NewText  string
}

// Fix is a rule's proposed change.
type Fix struct {
	// Message describes the change and its expected effect.
	Message string
	Edits   []TextEdit
	// Create lists files to add next to the Dockerfile, in the build
	// context (such as a .dockerignore). A file that already exists is
	// never overwritten.
	Create []NewFile
	// Unsafe fixes change what the image contains; they are applied only
	// when the user asks for them.
	Unsafe bool
	// Region, when set, is the source range the fix's reasoning covers
	// (usually its whole instruction). No other fix whose edits touch the
	// region, its ends included, is applied in the same pass: it is
	// proposed again on the next pass against the new text. It keeps two
	// fixes that each make sense alone from being combined, such as a
	// cache mount and a clean-up that would empty it.
	Region *Span
}

// Span is a byte range [Pos, End) of the Dockerfile source.
type Span struct {
	Pos, End int
}

// NewFile is a file a fix adds to the build context.
type NewFile struct {
	// Path is relative to the build context, with forward slashes.
	Path    string
	Content string
}

// Diagnostic is one finding of one rule.
type Diagnostic struct {
	Rule     *Rule
	Severity vocab.Severity // effective severity after configuration
	Line     int            // 1-based
	EndLine  int
	Column   int // 1-based, 0 when unknown
	Message  string
	Fix      *Fix
	// Instruction is the instruction the finding is about, if any.
	Instruction *dockerfile.Instruction
}
