package vocab

import "strings"

// JoinAnd lists words the way messages write them: "a", "a and b",
// "a, b and c"; "" for none.
func JoinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
