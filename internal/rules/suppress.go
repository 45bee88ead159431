package rules

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/linter"

	"github.com/stratatools/strata/internal/dockerfile"
)

// suppressions are the rule names a file switches off through comments
// and the BuildKit check directive.
//
// Ignore pragmas follow hadolint's grammar exactly (see parsePragma), in
// hadolint's spelling and in strata's:
//
//	# hadolint ignore=DL3008,SC2086      the line right below the comment
//	# hadolint global ignore=DL3059      the whole file
//	# hadolint stage ignore=DL3004       the stage whose FROM is right below
//
// "# strata ..." is the same with strata's rule names (any rule ID or
// alias, such as JSONArgsRecommended, in any case).
type suppressions struct {
	global []pragmaName
	// byLine maps a line to the names ignored for findings on it.
	byLine map[int][]pragmaName
	// stages are the stages a stage pragma applies to.
	stages []stageIgnore
	// ranges are the instructions' line ranges, to find the instruction
	// a finding without one falls in.
	ranges [][2]int
	// checkSkipAll and checkSkip come from "# check=skip=...".
	checkSkipAll bool
	checkSkip    []string
	// checkError is "# check=error=true": BuildKit check violations fail
	// the build, so they are reported as errors.
	checkError bool
	// checkExperimental lists experimental checks switched on with
	// "# check=experimental=..." ("all" for every one).
	checkExperimental []string
	// checkByLine holds per-instruction "# check=skip=..." comments.
	checkByLine map[int][]string
	// buildkit holds the names of BuildKit's checks.
	buildkit map[string]bool
}

// pragmaName is one rule name of an ignore pragma.
type pragmaName struct {
	name string
	// exact is true for hadolint's pragmas, whose rule codes are compared
	// as written; strata's compare names case-insensitively.
	exact bool
}

// stageIgnore is a stage pragma: the names it ignores from line from (the
// stage's FROM) up to line to (the line before the next FROM).
type stageIgnore struct {
	from, to int
	names    []pragmaName
}

// pragmaKind is what an ignore pragma covers.
type pragmaKind int

const (
	pragmaLine pragmaKind = iota
	pragmaGlobal
	pragmaStage
)

// readSuppressions scans the file's comments for strata and hadolint
// pragmas and the BuildKit check directive.
func readSuppressions(f *dockerfile.File) *suppressions {
	s := &suppressions{byLine: map[int][]pragmaName{}, checkByLine: map[int][]string{}, buildkit: BuildKitCheckNames()}
	if v, ok := f.Directive("check"); ok {
		opt := parseCheckDirective(v)
		s.checkSkipAll, s.checkSkip, s.checkError, s.checkExperimental = opt.skipAll, opt.skip, opt.errorOn, opt.experimental
	}
	froms := map[int]int{} // FROM line -> line before the next FROM
	for i, st := range f.Stages {
		to := len(f.Lines)
		if i+1 < len(f.Stages) {
			to = f.Stages[i+1].From.StartLine - 1
		}
		froms[st.From.StartLine] = to
	}
	for _, c := range f.Comments {
		kind, names, ok := parsePragma(c.Text)
		if !ok {
			continue
		}
		switch kind {
		case pragmaGlobal:
			s.global = append(s.global, names...)
		case pragmaLine:
			s.byLine[c.Line+1] = append(s.byLine[c.Line+1], names...)
		case pragmaStage:
			// Only right above a FROM; anywhere else it is ignored, as in
			// hadolint.
			if to, ok := froms[c.Line+1]; ok {
				s.stages = append(s.stages, stageIgnore{from: c.Line + 1, to: to, names: names})
			}
		}
	}
	for _, in := range f.Instructions {
		s.ranges = append(s.ranges, [2]int{in.StartLine, in.EndLine})
		// BuildKit honours the first check comment above an instruction
		// and only its skip list.
		for _, c := range in.Comments {
			v, ok := checkComment(c)
			if !ok {
				continue
			}
			opt := parseCheckDirective(v)
			names := opt.skip
			if opt.skipAll {
				names = append(names, "all")
			}
			s.checkByLine[in.StartLine] = append(s.checkByLine[in.StartLine], names...)
			break
		}
	}
	return s
}

// disableIgnorePragmas drops the ignore pragmas (--disable-ignore-pragma);
// BuildKit's check directive stays.
func (s *suppressions) disableIgnorePragmas() {
	s.global, s.byLine, s.stages = nil, map[int][]pragmaName{}, nil
}

