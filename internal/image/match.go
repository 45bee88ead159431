package image

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// Matcher matches image paths against patterns. A pattern is a slash
// separated glob relative to the image root (a leading "/" is allowed);
// each segment follows path.Match, and "**" matches any number of
// segments. A pattern without a slash matches at any depth ("*.log" is
// "**/*.log"). A pattern that matches a directory matches everything under
// it. The zero Matcher and a nil *Matcher match nothing.
type Matcher struct {
	patterns [][]string
	raw      []string
	// byLast indexes the patterns whose last segment is literal by that
	// segment, and wild lists the others, for MatchExact: most paths are
	// then ruled out by one map lookup of their base name.
	byLast map[string][]int
	wild   []int
}

// NewMatcher compiles patterns; it fails on a malformed glob.
func NewMatcher(patterns []string) (*Matcher, error) {
	m := &Matcher{}
	for _, p := range patterns {
		orig := p
		p = strings.TrimSpace(p)
		p = strings.Trim(p, "/")
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			p = "**/" + p
		}
		segs := strings.Split(p, "/")
		for _, s := range segs {
			if _, err := path.Match(s, ""); err != nil {
				return nil, vocab.Inputf("ignore pattern %q: %w", orig, err)
			}
		}
		if last := segs[len(segs)-1]; strings.ContainsAny(last, "*?[") {
			m.wild = append(m.wild, len(m.patterns))
		} else {
			if m.byLast == nil {
				m.byLast = map[string][]int{}
			}
			m.byLast[last] = append(m.byLast[last], len(m.patterns))
		}
		m.patterns = append(m.patterns, segs)
		m.raw = append(m.raw, orig)
	}
	return m, nil
}

// Empty reports whether the matcher has no patterns.
func (m *Matcher) Empty() bool { return m == nil || len(m.patterns) == 0 }

// Patterns returns the patterns as given.
func (m *Matcher) Patterns() []string {
	if m == nil {
		return nil
	}
	return append([]string(nil), m.raw...)
}

// Match reports whether p (relative to the image root) or one of its
// parent directories matches a pattern.
func (m *Matcher) Match(p string) bool {
	if m.Empty() {
		return false
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return false
	}
	segs := strings.Split(p, "/")
	for _, pat := range m.patterns {
		if matchPrefix(pat, segs) {
			return true
		}
	}
	return false
}

// matchPrefix reports whether pat matches segs or a leading part of segs.
func matchPrefix(pat, segs []string) bool {
	if len(pat) == 0 {
		return true
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if matchPrefix(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	ok, err := path.Match(pat[0], segs[0])
	if err != nil || !ok {
		return false
	}
	return matchPrefix(pat[1:], segs[1:])
}

// MatchExact reports whether a pattern matches p itself (relative to the
// image root), not merely one of its parent directories: "var/cache" is
// matched by the pattern "/var/cache" but "var/cache/apt" is not.
func (m *Matcher) MatchExact(p string) bool {
	if m.Empty() {
		return false
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return false
	}
	literal := m.byLast[path.Base(p)]
	if len(literal) == 0 && len(m.wild) == 0 {
		return false
	}
	segs := strings.Split(p, "/")
	for _, list := range [2][]int{literal, m.wild} {
		for _, i := range list {
			if matchFull(m.patterns[i], segs) {
				return true
			}
		}
	}
	return false
}

// matchFull reports whether pat matches all of segs.
func matchFull(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if matchFull(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if ok, err := path.Match(pat[0], segs[0]); err != nil || !ok {
		return false
	}
	return matchFull(pat[1:], segs[1:])
}
