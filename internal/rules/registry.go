package rules

// All returns every rule strata knows, retired ones included, in a
// stable order. Each call returns the same rule values.
func All() []*Rule {
	var out []*Rule
	for _, family := range [][]*Rule{
		userRules,
		cmdRules,
		layerRules,
		contextRules,
		hadolintRules(),
		shellRules(),
		buildkitRules(),
		checklistRules(),
	} {
		out = append(out, family...)
	}
	return out
}
