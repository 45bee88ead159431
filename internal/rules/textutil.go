package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/lazyre"
)

// Words: writing lists and plurals in messages, reading program names
// and numbers.

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func dedupeStrings(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// wordsOf splits command text (CMD, ENTRYPOINT, HEALTHCHECK, a shell
// string) into words, dropping quotes and shell punctuation.
func wordsOf(args []string) []string {
	var out []string
	for _, a := range args {
		for _, w := range strings.FieldsFunc(a, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')' || r == '`' || r == '"' || r == '\''
		}) {
			if w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// baseName returns the last element of a program path ("/usr/bin/curl"
// gives "curl").
func baseName(w string) string {
	w = strings.ReplaceAll(w, `\`, "/")
	return path.Base(w)
}

var versionRe = lazyre.New(`^\d+(\.\d+)*$`)

// baseNameAny returns the last element of a POSIX or Windows path.
func baseNameAny(s string) string {
	s = strings.TrimRight(s, `/\`)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		return s[i+1:]
	}
	return s
}

// listNames joins up to max names for a message, noting how many more
// there are.
func listNames(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:limit], ", ") + ", …"
}
