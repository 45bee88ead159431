package rules

import (
	"net/mail"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3058 reports email labels that are not e-mail addresses.
var DL3058 = &Rule{
	ID:         "DL3058",
	Name:       "label-not-email",
	Severity:   vocab.Warning,
	Category:   vocab.StyleCat,
	DefaultOff: true,
	Doc: Doc{
		Summary: "An email label of the label schema is not a valid e-mail address (RFC 5322).",
		Why: "Contact labels are used to reach the owner of an image, for example when a " +
			"vulnerability is found; they must hold a plain address. The rule runs when a " +
			"label schema is configured.",
		Bad:  "# label-schema: {com.example.contact: email}\nLABEL com.example.contact=\"platform team\"",
		Good: "# label-schema: {com.example.contact: email}\nLABEL com.example.contact=platform@example.com",
	},
	Check: labelValueCheck(labelEmail, validEmail, "an e-mail address"),
}

// validEmail reports whether s is a bare e-mail address (RFC 5322
// addr-spec, without a display name).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}
