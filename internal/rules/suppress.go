package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/linter"

	"github.com/stratatools/strata/internal/dockerfile"
)

// suppressions are the rule names a file switches off through comments
// and the BuildKit check directive.
type suppressions struct {
	global []string
	// byLine maps an instruction's start line to the names ignored for it.
	byLine map[int][]string
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

// readSuppressions scans the file's comments for strata and hadolint
// pragmas and the BuildKit check directive.
func readSuppressions(f *dockerfile.File) *suppressions {
	s := &suppressions{byLine: map[int][]string{}, checkByLine: map[int][]string{}, buildkit: BuildKitCheckNames()}
	if v, ok := f.Directive("check"); ok {
		opt := parseCheckDirective(v)
		s.checkSkipAll, s.checkSkip, s.checkError, s.checkExperimental = opt.skipAll, opt.skip, opt.errorOn, opt.experimental
	}
	for _, c := range f.Comments {
		if names, ok := pragma(c.Text, true); ok {
			s.global = append(s.global, names...)
		}
	}
	for _, in := range f.Instructions {
		{
			seenCheck := false
			for _, c := range in.Comments {
				if names, ok := pragma(c, false); ok {
					s.byLine[in.StartLine] = append(s.byLine[in.StartLine], names...)
				}
				// BuildKit honours the first check comment above an
				// instruction and only its skip list.
				if v, ok := checkComment(c); ok && !seenCheck {
					seenCheck = true
					opt := parseCheckDirective(v)
					names := opt.skip
					if opt.skipAll {
						names = append(names, "all")
					}
					s.checkByLine[in.StartLine] = append(s.checkByLine[in.StartLine], names...)
				}
			}
		}
	}
	return s
}

// pragma parses "strata ignore=A,B", "hadolint ignore=A,B" and, when
// global is true, their "global ignore=" forms.
func pragma(text string, global bool) ([]string, bool) {
	fields := strings.Fields(text)
	if len(fields) < 2 {
		return nil, false
	}
	tool := strings.ToLower(fields[0])
	if tool != "strata" && tool != "hadolint" {
		return nil, false
	}
	rest := fields[1:]
	if global {
		if strings.ToLower(rest[0]) != "global" || len(rest) < 2 {
			return nil, false
		}
		rest = rest[1:]
	} else if strings.ToLower(rest[0]) == "global" {
		return nil, false
	}
	joined := strings.Join(rest, "")
	const key = "ignore="
	if len(joined) < len(key) || !strings.EqualFold(joined[:len(key)], key) {
		return nil, false
	}
	list := joined[len(key):]
	var names []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names, len(names) > 0
}

// checkComment recognises "check = ..." (any case, spaces around "=")
// and returns its value.
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

// parseCheckDirective reads BuildKit's "skip=A,B;error=true;experimental=C".
// Each value ends at the first space, as in BuildKit; "all" in skip
// means every check only when it stands alone.
func parseCheckDirective(v string) checkOptions {
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
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		if f := strings.Fields(val); len(f) > 0 {
			val = f[0]
		} else {
			val = ""
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "skip":
			names := list(val)
			if len(names) == 1 && strings.EqualFold(names[0], "all") {
				o.skipAll = true
			} else {
				o.skip = append(o.skip, names...)
			}
		case "error":
			o.errorOn, _ = strconv.ParseBool(val)
		case "experimental":
			o.experimental = append(o.experimental, list(val)...)
		}
	}
	return o
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

// suppressed reports whether d is switched off for its line.
func (s *suppressions) suppressed(d Diagnostic) bool {
	match := func(names []string) bool {
		for _, n := range names {
			if d.Rule.Matches(n) {
				return true
			}
		}
		return false
	}
	if match(s.global) {
		return true
	}
	line := d.Line
	if d.Instruction != nil {
		line = d.Instruction.StartLine
	}
	if match(s.byLine[line]) {
		return true
	}
	if isBuildKitCheck(d.Rule, s.buildkit) {
		// BuildKit matches check names case-sensitively, and reads only
		// the file-level directive for the checks it runs before the
		// instructions (bkFileLevelChecks).
		if s.checkSkipAll || bkNamed(d.Rule, s.checkSkip) {
			return true
		}
		if bkNamed(d.Rule, bkFileLevelChecks[:]) {
			return false
		}
		names := s.checkByLine[line]
		if slices.Contains(names, "all") || bkNamed(d.Rule, names) {
			return true
		}
	}
	return false
}

// bkFileLevelChecks are the BuildKit checks that per-instruction check
// comments do not affect.
var bkFileLevelChecks = [...]string{"NoEmptyContinuation", "ConsistentInstructionCasing", "DuplicateStageName",
	"ReservedStageName", "InvalidDefaultArgInFrom"}

// bkNamed reports whether names holds the rule's ID, an alias or a twin,
// spelled exactly.
func bkNamed(r *Rule, names []string) bool {
	for _, n := range append(append([]string{r.ID}, r.Aliases...), r.Twins...) {
		if slices.Contains(names, n) {
			return true
		}
	}
	return false
}
