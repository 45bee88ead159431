package rules

// hadolintRules returns hadolint's DL rules that do not need the shell
// model (the rest are in shellRules).
func hadolintRules() []*Rule { return nil }
