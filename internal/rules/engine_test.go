package rules_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// TestCheckError checks that an error a check returns, and a panic in a
// check, stop the run with an error naming the rule and the file.
func TestCheckError(t *testing.T) {
	f := mustParse(t, "dir/Dockerfile", "FROM alpine:3.20\n")
	errBroken := errors.New("broken")
	failing := &rules.Rule{ID: "TEST002", Severity: vocab.Warning, Check: func(p *rules.Pass) error {
		return errBroken
	}}
	_, err := rules.Run(context.Background(), f, &rules.BuildContext{}, rules.Options{Rules: []*rules.Rule{failing}})
	if !errors.Is(err, errBroken) || !strings.Contains(err.Error(), "TEST002") || !strings.Contains(err.Error(), "dir/Dockerfile") {
		t.Errorf("check error: got %v, want it wrapped naming TEST002 and dir/Dockerfile", err)
	}

	panicking := &rules.Rule{ID: "TEST003", Severity: vocab.Warning, Check: func(p *rules.Pass) error {
		var in *dockerfile.Instruction
		_ = in.Cmd // nil dereference
		return nil
	}}
	_, err = rules.Run(context.Background(), f, &rules.BuildContext{}, rules.Options{Rules: []*rules.Rule{panicking}})
	if err == nil || !strings.Contains(err.Error(), "TEST003") || !strings.Contains(err.Error(), "dir/Dockerfile") {
		t.Errorf("panicking check: got %v, want an error naming TEST003 and dir/Dockerfile", err)
	}
}

// TestMemoKeys checks that a fact is computed once per file and shared
// by the rules of a run, and that keys are told apart by identity: two
// keys with the same name hold values of their own.
func TestMemoKeys(t *testing.T) {
	count := rules.NewKey[int]("stages")
	sameName := rules.NewKey[string]("stages")
	computed := 0
	var seen []int
	var names []string
	mk := func(id string) *rules.Rule {
		return &rules.Rule{ID: id, Severity: vocab.Info, Check: func(p *rules.Pass) error {
			seen = append(seen, rules.Memo(p, count, func() int { computed++; return len(p.File.Stages) }))
			names = append(names, rules.Memo(p, sameName, func() string { return "other" }))
			return nil
		}}
	}
	f := mustParse(t, "Dockerfile", "FROM alpine:3.20 AS a\nFROM a\n")
	opts := rules.Options{Rules: []*rules.Rule{mk("TEST004"), mk("TEST005")}}
	if _, err := rules.Run(context.Background(), f, &rules.BuildContext{}, opts); err != nil {
		t.Fatal(err)
	}
	if computed != 1 || len(seen) != 2 || seen[0] != 2 || seen[1] != 2 {
		t.Errorf("fact computed %d times, values %v; want once, 2 for both rules", computed, seen)
	}
	if len(names) != 2 || names[0] != "other" || names[1] != "other" {
		t.Errorf("key with the same name: %v, want its own value", names)
	}
	// A new run computes again: facts are per file and run.
	if _, err := rules.Run(context.Background(), f, &rules.BuildContext{}, opts); err != nil {
		t.Fatal(err)
	}
	if computed != 2 {
		t.Errorf("fact computed %d times over two runs, want 2", computed)
	}
}

// TestWantSyntax checks the harness's reading of "# want" comments, so
// that a case cannot pass by being misread.
func TestWantSyntax(t *testing.T) {
	f := mustParse(t, "Dockerfile", "# want \"DL3008\" \"DL3009: apt lists\" `SD401: rm -rf /var/lib/apt/lists/\\*`\n# a comment\n\nRUN true\n")
	want, err := expectations(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 3 || len(want["4:DL3008"]) != 1 || want["4:DL3008"][0] != nil {
		t.Fatalf("expectations %v: want DL3008, DL3009 and SD401 on line 4, DL3008 without a pattern", want)
	}
	if re := want["4:DL3009"][0]; re == nil || !re.MatchString("delete the apt lists") || re.MatchString("apt cache") {
		t.Errorf("DL3009 pattern %v", re)
	}
	if re := want["4:SD401"][0]; re == nil || !re.MatchString("add rm -rf /var/lib/apt/lists/* to it") {
		t.Errorf("SD401 back-quoted pattern %v", re)
	}
	for _, bad := range []string{"# want DL3008\nRUN true\n", "# want \"DL3008: (\"\nRUN true\n", "RUN true\n# want \"DL3008\"\n"} {
		if _, err := expectations(mustParse(t, "Dockerfile", bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
