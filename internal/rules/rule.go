// Package rules holds strata's Dockerfile rule engine and its rules. A
// rule is a value, in the manner of golang.org/x/tools/go/analysis: it
// carries its identity, documentation and a check function; the engine
// (Run) runs the enabled rules over a parsed Dockerfile, applies
// suppressions and severity overrides, and derives the optimization
// checklist (see Checklist).
//
// Layout: a rule's ID leads to its file. DL3009 is declared in
// dl3009.go, SD301 in sd301.go, the BuildKit check UndefinedVar in
// undefinedvar.go (FileName); the file holds the rule value and the
// helpers only it uses. Helpers several rules share live in files named
// for what they do (aptutil.go, stageutil.go, scopeutil.go, ...), and
// ShellCheck's SCxxxx codes, which SD002 reports, in shellcheck.go. The
// engine is rule.go, engine.go, pass.go, facts.go, context.go,
// checklist.go, suppress.go and settings.go. Every rule is listed in
// registry.go (All), the one place rules are registered; TestRegistry
// validates the list (Validate) and checks the layout.
//
// Structural fixes (a .dockerignore, a non-root user, a build stage, ...)
// are written by internal/fix/plan; planners.go hands them a pass.
//
// To add a rule: declare it in the file named after its ID (a *Rule with
// ID, Name, Severity, Category, Checklist if it serves a checklist item,
// Doc with Summary, Why, Bad and Good, and Check), list it in All, and
// add test cases under testdata/lint (NAME.Dockerfile or a directory
// holding a Dockerfile and its build context) whose "# want" comments
// say what it reports (see TestRules); a rule that is on by default must
// have at least one.
package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// Doc documents a rule for `strata explain` and SARIF help.
type Doc struct {
	Summary string // one line: what the rule finds
	Why     string // why it matters
	Bad     string // a Dockerfile excerpt that triggers the rule
	Good    string // the same excerpt written well
	// Deviation says where a DL rule deliberately behaves otherwise than
	// hadolint's specification of the same rule, and why ("" when it
	// does not). `strata explain` and SARIF help print it under
	// "Deviation from hadolint:"; the README lists every one.
	Deviation string
}

// Rule is one check.
type Rule struct {
	// ID is the stable identifier ("DL3008", "STR001").
	ID string
	// Aliases are other tools' names for the same check, such as
	// BuildKit's "MaintainerDeprecated" for DL4000.
	Aliases []string
	// Twins are the IDs of rules that check the same thing as another
	// tool does it, where the two tools disagree on details: hadolint's
	// DL3025 and BuildKit's JSONArgsRecommended, for instance. Each rule
	// keeps its tool's semantics and lines; configuring or suppressing
	// one name applies to its twins too (see Matches), and where twins
	// report the same line the engine shows one finding, the one of the
	// rule listed first in All, naming the other in Diagnostic.Also.
	// Twins name each other.
	Twins []string
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
	// Early rules run before the others: their check starts work in
	// another process (Pass.Later), which then overlaps the other rules.
	Early bool
	// Check inspects the file through the pass and reports findings. An
	// error means the check could not do its work (the engine stops and
	// names the rule and the file); a finding is never an error.
	Check func(*Pass) error
}

// Matches reports whether name is the rule's ID, one of its aliases or
// one of its twins (case-insensitively).
func (r *Rule) Matches(name string) bool {
	if strings.EqualFold(r.ID, name) {
		return true
	}
	for _, a := range r.Aliases {
		if strings.EqualFold(a, name) {
			return true
		}
	}
	for _, a := range r.Twins {
		if strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}

// twinOf reports whether the rule lists other among its twins.
func (r *Rule) twinOf(other *Rule) bool {
	for _, t := range r.Twins {
		if t == other.ID {
			return true
		}
	}
	return false
}

// Diagnostic is one finding of one rule.
type Diagnostic struct {
	Rule     *Rule
	Severity vocab.Severity // effective severity after configuration
	Line     int            // 1-based
	EndLine  int
	Column   int // 1-based, 0 when unknown
	Message  string
	// Uncertain marks a finding the rule could not be sure of (the
	// entrypoint script is not in the context, the port's protocol is
	// unknown): the engine reports it as info at most, and it carries no
	// fix.
	Uncertain bool
	Fix       *edit.Fix
	// Declined says why the rule's fix is not offered for this finding
	// ("" when it is, or when the rule has none): a structural rewrite
	// that could not be sure to keep the image working, say.
	Declined string
	// Instruction is the instruction the finding is about, if any.
	Instruction *dockerfile.Instruction
	// Also names the twin rules (see Rule.Twins) that reported the same
	// line and were merged into this finding.
	Also []string
}
