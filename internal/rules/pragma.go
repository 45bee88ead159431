package rules

// LinePragma parses the text of a comment (after "#") as an ignore
// pragma for the line below it ("hadolint ignore=DL3008,SC2086" or
// "strata ignore=..."), with the grammar the engine applies, and returns
// the rule names it lists. ok is false for anything else, a global or
// stage pragma included.
func LinePragma(text string) (names []string, ok bool) {
	kind, ns, ok := parsePragma(text)
	if !ok || kind != pragmaLine {
		return nil, false
	}
	for _, n := range ns {
		names = append(names, n.name)
	}
	return names, true
}

// HadolintName reports whether a hadolint pragma can name the rule: its
// ID is made of the characters hadolint's rule codes use (DL3008,
// SC2086, SD301).
func HadolintName(id string) bool {
	for i := 0; i < len(id); i++ {
		if !isHadolintCode(id[i]) {
			return false
		}
	}
	return id != ""
}
