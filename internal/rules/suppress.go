package rules

import (
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
	// checkByLine holds per-instruction "# check=skip=..." comments.
	checkByLine map[int][]string
}

// readSuppressions scans the file's comments for strata and hadolint
// pragmas and the BuildKit check directive.
func readSuppressions(f *dockerfile.File) *suppressions {
	s := &suppressions{byLine: map[int][]string{}, checkByLine: map[int][]string{}}
	if v, ok := f.Directive("check"); ok {
		s.checkSkipAll, s.checkSkip, s.checkError = parseCheckDirective(v)
	}
	for _, c := range f.Comments {
		if names, ok := pragma(c.Text, true); ok {
			s.global = append(s.global, names...)
		}
	}
	for _, in := range f.Instructions {
		{
			for _, c := range in.Comments {
				if names, ok := pragma(c, false); ok {
					s.byLine[in.StartLine] = append(s.byLine[in.StartLine], names...)
				}
				if v, ok := strings.CutPrefix(strings.TrimSpace(c), "check="); ok {
					all, names, _ := parseCheckDirective(v)
					if all {
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

// parseCheckDirective reads BuildKit's "skip=A,B;error=true".
func parseCheckDirective(v string) (skipAll bool, skip []string, errorOn bool) {
	for _, part := range strings.Split(v, ";") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "skip":
			for _, n := range strings.Split(val, ",") {
				n = strings.TrimSpace(n)
				if strings.EqualFold(n, "all") {
					skipAll = true
				} else if n != "" {
					skip = append(skip, n)
				}
			}
		case "error":
			errorOn = strings.EqualFold(strings.TrimSpace(val), "true")
		}
	}
	return skipAll, skip, errorOn
}

// isBuildKitCheck reports whether the rule mirrors one of BuildKit's
// build checks (its ID or an alias is a BuildKit check name).
func isBuildKitCheck(r *Rule) bool {
	names := BuildKitCheckNames()
	for _, n := range append([]string{r.ID}, r.Aliases...) {
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
	if isBuildKitCheck(d.Rule) {
		if s.checkSkipAll || match(s.checkSkip) {
			return true
		}
		names := s.checkByLine[line]
		for _, n := range names {
			if strings.EqualFold(n, "all") {
				return true
			}
		}
		if match(names) {
			return true
		}
	}
	return false
}
