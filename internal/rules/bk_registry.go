package rules

// buildkitRules returns BuildKit's build checks that have no DL
// equivalent; those that do are aliases of the DL rule.
func buildkitRules() []*Rule { return nil }
