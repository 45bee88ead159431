package buildcontext

import (
	"path"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stratatools/strata/internal/buildplan"
	"github.com/stratatools/strata/internal/dockerignore"
)

// FuzzPattern: a suggested pattern leaves out exactly the path it is made
// for (and what is below it), whatever characters the path holds, or the
// path is refused.
func FuzzPattern(f *testing.F) {
	for _, s := range []string{"a", ".git", "web/node_modules", "we*ird[1]/f?le", "!bang", "#hash", `back\slash`, "sp ace/x", " lead", "a/../b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		pat, ok := ignorePattern(p)
		if !ok {
			if plainPath(p) {
				t.Fatalf("no pattern for the plain path %q", p)
			}
			return
		}
		m, err := dockerignore.Parse("fuzz", []byte(pat+"\n"))
		if err != nil {
			t.Fatalf("pattern %q for %q does not parse: %v", pat, p, err)
		}
		if ex, _ := m.Excluded(p, false); !ex {
			t.Fatalf("pattern %q does not leave out %q", pat, p)
		}
		if ex, _ := m.Excluded(p+"/below", false); !ex {
			t.Fatalf("pattern %q does not leave out what is below %q", pat, p)
		}
		if ex, _ := m.Excluded(p+"x", false); ex {
			t.Fatalf("pattern %q for %q also leaves out %q", pat, p, p+"x")
		}
	})
}

// plainPath reports whether p is a path a pattern must be able to name:
// clean, relative, of printable characters without blanks at the ends of
// its elements.
func plainPath(p string) bool {
	if p == "" || path.Clean(p) != p || p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return false
	}
	for _, el := range strings.Split(p, "/") {
		if strings.TrimSpace(el) != el {
			return false
		}
	}
	for _, r := range p {
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// FuzzTakes: Takes never panics, and a plain read takes its own path.
func FuzzTakes(f *testing.F) {
	f.Add("src", "src/a.py", false)
	f.Add("*.txt", "a.txt", true)
	f.Add("a/[", "a/b", true)
	f.Fuzz(func(t *testing.T, read, rel string, wild bool) {
		r := buildplan.Read{Path: read, Wildcard: wild}
		Takes(r, rel)
		if !wild && read != "" && !Takes(r, read) {
			t.Fatalf("read %q does not take itself", read)
		}
	})
}
