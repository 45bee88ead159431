package image

import "testing"

func TestMatcher(t *testing.T) {
	m, err := NewMatcher([]string{"/var/cache/", "*.log", "opt/**/tmp", "usr/share/doc/*"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"var/cache":              true,
		"var/cache/apt/x":        true,
		"var/cached":             false,
		"a/b/c.log":              true,
		"c.log":                  true,
		"opt/tmp":                true,
		"opt/a/b/tmp/x":          true,
		"opt/a/b/tmpx":           false,
		"usr/share/doc/pkg/copy": true,
		"usr/share/man/x":        false,
	} {
		if got := m.Match(p); got != want {
			t.Errorf("Match(%q) = %v, want %v", p, got, want)
		}
	}
	if _, err := NewMatcher([]string{"a/[b"}); err == nil {
		t.Error("malformed pattern accepted")
	}
	var nilM *Matcher
	if nilM.Match("x") || !nilM.Empty() {
		t.Error("nil matcher matched")
	}
}

func TestMatchExact(t *testing.T) {
	m, err := NewMatcher([]string{"var/lib/apt/lists", "**/.cache/pip", "usr/lib/gcc/*/*/cc1"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"var/lib/apt/lists":                   true,
		"/var/lib/apt/lists/":                 true,
		"var/lib/apt/lists/partial":           false, // below a match: Match, not MatchExact
		"var/lib/apt":                         false,
		"root/.cache/pip":                     true,
		"home/u/.cache/pip":                   true,
		".cache/pip":                          true,
		"root/.cache/pip/http":                false,
		"usr/lib/gcc/x86_64-linux-gnu/12/cc1": true,
		"usr/lib/gcc/x86_64-linux-gnu/cc1":    false,
		"":                                    false,
	} {
		if got := m.MatchExact(p); got != want {
			t.Errorf("MatchExact(%q) = %v, want %v", p, got, want)
		}
	}
	if !m.Match("var/lib/apt/lists/partial") {
		t.Error("Match misses a path below a pattern")
	}
	var nilM *Matcher
	if nilM.MatchExact("x") {
		t.Error("nil matcher matched")
	}
}
