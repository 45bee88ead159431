package lazyre

import (
	"regexp"
	"sync"
	"testing"
)

func TestRegexp(t *testing.T) {
	r := New(`^([a-z]+)-(\d+)$`)
	want := regexp.MustCompile(r.String())
	for _, s := range []string{"abc-12", "ABC-12", "abc-", "x-1"} {
		if r.MatchString(s) != want.MatchString(s) || r.Match([]byte(s)) != want.Match([]byte(s)) {
			t.Errorf("%q: match differs from regexp's", s)
		}
		if got, w := r.FindStringSubmatch(s), want.FindStringSubmatch(s); len(got) != len(w) {
			t.Errorf("%q: submatches %q, want %q", s, got, w)
		}
	}
	all := New(`\d+`)
	if got := all.FindAllString("a1b22c333", -1); len(got) != 3 || got[2] != "333" {
		t.Errorf("FindAllString = %q", got)
	}
	if got := all.FindString("ab12"); got != "12" {
		t.Errorf("FindString = %q", got)
	}
	if got := all.FindStringIndex("ab12"); len(got) != 2 || got[0] != 2 {
		t.Errorf("FindStringIndex = %v", got)
	}
	if got := all.FindAllStringSubmatch("1 2", -1); len(got) != 2 {
		t.Errorf("FindAllStringSubmatch = %q", got)
	}
}

// TestCompiledOnce checks that concurrent first uses share one compiled
// expression.
func TestCompiledOnce(t *testing.T) {
	r := New(`x+`)
	var wg sync.WaitGroup
	res := make([]*regexp.Regexp, 8)
	for i := range res {
		wg.Add(1)
		go func() { defer wg.Done(); res[i] = r.Regexp() }()
	}
	wg.Wait()
	for _, re := range res[1:] {
		if re != res[0] {
			t.Fatal("the expression was compiled more than once")
		}
	}
}

func TestInvalidPanicsOnUse(t *testing.T) {
	r := New(`(`) // no panic here: nothing is compiled yet
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic on first use")
		}
	}()
	r.MatchString("x")
}
