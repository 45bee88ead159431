package rules

import (
	"net/url"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3052 reports URL labels that are not URLs.
var DL3052 = &Rule{
	ID:         "DL3052",
	Name:       "label-not-url",
	Severity:   vocab.Warning,
	Category:   vocab.StyleCat,
	DefaultOff: true,
	Doc: Doc{
		Summary: "A url label of the label schema is not a valid URL.",
		Why: "Tools follow source and documentation labels as links; a value that is not an " +
			"absolute URL (with a scheme) leads nowhere. The rule runs when a label schema is " +
			"configured.",
		Bad:  "# label-schema: {org.opencontainers.image.source: url}\nLABEL org.opencontainers.image.source=github.com/example/app",
		Good: "# label-schema: {org.opencontainers.image.source: url}\nLABEL org.opencontainers.image.source=https://github.com/example/app",
	},
	Check: labelValueCheck(labelURL, validURL, "a valid URL"),
}

// validURL reports whether s is an absolute URI.
func validURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp", "ssh", "git":
		return u.Host != ""
	}
	return u.Opaque != "" || u.Host != "" || u.Path != ""
}
