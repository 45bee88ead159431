package rules

// buildkitRules returns BuildKit's build checks that have no DL
// equivalent. Those that do are aliases of the DL rule:
// WorkdirRelativePath (DL3000), MultipleInstructionsDisallowed (DL3012
// for HEALTHCHECK, DL4003 for CMD, DL4004 for ENTRYPOINT),
// DuplicateStageName (DL3024), JSONArgsRecommended (DL3025),
// ReservedStageName (DL3063), RedundantTargetPlatform (DL3065) and
// MaintainerDeprecated (DL4000).
func buildkitRules() []*Rule {
	return []*Rule{
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
	}
}

// bkPlural picks the singular or plural word for n.
func bkPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
