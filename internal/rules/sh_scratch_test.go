package rules_test

import (
	"context"
	"fmt"
	"github.com/stratatools/strata/internal/rules"
	"os"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
)

func TestScratchDump(t *testing.T) {
	p := os.Getenv("DUMP")
	if p == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(p)
	f, err := dockerfile.Parse("x", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range f.Instructions {
		fmt.Printf("%d-%d col%d %s %q json=%v flags=%q heredocs=%d shell=%q orig=%q\n", in.StartLine, in.EndLine, in.Column, in.Cmd, in.Args, in.JSON, in.Flags, len(in.Heredocs), in.Shell, in.Original)
		for _, s := range in.Scripts() {
			fmt.Printf("   script line %d heredoc=%v %q\n", s.Line, s.Heredoc, s.Text)
		}
		if in.Trigger != nil {
			t := in.Trigger
			fmt.Printf("   trigger %d-%d col%d %s %q kw=%q\n", t.StartLine, t.EndLine, t.Column, t.Cmd, t.Args, t.Keyword)
			for _, s := range t.Scripts() {
				fmt.Printf("   script line %d heredoc=%v %q\n", s.Line, s.Heredoc, s.Text)
			}
		}
	}
}

func TestScratchLint(t *testing.T) {
	p := os.Getenv("LINT")
	if p == "" {
		t.Skip()
	}
	src, _ := os.ReadFile(p)
	f, err := dockerfile.Parse("x", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := rules.Run(context.Background(), f, &rules.BuildContext{}, rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		fix := ""
		if d.Fix != nil {
			fix = fmt.Sprintf(" FIX(%s unsafe=%v): %+v", d.Fix.Message, d.Fix.Unsafe, d.Fix.Edits)
		}
		fmt.Printf("%d %s %s: %s%s\n", d.Line, d.Rule.ID, d.Severity, d.Message, fix)
	}
}

func TestScratchCrash(t *testing.T) {
	if os.Getenv("CRASH") == "" {
		t.Skip()
	}
	f, err := dockerfile.Parse("x", []byte(os.Getenv("CRASH")))
	if err != nil {
		t.Skip(err)
	}
	for _, r := range rules.All() {
		if r.ID == os.Getenv("RULE") {
			rules.Run(context.Background(), f, &rules.BuildContext{}, rules.Options{Rules: []*rules.Rule{r}})
		}
	}
}
