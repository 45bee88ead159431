package rules

// EnabledBySettings returns the IDs of the rules that the settings switch
// on: DL3026 with trusted registries, the label schema rules with a label
// schema, and DL3050 with strict labels. These rules are off by default
// because they have nothing to check without their settings; configuring
// the settings is what enables them, as in hadolint.
func EnabledBySettings(s *Settings) []string {
	var out []string
	if s == nil {
		return nil
	}
	if len(s.TrustedRegistries) > 0 {
		out = append(out, DL3026.ID)
	}
	if len(s.RequiredLabels) > 0 {
		out = append(out, DL3049.ID, DL3051.ID, DL3052.ID, DL3053.ID, DL3054.ID, DL3055.ID, DL3056.ID, DL3058.ID)
	}
	if s.StrictLabels {
		out = append(out, DL3050.ID)
	}
	return out
}
