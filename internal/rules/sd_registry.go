package rules

// checklistRules returns strata's own rules (SD IDs): the optimization
// checklist and the shell-parse notice.
func checklistRules() []*Rule {
	return []*Rule{
		SD001,
		SD101, SD102,
		SD201, SD202,
		SD401, SD402, SD403, SD404,
		SD501, SD502, SD503,
		SD601, SD602,
		SD701,
	}
}