// parsePragma parses the text of a comment (after "#") as an ignore
// pragma. The grammar is hadolint's, matched exactly: optional spaces or
// tabs, the tool word "hadolint" (or "strata"), at least one space or tab,
// then "ignore", "global" + spaces + "ignore" or "stage" + spaces +
// "ignore", optional spaces, "=", optional spaces, and a list of rule
// names separated by commas with optional spaces around them. Each name
// may be followed by spaces and a "# comment" that runs to the end of the
// line. hadolint's rule names are runs of the characters D, L, S, C and
// digits (DL3008, SC2086); strata's are runs of letters and digits. Any
// other text, an empty list or one bad name, and the comment is not a
// pragma at all: nothing is ignored.
func parsePragma(text string) (pragmaKind, []pragmaName, bool) {
	r := pragmaReader{s: text}
	r.spaces()
	exact := true
	isName := isHadolintCode
	switch {
	case r.word("hadolint"):
	case r.word("strata"):
		exact, isName = false, isStrataName
	default:
		return 0, nil, false
	}
	if !r.spaces1() {
		return 0, nil, false
	}
	kind := pragmaLine
	switch {
	case r.word("global"):
		kind = pragmaGlobal
	case r.word("stage"):
		kind = pragmaStage
	}
	if kind != pragmaLine && !r.spaces1() {
		return 0, nil, false
	}
	if !r.word("ignore") {
		return 0, nil, false
	}
	r.spaces()
	if !r.word("=") {
		return 0, nil, false
	}
	r.spaces()
	var names []pragmaName
	for {
		n := r.run(isName)
		if n == "" {
			return 0, nil, false
		}
		names = append(names, pragmaName{name: n, exact: exact})
		r.spaces()
		if r.word("#") {
			r.s = "" // a comment runs to the end of the line
		}
		if !r.word(",") {
			break
		}
		r.spaces()
	}
	if r.s != "" {
		return 0, nil, false
	}
	return kind, names, true
}

// pragmaReader consumes a pragma's text from the front.
type pragmaReader struct{ s string }

// word consumes w if the text starts with it.
func (r *pragmaReader) word(w string) bool {
	if strings.HasPrefix(r.s, w) {
		r.s = r.s[len(w):]
		return true
	}
	return false
}

// spaces consumes spaces and tabs; spaces1 requires at least one.
func (r *pragmaReader) spaces() { r.s = strings.TrimLeft(r.s, " \t") }

func (r *pragmaReader) spaces1() bool {
	n := len(r.s)
	r.spaces()
	return len(r.s) < n
}

// run consumes the longest prefix of bytes for which ok holds.
func (r *pragmaReader) run(ok func(byte) bool) string {
	i := 0
	for i < len(r.s) && ok(r.s[i]) {
		i++
	}
	out := r.s[:i]
	r.s = r.s[i:]
	return out
}

func isHadolintCode(c byte) bool {
	return c == 'D' || c == 'L' || c == 'S' || c == 'C' || c >= '0' && c <= '9'
}

