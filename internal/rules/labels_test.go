package rules_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// hlRun lints src with only the given rules, the settings s, and the
// rules those settings switch on.
func hlRun(t *testing.T, src string, s rules.Settings, rs ...*rules.Rule) []rules.Diagnostic {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	enable := rules.EnabledBySettings(&s)
	for _, r := range rs {
		enable = append(enable, r.ID)
	}
	res, err := rules.Run(context.Background(), f, nil, rules.Options{Rules: rs, Settings: s, Enable: enable})
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	return res.Diagnostics
}

// hlFindings renders diagnostics as sorted "line:ID" strings.
func hlFindings(ds []rules.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%d:%s", d.Line, d.Rule.ID))
	}
	sort.Strings(out)
	return out
}

var testSchema = map[string]string{
	"org.opencontainers.image.source":   "url",
	"org.opencontainers.image.created":  "rfc3339",
	"org.opencontainers.image.licenses": "spdx",
	"org.opencontainers.image.revision": "hash",
	"org.opencontainers.image.version":  "semver",
	"com.example.contact":               "email",
	"org.opencontainers.image.title":    "text",
}

// allLabels is a LABEL that satisfies testSchema.
const allLabels = `LABEL org.opencontainers.image.source="https://github.com/example/app" \
      org.opencontainers.image.created="2024-05-01T12:00:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="4f2a9c1" \
      org.opencontainers.image.version="1.4.0" \
      com.example.contact="team@example.com" \
      org.opencontainers.image.title="app"
`

func TestLabelRules(t *testing.T) {
	labelRules := []*rules.Rule{rules.DL3049, rules.DL3050, rules.DL3051, rules.DL3052, rules.DL3053,
		rules.DL3054, rules.DL3055, rules.DL3056, rules.DL3058}
	schema := rules.Settings{RequiredLabels: testSchema}
	strict := rules.Settings{RequiredLabels: testSchema, StrictLabels: true}
	one := rules.Settings{RequiredLabels: map[string]string{"org.opencontainers.image.title": "text"}}
	cases := []struct {
		name string
		s    rules.Settings
		src  string
		want []string
	}{
		{"complete", strict, "FROM alpine:3.20\n" + allLabels, nil},
		{"no schema: nothing to check", rules.Settings{}, "FROM alpine:3.20\nLABEL a=b\n", nil},
		{"missing", one, "FROM alpine:3.20\nLABEL other=x\n", []string{"1:DL3049"}},
		{"missing in every target stage", one, "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\n", []string{"1:DL3049", "2:DL3049"}},
		{"inherited from the base stage", one,
			"FROM alpine:3.20 AS base\nLABEL org.opencontainers.image.title=x\nFROM base\n", nil},
		{"stage only copied from is not a target", one,
			"FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /a /a\nLABEL org.opencontainers.image.title=x\n", nil},
		{"label in the final stage only", one,
			"FROM alpine:3.20 AS base\nFROM base\nLABEL org.opencontainers.image.title=x\n", nil},
		{"superfluous with strict labels", strict, "FROM alpine:3.20\n" + allLabels + "LABEL build-host=ci extra=1\n", []string{"9:DL3050"}},
		{"extra labels fine without strict", schema, "FROM alpine:3.20\n" + allLabels + "LABEL build-host=ci\n", nil},
		{"empty", one, "FROM alpine:3.20\nLABEL org.opencontainers.image.title=\"\"\n", []string{"2:DL3051"}},
		{"empty label outside the schema", one, "FROM alpine:3.20\nLABEL org.opencontainers.image.title=x other=\"\"\n", nil},
		{"bad url", schema, "FROM alpine:3.20\n" + allLabels + "LABEL org.opencontainers.image.source=github.com/example/app\n", []string{"9:DL3052"}},
		{"url schemes", schema, "FROM alpine:3.20\n" + allLabels +
			"LABEL org.opencontainers.image.source=git+ssh://git@example.com/app.git\n" +
			"LABEL org.opencontainers.image.source=urn:isbn:0451450523\n" +
			"LABEL org.opencontainers.image.source=\"https://example.com/a b\"\n", []string{"11:DL3052"}},
		{"variables are not judged", schema, "FROM alpine:3.20\nARG URL\n" + allLabels + "LABEL org.opencontainers.image.source=$URL org.opencontainers.image.version=${V}\n", nil},
		{"bad time", schema, "FROM alpine:3.20\n" + allLabels +
			"LABEL org.opencontainers.image.created=2024-05-01\n" +
			"LABEL org.opencontainers.image.created=2024-05-01T12:00:00.123+02:00\n", []string{"9:DL3053"}},
		{"spdx", schema, "FROM alpine:3.20\n" + allLabels +
			"LABEL org.opencontainers.image.licenses=\"MIT OR Apache-2.0\"\n" +
			"LABEL org.opencontainers.image.licenses=\"(MIT AND BSD-3-Clause) OR GPL-2.0-or-later WITH Classpath-exception-2.0\"\n" +
			"LABEL org.opencontainers.image.licenses=LicenseRef-Proprietary\n" +
			"LABEL org.opencontainers.image.licenses=\"Apache 2\"\n" +
			"LABEL org.opencontainers.image.licenses=\"MIT OR\"\n" +
			"LABEL org.opencontainers.image.licenses=\"MIT WITH Nonsense-exception\"\n",
			[]string{"12:DL3054", "13:DL3054", "14:DL3054"}},
		{"git hash", schema, "FROM alpine:3.20\n" + allLabels +
			"LABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567\n" +
			"LABEL org.opencontainers.image.revision=main\n" +
			"LABEL org.opencontainers.image.revision=4F2A9C1\n", []string{"10:DL3055", "11:DL3055"}},
		{"semver", schema, "FROM alpine:3.20\n" + allLabels +
			"LABEL org.opencontainers.image.version=1.4.0-rc.1+build.5\n" +
			"LABEL org.opencontainers.image.version=v1.4\n" +
			"LABEL org.opencontainers.image.version=01.2.3\n" +
			"LABEL org.opencontainers.image.version=1.2.3-01\n", []string{"10:DL3056", "11:DL3056", "12:DL3056"}},
		{"email", schema, "FROM alpine:3.20\n" + allLabels +
			"LABEL com.example.contact=\"Team <team@example.com>\"\n" +
			"LABEL com.example.contact=\"platform team\"\n", []string{"10:DL3058", "9:DL3058"}},
		{"onbuild labels are checked", schema, "FROM alpine:3.20\n" + allLabels +
			"ONBUILD LABEL org.opencontainers.image.version=latest\n", []string{"9:DL3056"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := hlFindings(hlRun(t, c.src, c.s, labelRules...))
			want := append([]string{}, c.want...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("findings %v, want %v", got, want)
			}
		})
	}
}

