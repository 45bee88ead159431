package rules

// shellRules returns the rules that read the shell inside RUN: hadolint's
// shell-based DL rules and the ShellCheck integration.
func shellRules() []*Rule {
	return []*Rule{
		DL3001, DL3003, DL3004, DL3008, DL3009, DL3010,
		DL3013, DL3014, DL3015, DL3016, DL3018, DL3019,
		DL3027, DL3028, DL3030, DL3032, DL3033, DL3034, DL3035, DL3036, DL3037, DL3038,
		DL3040, DL3041, DL3042, DL3046, DL3047, DL3060, DL3062,
		DL4001, DL4005, DL4006,
		SD002,
	}
}
