package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/stratatools/strata/internal/dockerfile"
)

// TestBKOutside compares bkOutside with the definition (the names ARG and
// ENV define in the global ARGs and in the stages off a stage's chain) on
// random trees of stages.
func TestBKOutside(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 50; trial++ {
		var b strings.Builder
		b.WriteString("ARG G=1\n")
		n := 2 + rng.IntN(12)
		for i := 0; i < n; i++ {
			base := "alpine"
			if i > 0 && rng.IntN(4) > 0 {
				base = fmt.Sprintf("s%d", rng.IntN(i))
			}
			fmt.Fprintf(&b, "FROM %s AS s%d\n", base, i)
			for k := rng.IntN(3); k > 0; k-- {
				if rng.IntN(2) == 0 {
					fmt.Fprintf(&b, "ARG V%d\n", rng.IntN(5))
				} else {
					fmt.Fprintf(&b, "ENV V%d=x\n", rng.IntN(5))
				}
			}
		}
		f, err := dockerfile.Parse("Dockerfile", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		runs := bkRuns(f, bkGlobalScope(f))
		o := newBKOutside(f, runs)
		for _, r := range runs {
			want := naiveOutside(f, r, runs)
			for _, name := range []string{"G", "V0", "V1", "V2", "V3", "V4", "W"} {
				if got := o.has(r.stage.Index, name); got != want[name] {
					t.Fatalf("%s\nstage %d, %s: got %v, want %v", b.String(), r.stage.Index, name, got, want[name])
				}
			}
		}
	}
}

// naiveOutside walks the file for one stage.
func naiveOutside(f *dockerfile.File, r bkRun, runs []bkRun) map[string]bool {
	chain := map[*dockerfile.Stage]bool{}
	for s := r.stage; s != nil && !chain[s]; s = runs[s.Index].base {
		chain[s] = true
	}
	out := map[string]bool{}
	add := func(in *dockerfile.Instruction) {
		switch c := in.Typed.(type) {
		case *instructions.ArgCommand:
			for _, a := range c.Args {
				out[a.Key] = true
			}
		case *instructions.EnvCommand:
			for _, e := range c.Env {
				out[e.Key] = true
			}
		}
	}
	for _, in := range f.GlobalArgs {
		add(in)
	}
	for _, st := range f.Stages {
		if !chain[st] {
			for _, in := range st.Instructions {
				add(in)
			}
		}
	}
	return out
}
