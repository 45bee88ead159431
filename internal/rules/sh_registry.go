package rules

// shellRules returns the rules that read the shell inside RUN.
func shellRules() []*Rule { return nil }