func TestLabelRulesOffWithoutSettings(t *testing.T) {
	for _, r := range []*rules.Rule{rules.DL3026, rules.DL3049, rules.DL3050, rules.DL3051, rules.DL3052,
		rules.DL3053, rules.DL3054, rules.DL3055, rules.DL3056, rules.DL3058} {
		if !r.DefaultOff {
			t.Errorf("%s should be off until its settings are given", r.ID)
		}
	}
	got := rules.EnabledBySettings(&rules.Settings{TrustedRegistries: []string{"x.io"}, RequiredLabels: map[string]string{"a": "text"}, StrictLabels: true})
	if len(got) != 10 {
		t.Errorf("EnabledBySettings = %v", got)
	}
	if got := rules.EnabledBySettings(&rules.Settings{}); len(got) != 0 {
		t.Errorf("EnabledBySettings(empty) = %v", got)
	}
}

func TestTrustedRegistries(t *testing.T) {
	trusted := func(rs ...string) rules.Settings { return rules.Settings{TrustedRegistries: rs} }
	cases := []struct {
		name string
		s    rules.Settings
		src  string
		want []string
	}{
		{"no list: off", rules.Settings{}, "FROM random.com/debian:12\n", nil},
		{"untrusted registry", trusted("docker.io"), "FROM random.com/debian:12\n", []string{"1:DL3026"}},
		{"trusted registry", trusted("x.com", "random.com"), "FROM random.com/debian:12\n", nil},
		{"docker hub spellings", trusted("docker.io"),
			"FROM ubuntu:24.04 AS a\nFROM example/ubuntu:24.04 AS b\nFROM docker.io/example/ubuntu:24.04 AS c\nFROM index.docker.io/library/ubuntu:24.04\n", nil},
		{"hub.docker.com allows hub", trusted("hub.docker.com"), "FROM ubuntu:24.04\n", nil},
		{"hub not trusted", trusted("registry.example.com"), "FROM ubuntu:24.04\n", []string{"1:DL3026"}},
		{"scratch and stages", trusted("random.com"), "FROM random.com/foo:1 AS one\nFROM one AS two\nFROM scratch\n", nil},
		{"wildcard", trusted("*.random.com"), "FROM foo.random.com/debian:12 AS a\nFROM random.com/debian:12 AS b\nFROM x.com/debian:12\n",
			[]string{"2:DL3026", "3:DL3026"}},
		{"star", trusted("*"), "FROM x.com/debian:12\nFROM ubuntu:24.04\n", nil},
		{"port", trusted("registry.example.com:5000"), "FROM registry.example.com:5000/app:1\nFROM registry.example.com/app:1\n", []string{"2:DL3026"}},
		{"arg expansion", trusted("registry.example.com"), "ARG REG=evil.example.org\nFROM ${REG}/app:1\nARG NOPE\nFROM ${NOPE}/app:1\n", []string{"2:DL3026"}},
		{"copy and mount from images", trusted("registry.example.com"),
			"FROM registry.example.com/go:1.23 AS build\n" +
				"FROM registry.example.com/alpine:3.20\n" +
				"COPY --from=nginx:1.27 /etc/nginx /etc/nginx\n" +
				"COPY --from=build /a /b\n" +
				"COPY --from=0 /a /c\n" +
				"COPY --from=registry.example.com/tools:1 /t /t\n" +
				"RUN --mount=type=bind,from=ghcr.io/example/tools:1,target=/t true\n" +
				"RUN --mount=type=bind,from=build,target=/b true\n",
			[]string{"3:DL3026", "7:DL3026"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := hlFindings(hlRun(t, c.src, c.s, rules.DL3026))
			want := append([]string{}, c.want...)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("findings %v, want %v", got, want)
			}
		})
	}
}
