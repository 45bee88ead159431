package rules

// checklistRules returns strata's own rules (SD IDs): the optimization
// checklist and the shell-parse notice.
func checklistRules() []*Rule {
	return []*Rule{SD001}
}
