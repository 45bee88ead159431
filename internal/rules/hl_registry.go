package rules

// The families registry.go lists before hadolintRules were moved into
// the hl_*.go files; they stay empty.
var (
	userRules  []*Rule
	cmdRules   []*Rule
	layerRules []*Rule
)

// hadolintRules returns hadolint's DL rules that do not need the shell
// model (the rest are in shellRules), retired codes included.
func hadolintRules() []*Rule {
	return []*Rule{
		DL1001,
		DL3000, DL3002, DL3006, DL3007, DL3011, DL3012,
		DL3020, DL3021, DL3022, DL3023, DL3024, DL3025, DL3026, DL3029,
		DL3043, DL3044, DL3045, DL3048, DL3049,
		DL3050, DL3051, DL3052, DL3053, DL3054, DL3055, DL3056, DL3057, DL3058, DL3059,
		DL3061, DL3063, DL3064, DL3065, DL3066, DL3067,
		DL4000, DL4003, DL4004,
		// Retired.
		DL3005, DL3017, DL3031, DL3039,
	}
}
