package lint

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/shell"
)

// corpusSize is the number of generated Dockerfiles the benchmarks read.
const corpusSize = 240

// TestCorpusParses checks the generated corpus is real input: every file
// parses and lints without error.
func TestCorpusParses(t *testing.T) {
	files := corpus(corpusSize)
	if len(files) < 200 {
		t.Fatalf("corpus has %d files, want at least 200", len(files))
	}
	bc := &rules.BuildContext{}
	// One ShellCheck for all the files, as a lint run has.
	sc := rules.NewShellCheck()
	defer sc.Close()
	findings := 0
	for i, src := range files {
		f, err := dockerfile.Parse(fmt.Sprintf("corpus/%d", i), src)
		if err != nil {
			t.Fatalf("corpus file %d does not parse: %v\n%s", i, err, src)
		}
		res, err := rules.Run(context.Background(), f, bc, rules.Options{ShellCheck: sc})
		if err != nil {
			t.Fatalf("corpus file %d: %v", i, err)
		}
		findings += len(res.Diagnostics)
	}
	if findings == 0 {
		t.Fatal("the corpus raised no finding at all: it does not exercise the rules")
	}
}

// BenchmarkParse measures parsing alone, per corpus file.
func BenchmarkParse(b *testing.B) {
	files := corpus(corpusSize)
	b.ResetTimer()
	for b.Loop() {
		for i, src := range files {
			if _, err := dockerfile.Parse(fmt.Sprintf("corpus/%d", i), src); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
}

// BenchmarkLint measures parsing plus every rule, per corpus file.
func BenchmarkLint(b *testing.B) {
	files := corpus(corpusSize)
	bc := &rules.BuildContext{}
	b.ResetTimer()
	for b.Loop() {
		for i, src := range files {
			f, err := dockerfile.Parse(fmt.Sprintf("corpus/%d", i), src)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rules.Run(context.Background(), f, bc, rules.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
}

// BenchmarkLintVsParse measures, in the same run, parsing alone and a
// full lint, and reports their ratio (target: at most 3). "Parsing" is
// building strata's model of a file: the Dockerfile AST and the shell AST
// of every RUN, which the shell-aware rules read; dockerfile-parse-ns
// reports the Dockerfile part alone.
//
// ShellCheck (SD002) runs an external program per file and is left out:
// its cost is shellcheck's own process start-up and analysis.
func BenchmarkLintVsParse(b *testing.B) {
	files := corpus(corpusSize)
	bc := &rules.BuildContext{}
	opts := rules.Options{Ignore: []string{"SD002"}}
	var dfParse, parse, full time.Duration
	for b.Loop() {
		t0 := time.Now()
		parsed := make([]*dockerfile.File, len(files))
		for i, src := range files {
			f, err := dockerfile.Parse(fmt.Sprintf("corpus/%d", i), src)
			if err != nil {
				b.Fatal(err)
			}
			parsed[i] = f
		}
		t1 := time.Now()
		for _, f := range parsed {
			parseShell(f)
		}
		t2 := time.Now()
		for i, src := range files {
			f, err := dockerfile.Parse(fmt.Sprintf("corpus/%d", i), src)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rules.Run(context.Background(), f, bc, opts); err != nil {
				b.Fatal(err)
			}
		}
		t3 := time.Now()
		dfParse += t1.Sub(t0)
		parse += t2.Sub(t0)
		full += t3.Sub(t2)
	}
	n := float64(b.N * len(files))
	b.ReportMetric(float64(dfParse.Nanoseconds())/n, "dockerfile-parse-ns/file")
	b.ReportMetric(float64(parse.Nanoseconds())/n, "parse-ns/file")
	b.ReportMetric(float64(full.Nanoseconds())/n, "lint-ns/file")
	b.ReportMetric(float64(full)/float64(parse), "lint/parse")
	b.ReportMetric(float64(full)/float64(dfParse), "lint/dockerfile-parse")
}

// parseShell parses the shell of every POSIX-shell RUN of f, as the lint
// run's shared facts do.
func parseShell(f *dockerfile.File) {
	for _, in := range f.Instructions {
		target := in
		if in.Trigger != nil {
			target = in.Trigger
		}
		if target.Cmd != "run" || target.JSON || !shell.IsPOSIXShell(target.Shell) {
			continue
		}
		for _, sc := range target.Scripts() {
			_, _ = shell.Parse(sc.Text)
		}
	}
}
