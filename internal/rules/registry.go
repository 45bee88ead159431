package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/vocab"
)

// All returns every rule strata knows, retired ones included, in a
// stable order: the order of `strata rules` and of the rule list in
// reports. Each call returns a new slice of the same rule values.
//
// This list is the one place rules are registered. A rule's ID leads to
// its file: the rule DL3009 is declared in dl3009.go, the BuildKit check
// UndefinedVar in undefinedvar.go (the ID in lower case). TestRegistry
// checks both, with Validate.
func All() []*Rule {
	return []*Rule{
		// The build context.
		SD301,

		// hadolint's rules (DL), retired ones last.
		DL1000, DL1001,
		DL3000, DL3002, DL3006, DL3007, DL3011, DL3012,
		DL3020, DL3021, DL3022, DL3023, DL3024, DL3025, DL3026, DL3029,
		DL3043, DL3044, DL3045, DL3048, DL3049,
		DL3050, DL3051, DL3052, DL3053, DL3054, DL3055, DL3056, DL3057, DL3058, DL3059,
		DL3061, DL3063, DL3064, DL3065, DL3066, DL3067,
		DL4000, DL4003, DL4004,
		DL3005, DL3017, DL3031, DL3039,

		// hadolint's rules that read the shell of RUN, and ShellCheck.
		DL3001, DL3003, DL3004, DL3008, DL3009, DL3010,
		DL3013, DL3014, DL3015, DL3016, DL3018, DL3019,
		DL3027, DL3028, DL3030, DL3032, DL3033, DL3034, DL3035, DL3036, DL3037, DL3038,
		DL3040, DL3041, DL3042, DL3046, DL3047, DL3060, DL3062,
		DL4001, DL4005, DL4006,
		SD002,

		// BuildKit's build checks. Those hadolint has with the same
		// meaning are aliases of the DL rule: DuplicateStageName (DL3024),
		// ReservedStageName (DL3063), RedundantTargetPlatform (DL3065)
		// and MaintainerDeprecated (DL4000). Those hadolint has with other
		// details are twins of the DL rule (Rule.Twins):
		// WorkdirRelativePath (DL3000), JSONArgsRecommended (DL3025) and
		// MultipleInstructionsDisallowed (DL3012 for HEALTHCHECK, DL4003
		// for CMD, DL4004 for ENTRYPOINT).
		StageNameCasing,
		FromAsCasing,
		NoEmptyContinuation,
		ConsistentInstructionCasing,
		UndefinedArgInFrom,
		UndefinedVar,
		LegacyKeyValueFormat,
		InvalidBaseImagePlatform,
		SecretsUsedInArgOrEnv,
		InvalidDefaultArgInFrom,
		FromPlatformFlagConstDisallowed,
		CopyIgnoredFile,
		InvalidDefinitionDescription,
		ExposeProtoCasing,
		ExposeInvalidFormat,
		JSONArgsRecommended,
		WorkdirRelativePath,
		MultipleInstructionsDisallowed,

		// strata's own rules (SD): the shell-parse notice and the
		// optimization checklist.
		SD001,
		SD101, SD102, SD103,
		SD201, SD202,
		SD401, SD402, SD403, SD404,
		SD501, SD502, SD503,
		SD601, SD602, SD603,
		SD701,
	}
}

// FileName is the file of the rules package that declares the rule with
// the given ID: the ID in lower case, with .go.
func FileName(id string) string { return strings.ToLower(id) + ".go" }

var (
	// idRE is what a rule ID looks like: hadolint's and strata's codes
	// (DL3008, SD301) or a BuildKit check's name (UndefinedVar).
	idRE = lazyre.New(`^(DL[0-9]{4}|SD[0-9]{3}|[A-Z][A-Za-z]+)$`)
	// nameRE is what a rule name looks like: kebab case.
	nameRE = lazyre.New(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// Validate checks a rule set: IDs well formed, and IDs and aliases unique
// across all rules (case-insensitively, as configuration matches them);
// twins that exist and name each other back; every rule documented
// (Summary, Why, and a Bad and a Good example unless retired), named in
// kebab case, of a known category and severity, with a checklist key
// that names a checklist item; and every rule that runs has a check while
// a retired one has none. It returns every problem found.
func Validate(rs []*Rule) error {
	var errs []error
	bad := func(r *Rule, format string, args ...any) {
		errs = append(errs, fmt.Errorf("rule %s: %s", r.ID, fmt.Sprintf(format, args...)))
	}
	seen := map[string]string{} // lower-case ID or alias -> the rule's ID
	byID := map[string]*Rule{}
	for _, r := range rs {
		if r == nil {
			errs = append(errs, errors.New("nil rule"))
			continue
		}
		if !idRE.MatchString(r.ID) {
			bad(r, "ID %q is not a DL or SD code or a BuildKit check name", r.ID)
		}
		if strings.HasPrefix(strings.ToUpper(r.ID), "SC") {
			bad(r, "ID %q is taken by ShellCheck's codes", r.ID)
		}
		for _, n := range append([]string{r.ID}, r.Aliases...) {
			k := strings.ToLower(n)
			if other, dup := seen[k]; dup {
				bad(r, "%q is also the ID or an alias of %s", n, other)
			}
			seen[k] = r.ID
		}
		byID[r.ID] = r
		validateDoc(r, bad)
	}
	for _, r := range rs {
		if r == nil {
			continue
		}
		for _, t := range r.Twins {
			if o := byID[t]; o == nil || o == r || !o.twinOf(r) {
				bad(r, "twin %q is not a rule that names %s as its twin", t, r.ID)
			}
		}
	}
	return errors.Join(errs...)
}

// validateDoc checks one rule's documentation and attributes.
func validateDoc(r *Rule, bad func(*Rule, string, ...any)) {
	if !nameRE.MatchString(r.Name) {
		bad(r, "name %q is not kebab case", r.Name)
	}
	switch r.Category {
	case vocab.Size, vocab.Cache, vocab.Security, vocab.Correctness, vocab.Performance, vocab.StyleCat:
	default:
		bad(r, "unknown category %q", r.Category)
	}
	if r.Severity < vocab.Style || r.Severity > vocab.Error {
		bad(r, "default severity %v is not style, info, warning or error", r.Severity)
	}
	if r.Checklist != "" && !vocab.IsChecklistKey(r.Checklist) {
		bad(r, "checklist key %q names no checklist item", r.Checklist)
	}
	if r.Doc.Summary == "" || r.Doc.Why == "" {
		bad(r, "documentation lacks a summary or a why")
	}
	if r.Doc.Deviation != "" && !strings.HasPrefix(r.ID, "DL") {
		bad(r, "only hadolint's rules (DL) can deviate from hadolint")
	}
	if r.Retired {
		if r.Check != nil {
			bad(r, "retired but has a check")
		}
		return
	}
	if r.Doc.Bad == "" || r.Doc.Good == "" {
		bad(r, "documentation lacks a bad or a good example")
	}
	if r.Check == nil {
		bad(r, "has no check")
	}
}