func isStrataName(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// checkComment recognises a BuildKit check comment above an instruction,
// "check = ..." (the name in any case, spaces around "="), and returns
// its value.
func checkComment(c string) (string, bool) {
	k, v, ok := strings.Cut(strings.TrimSpace(c), "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(k), "check") {
		return "", false
	}
	return strings.TrimSpace(v), true
}

// checkOptions is a parsed BuildKit check directive.
type checkOptions struct {
	skipAll      bool
	skip         []string
	errorOn      bool
	experimental []string
}

// parseCheckDirective reads BuildKit's "skip=A,B;error=true;experimental=C"
// as BuildKit does: keys are case-sensitive and an unknown key makes the
// whole directive invalid (BuildKit then refuses it; strata ignores it);
// the directive ends at its first space ("skip=A, B" skips A only, and
// "skip = A" is invalid); rule names are BuildKit's check names, compared
// as written, and "all" (lower case) alone means every check.
func parseCheckDirective(v string) checkOptions {
	v, _, _ = strings.Cut(strings.TrimSpace(v), " ")
	var o checkOptions
	list := func(val string) []string {
		var out []string
		for _, n := range strings.Split(val, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	for _, part := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return checkOptions{}
		}
		switch k {
		case "skip":
			if val == "all" {
				o.skipAll = true
			} else {
				o.skip = append(o.skip, list(val)...)
			}
		case "error":
			b, err := strconv.ParseBool(val)
			if err != nil {
				return checkOptions{}
			}
			o.errorOn = b
		case "experimental":
			o.experimental = append(o.experimental, list(val)...)
		default:
			return checkOptions{}
		}
	}
	return o
}

// fileLevelChecks are the BuildKit checks that ignore a "# check=skip="
// comment above an instruction: BuildKit runs them with the file's
// configuration only.
var fileLevelChecks = [...]string{
	linter.RuleNoEmptyContinuation.Name,
	linter.RuleConsistentInstructionCasing.Name,
	linter.RuleDuplicateStageName.Name,
	linter.RuleReservedStageName.Name,
	linter.RuleInvalidDefaultArgInFrom.Name,
}

// isBuildKitCheck reports whether the rule mirrors one of BuildKit's
// build checks (its ID, an alias or a twin is a BuildKit check name).
func isBuildKitCheck(r *Rule, names map[string]bool) bool {
	for _, n := range append(append([]string{r.ID}, r.Aliases...), r.Twins...) {
		if names[n] {
			return true
		}
	}
	return false
}

// BuildKitCheckNames returns the names of BuildKit's build checks, read
// from BuildKit's own linter package.
func BuildKitCheckNames() map[string]bool {
	out := map[string]bool{}
	for _, n := range []string{
		linter.RuleStageNameCasing.Name,
		linter.RuleFromAsCasing.Name,
		linter.RuleNoEmptyContinuation.Name,
		linter.RuleConsistentInstructionCasing.Name,
		linter.RuleDuplicateStageName.Name,
		linter.RuleReservedStageName.Name,
		linter.RuleJSONArgsRecommended.Name,
		linter.RuleMaintainerDeprecated.Name,
		linter.RuleUndefinedArgInFrom.Name,
		linter.RuleWorkdirRelativePath.Name,
		linter.RuleUndefinedVar.Name,
		linter.RuleMultipleInstructionsDisallowed.Name,
		linter.RuleLegacyKeyValueFormat.Name,
		linter.RuleInvalidBaseImagePlatform.Name,
		linter.RuleRedundantTargetPlatform.Name,
		linter.RuleSecretsUsedInArgOrEnv.Name,
		linter.RuleInvalidDefaultArgInFrom.Name,
		linter.RuleFromPlatformFlagConstDisallowed.Name,
		linter.RuleCopyIgnoredFile.Name,
		linter.RuleInvalidDefinitionDescription.Name,
		linter.RuleExposeProtoCasing.Name,
		linter.RuleExposeInvalidFormat.Name,
	} {
		out[n] = true
	}
	return out
}

// suppressed reports whether d is switched off by a pragma or BuildKit's
// check directive.
func (s *suppressions) suppressed(d Diagnostic) bool {
	if matchPragma(d.Rule, s.global) {
		return true
	}
	line := s.findingLine(d)
	if matchPragma(d.Rule, s.byLine[line]) {
		return true
	}
	for _, st := range s.stages {
		if line >= st.from && line <= st.to && matchPragma(d.Rule, st.names) {
			return true
		}
	}
	if !isBuildKitCheck(d.Rule, s.buildkit) {
		return false
	}
	if s.checkSkipAll || matchCheckName(d.Rule, s.checkSkip) {
		return true
	}
	for _, n := range fileLevelChecks {
		if matchCheckName(d.Rule, []string{n}) {
			return false
		}
	}
	names := s.checkByLine[line]
	return slices.Contains(names, "all") || matchCheckName(d.Rule, names)
}

// findingLine is the line a finding belongs to for pragmas: the first
// line of its instruction, or of the instruction whose lines hold it (a
// finding inside a RUN that spans several lines), else its own line.
func (s *suppressions) findingLine(d Diagnostic) int {
	if d.Instruction != nil {
		return d.Instruction.StartLine
	}
	i := sort.Search(len(s.ranges), func(i int) bool { return s.ranges[i][1] >= d.Line })
	if i < len(s.ranges) && s.ranges[i][0] <= d.Line {
		return s.ranges[i][0]
	}
	return d.Line
}

// matchPragma reports whether a pragma's names name the rule: hadolint's
// codes as written, strata's names as the rule's ID or an alias in any
// case.
func matchPragma(r *Rule, names []pragmaName) bool {
	for _, n := range names {
		if n.exact && exactName(r, n.name) || !n.exact && r.Matches(n.name) {
			return true
		}
	}
	return false
}

// matchCheckName reports whether one of BuildKit's check names in names
// is the rule's (its ID or an alias, compared as written, as BuildKit
// does).
func matchCheckName(r *Rule, names []string) bool {
	for _, n := range names {
		if exactName(r, n) {
			return true
		}
	}
	return false
}

// exactName reports whether name is the rule's ID or one of its aliases,
// spelled exactly.
func exactName(r *Rule, name string) bool {
	return r.ID == name || slices.Contains(r.Aliases, name) || slices.Contains(r.Twins, name)
}
