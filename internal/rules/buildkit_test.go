package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// mustParse parses src or fails the test.
func mustParse(t *testing.T, name, src string) *dockerfile.File {
	t.Helper()
	f, err := dockerfile.Parse(name, []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func lint(t *testing.T, f *dockerfile.File, rs ...*rules.Rule) []rules.Diagnostic {
	t.Helper()
	opts := rules.Options{Settings: rules.Settings{Today: caseDay}}
	if len(rs) > 0 {
		opts.Rules = rs
	}
	res, err := rules.Run(context.Background(), f, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res.Diagnostics
}

func TestBuildKitFixes(t *testing.T) {
	cases := []struct {
		name string
		rule *rules.Rule
		src  string
		want string // "" when no fix is expected
	}{
		{
			name: "stage name and its references",
			rule: rules.StageNameCasing,
			src: "FROM alpine:3.20 AS Builder\nRUN true\n" +
				"FROM alpine:3.20 AS base\nCOPY --from=Builder /a /a\n" +
				"RUN --mount=type=bind,from=Builder,target=/b true\n" +
				"FROM Builder\nCOPY --chown=1:1 --from=BUILDER /c /c\nONBUILD COPY --from=Builder /d /d\n",
			want: "FROM alpine:3.20 AS builder\nRUN true\n" +
				"FROM alpine:3.20 AS base\nCOPY --from=builder /a /a\n" +
				"RUN --mount=type=bind,from=builder,target=/b true\n" +
				"FROM builder\nCOPY --chown=1:1 --from=builder /c /c\nONBUILD COPY --from=Builder /d /d\n",
		},
		{
			name: "stage name with a reference through an ARG",
			rule: rules.StageNameCasing,
			src:  "ARG BASE=Builder\nFROM alpine:3.20 AS Builder\nFROM ${BASE}\n",
		},
		{
			name: "stage name with a quoted mount",
			rule: rules.StageNameCasing,
			src:  "FROM alpine:3.20 AS Builder\nFROM alpine:3.20\nRUN --mount=\"type=bind,from=Builder,target=/b\" true\n",
		},
		{
			name: "from as casing",
			rule: rules.FromAsCasing,
			src:  "FROM --platform=$BUILDPLATFORM alpine:3.20 as build\nfrom alpine:3.20 AS b2\n",
			want: "FROM --platform=$BUILDPLATFORM alpine:3.20 AS build\nfrom alpine:3.20 as b2\n",
		},
		{
			name: "from as casing across lines",
			rule: rules.FromAsCasing,
			src:  "FROM alpine:3.20 \\\n    as build\n",
			want: "FROM alpine:3.20 \\\n    AS build\n",
		},
		{
			name: "instruction casing",
			rule: rules.ConsistentInstructionCasing,
			src:  "FROM alpine:3.20\n  run true\nCopy a /a\nONBUILD run true\n",
			want: "FROM alpine:3.20\n  RUN true\nCOPY a /a\nONBUILD run true\n",
		},
		{
			name: "legacy key value",
			rule: rules.LegacyKeyValueFormat,
			src:  "FROM alpine:3.20\nENV APP_HOME /srv/app\nLABEL title  strata  demo  \r\nENV X \"quoted value\"\nENV Z \"a\" \"b\"\nENV Y a \\\n  b\n",
			want: "FROM alpine:3.20\nENV APP_HOME=/srv/app\nLABEL title=\"strata  demo\"  \r\nENV X=\"quoted value\"\nENV Z \"a\" \"b\"\nENV Y a \\\n  b\n",
		},
		{
			name: "expose protocol",
			rule: rules.ExposeProtoCasing,
			src:  "FROM alpine:3.20\nEXPOSE 80/TCP 53/Udp 80/TCP\nARG P=1\nEXPOSE $P/TCP\n",
			want: "FROM alpine:3.20\nEXPOSE 80/tcp 53/udp 80/tcp\nARG P=1\nEXPOSE $P/TCP\n",
		},
		{
			name: "empty continuation",
			rule: rules.NoEmptyContinuation,
			src:  "FROM alpine:3.20\nRUN echo a \\\n\n  \t\n    && echo b\n",
			want: "FROM alpine:3.20\nRUN echo a \\\n    && echo b\n",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustParse(t, "Dockerfile", c.src)
			ds := lint(t, f, c.rule)
			if len(ds) == 0 {
				t.Fatalf("%s reported nothing", c.rule.ID)
			}
			hasFix := false
			for _, d := range ds {
				hasFix = hasFix || d.Fix != nil
			}
			if c.want == "" {
				if hasFix {
					t.Fatalf("unexpected fix: %+v", ds[0].Fix)
				}
				return
			}
			got := applyFixes(t, c.src, ds)
			if got != c.want {
				t.Fatalf("fixed text:\n%s\nwant:\n%s", got, c.want)
			}
			// The fixed file parses and the rule is satisfied (for
			// ExposeProtoCasing only the fixable ports).
			f2 := mustParse(t, "Dockerfile", got)
			for _, d := range lint(t, f2, c.rule) {
				if d.Fix != nil {
					t.Errorf("still fixable after the fix: line %d: %s", d.Line, d.Message)
				}
			}
		})
	}
}

// TestBuildKitCheckError checks that "# check=error=true" raises BuildKit
// checks to errors and leaves other rules alone.
func TestBuildKitCheckError(t *testing.T) {
	other := &rules.Rule{ID: "TEST001", Severity: vocab.Info, Check: func(p *rules.Pass) error {
		for _, st := range p.File.Stages {
			p.Report(st.From, "a stage")
		}
		return nil
	}}
	src := "# check=error=true\nFROM alpine:3.20 as build\nENV A 1\n"
	f := mustParse(t, "Dockerfile", src)
	ds := lint(t, f, rules.FromAsCasing, rules.LegacyKeyValueFormat, other)
	got := map[string]vocab.Severity{}
	for _, d := range ds {
		got[d.Rule.ID] = d.Severity
	}
	want := map[string]vocab.Severity{"FromAsCasing": vocab.Error, "LegacyKeyValueFormat": vocab.Error, "TEST001": vocab.Info}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("severities %v, want %v", got, want)
	}

	// Without the directive (or with error=false) the defaults stand.
	for _, dir := range []string{"", "# check=error=false\n"} {
		f = mustParse(t, "Dockerfile", dir+"FROM alpine:3.20 as build\n")
		for _, d := range lint(t, f, rules.FromAsCasing) {
			if d.Severity != vocab.Warning {
				t.Errorf("%q: severity %v, want warning", dir, d.Severity)
			}
		}
	}
}

// TestBuildKitCheckPerInstruction runs the per-instruction form of the
// check directive through the same expectations as testdata/lint.
func TestBuildKitCheckPerInstruction(t *testing.T) {
	src := `FROM alpine:3.20 AS base
# A check comment above an instruction applies to that instruction only.
# check=skip=StageNameCasing
FROM base AS Builder
# want "StageNameCasing"
FROM base AS Other
# check=skip=LegacyKeyValueFormat,ExposeProtoCasing
ENV A 1
# want "LegacyKeyValueFormat"
ENV B 2
# BuildKit ignores error=true in this form.
# check=error=true
# want "ExposeProtoCasing"
EXPOSE 80/TCP
FROM alpine:3.20
COPY --from=Builder /etc/hostname /a
COPY --from=Other /etc/hostname /b
`
	mustParse(t, "Dockerfile", src)
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	checkCase(t, path, dir)

	f := mustParse(t, "Dockerfile", src)
	for _, d := range lint(t, f, rules.ExposeProtoCasing) {
		if d.Severity != vocab.Warning {
			t.Errorf("per-instruction error=true raised %s to %v", d.Rule.ID, d.Severity)
		}
	}
}

// TestBuildKitNames checks that every BuildKit check is a rule ID or an
// alias, and that the experimental one is off by default.
func TestBuildKitNames(t *testing.T) {
	all := rules.All()
	for name := range rules.BuildKitCheckNames() {
		if rules.Lookup(all, name) == nil {
			t.Errorf("BuildKit check %s has no rule", name)
		}
	}
	if !rules.InvalidDefinitionDescription.DefaultOff {
		t.Error("InvalidDefinitionDescription is experimental in BuildKit and must be off by default")
	}
	for _, r := range []*rules.Rule{rules.StageNameCasing, rules.FromAsCasing, rules.NoEmptyContinuation,
		rules.ConsistentInstructionCasing, rules.UndefinedArgInFrom, rules.UndefinedVar, rules.LegacyKeyValueFormat,
		rules.InvalidBaseImagePlatform, rules.SecretsUsedInArgOrEnv, rules.InvalidDefaultArgInFrom,
		rules.FromPlatformFlagConstDisallowed, rules.CopyIgnoredFile, rules.InvalidDefinitionDescription,
		rules.ExposeProtoCasing, rules.ExposeInvalidFormat} {
		if r.Doc.Summary == "" || r.Doc.Why == "" || r.Doc.Bad == "" || r.Doc.Good == "" || r.Name == "" {
			t.Errorf("%s: incomplete documentation", r.ID)
		}
	}
}
