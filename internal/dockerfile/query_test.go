package dockerfile

import (
	"reflect"
	"testing"
)

func TestQueries(t *testing.T) {
	src := "FROM alpine:3.20 AS base\nWORKDIR /srv\nFROM base AS app\nWORKDIR app\nENV \"A\"=1 B='two words'\n" +
		"RUN --mount=type=cache,target=/x --network=none true\nRUN --network=none --mount=type=cache,target=/x true\n" +
		"USER \"app:app\"\nWORKDIR $DIR\nCOPY . .\n"
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	base, app := f.Stages[0], f.Stages[1]
	if got := app.Chain(); len(got) != 2 || got[0] != app || got[1] != base {
		t.Errorf("Chain: %v", got)
	}
	ins := app.Instructions
	if wd := ins[2].Workdir(); wd != "/srv/app" {
		t.Errorf("Workdir after WORKDIR app on a base in /srv: %q", wd)
	}
	if wd := ins[1].Workdir(); wd != "/srv" {
		t.Errorf("Workdir inherited from the base stage: %q", wd)
	}
	if wd := ins[7].Workdir(); wd != "" {
		t.Errorf("Workdir after WORKDIR $DIR: %q, want unknown", wd)
	}
	if got := ins[2].Pairs(); !reflect.DeepEqual(got, [][2]string{{"A", "1"}, {"B", "two words"}}) {
		t.Errorf("Pairs: %q", got)
	}
	if !ins[3].SameFlags(ins[4]) || ins[3].SameFlags(ins[2]) {
		t.Error("SameFlags: flags in another order must be the same, none against some must not")
	}
	if u := ins[5].User(); u != "app:app" {
		t.Errorf("User: %q", u)
	}
	for v, root := range map[string]bool{"root": true, "0:0": true, " root:wheel": true, "app": false, "10001": false, "rooted": false} {
		if IsRootUser(v) != root {
			t.Errorf("IsRootUser(%q) = %v", v, !root)
		}
	}
	for _, c := range []struct{ dir, p, want string }{
		{"/srv", "app", "/srv/app"}, {"/srv", "/opt/../x", "/x"}, {"", "rel", ""}, {"/srv", "$HOME/x", ""}, {"/srv", "", ""},
	} {
		if got := ResolvePath(c.dir, c.p); got != c.want {
			t.Errorf("ResolvePath(%q, %q) = %q, want %q", c.dir, c.p, got, c.want)
		}
	}
	if TrimQuotes(`"'/app'"`) != "/app" || !HasVariable("${X}") || HasVariable("x") {
		t.Error("TrimQuotes or HasVariable")
	}
	for s, whole := range map[string]bool{".": true, "./": true, "*": true, " . ": true, "src": false, "./src": false} {
		if IsContextSource(s) != whole {
			t.Errorf("IsContextSource(%q) = %v", s, !whole)
		}
	}
}
