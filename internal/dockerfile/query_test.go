package dockerfile

import (
	"fmt"
	"reflect"
	"strings"
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

func TestFoldNameMatchesEqualFold(t *testing.T) {
	names := []string{"build", "BUILD", "Build", "builder", "\u212Aelvin", "kelvin", "KELVIN", "ſtage", "stage", "STAGE", "straße", "STRASSE", "Ǆ", "ǅ", "ǆ", "", "0"}
	for _, a := range names {
		for _, b := range names {
			if got, want := foldName(a) == foldName(b), strings.EqualFold(a, b); got != want {
				t.Errorf("foldName(%q) == foldName(%q) is %v, EqualFold says %v", a, b, got, want)
			}
		}
	}
}

// TestDeepChain checks the answers Parse precomputes for a chain deeper
// than the 64 stages the walks used to stop at: WORKDIR set in the first
// stage is still in force in the last, every stage's root is the first.
func TestDeepChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("FROM alpine AS s0\nWORKDIR /app\n")
	const n = 200
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "FROM s%d AS s%d\nRUN true\n", i-1, i)
	}
	b.WriteString("FROM alpine AS side\nONBUILD RUN x\nWORKDIR rel\n")
	f, err := Parse("Dockerfile", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	last := f.Stages[n-1]
	if got := last.Instructions[1].Workdir(); got != "/app" {
		t.Errorf("WORKDIR at the end of the chain = %q, want /app", got)
	}
	if last.Root() != f.Stages[0] || last.Depth() != n-1 || len(last.Chain()) != n {
		t.Errorf("root %v, depth %d, chain %d", last.Root().Name, last.Depth(), len(last.Chain()))
	}
	side := f.FinalStage()
	if f.Inherited(last) || !f.Inherited(side) || !f.UsedAsBase(f.Stages[0]) || f.UsedAsBase(last) {
		t.Error("Inherited or UsedAsBase wrong")
	}
	if got := side.Instructions[1].Trigger.Workdir(); got != "/rel" {
		t.Errorf("ONBUILD trigger's WORKDIR = %q, want the stage's last, /rel", got)
	}
	if f.StageByRef("S7", n) != f.Stages[7] || f.StageByRef("s7", 7) != nil || f.StageByRef("s7", 8) != f.Stages[7] {
		t.Error("StageByRef by name wrong")
	}
}
