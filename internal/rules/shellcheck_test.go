package rules_test

import (
	"context"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
	"github.com/stratatools/strata/internal/vocab"
)

// requireShellcheck skips the test when the shellcheck program is not
// installed, except on CI, where it must be.
func requireShellcheck(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck is not installed on CI (install the shellcheck package)")
		}
		t.Skip("shellcheck is not installed: skipping the ShellCheck integration tests")
	}
}

// scLint lints src with every rule and returns the ShellCheck findings
// ("line:SCxxxx" -> diagnostics).
func scLint(t *testing.T, src string, opts rules.Options) map[string][]rules.Diagnostic {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := rules.Run(context.Background(), f, &rules.BuildContext{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]rules.Diagnostic{}
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.Rule.ID, "SC") {
			k := strconv.Itoa(d.Line) + ":" + d.Rule.ID
			out[k] = append(out[k], d)
		}
	}
	return out
}

const scDockerfile = `FROM debian:bookworm-slim
ARG name
ENV greeting=hello
RUN echo $HOME
RUN <<EOF
set -e
echo "$name" $greeting
echo $in_heredoc
EOF
RUN echo "$undefined_var"
RUN echo hi && \
    # a comment inside the continuation
    echo $PWD
# hadolint ignore=SC2086
RUN echo $HOME
RUN [[ -f /x ]] && echo yes
SHELL ["/bin/bash", "-c"]
RUN [[ -f /x ]] && echo yes
ONBUILD RUN echo "$from_the_child"
SHELL ["powershell", "-Command"]
RUN echo $HOME
`

func TestShellCheck(t *testing.T) {
	requireShellcheck(t)
	got := scLint(t, scDockerfile, rules.Options{})
	want := map[string]vocab.Severity{
		"4:SC2086":  vocab.Info,    // single-line RUN
		"8:SC2086":  vocab.Info,    // heredoc body, line by line
		"8:SC2154":  vocab.Warning, // not declared
		"10:SC2154": vocab.Warning, // not declared by ARG or ENV
		"13:SC2086": vocab.Info,    // continuation line, past a comment line
		"16:SC3010": vocab.Warning, // [[ ]] under /bin/sh
	}
	for k, sev := range want {
		ds, ok := got[k]
		if !ok {
			t.Errorf("missing ShellCheck finding %s; got %v", k, keys(got))
			continue
		}
		r := ds[0].Rule
		if r.Severity != sev {
			t.Errorf("%s: rule severity %v, want %v (ShellCheck's level)", k, r.Severity, sev)
		}
		if r.Name != "shellcheck" || r.Category != vocab.Correctness || !strings.Contains(r.Doc.Why, "https://www.shellcheck.net/wiki/"+r.ID) {
			t.Errorf("%s: rule %+v is not a ShellCheck rule", k, r)
		}
		if ds[0].Message == "" || ds[0].Instruction == nil {
			t.Errorf("%s: diagnostic %+v lacks a message or its instruction", k, ds[0])
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected ShellCheck finding %s: %s", k, got[k][0].Message)
		}
	}
	if d := got["4:SC2086"]; len(d) > 0 && d[0].Column != 10 {
		t.Errorf("SC2086 on line 4 at column %d, want 10", d[0].Column)
	}
	if d := got["13:SC2086"]; len(d) > 0 && d[0].Column != 10 {
		t.Errorf("SC2086 on line 13 at column %d, want 10", d[0].Column)
	}
	// The same ShellCheck code is one rule value.
	if a, b := got["4:SC2086"], got["8:SC2086"]; len(a) > 0 && len(b) > 0 && a[0].Rule != b[0].Rule {
		t.Error("two SC2086 findings carry different rule values")
	}
	if r := rules.ShellCheckRule("sc2086"); len(got["4:SC2086"]) > 0 && r != got["4:SC2086"][0].Rule {
		t.Error("ShellCheckRule(sc2086) is not the rule findings carry")
	}
	if rules.ShellCheckRule("SC20") != nil || rules.ShellCheckRule("DL3008") != nil {
		t.Error("ShellCheckRule accepts names that are not ShellCheck codes")
	}
}

func keys(m map[string][]rules.Diagnostic) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestShellCheckConfiguration(t *testing.T) {
	requireShellcheck(t)
	src := "FROM debian:bookworm-slim\nRUN echo $HOME\n# strata ignore=SC2086\nRUN echo $PWD\n"
	got := scLint(t, src, rules.Options{})
	if _, ok := got["2:SC2086"]; !ok {
		t.Fatalf("no SC2086 on line 2: %v", keys(got))
	}
	if _, ok := got["4:SC2086"]; ok {
		t.Error("# strata ignore=SC2086 did not suppress the finding")
	}
	if got := scLint(t, src, rules.Options{Ignore: []string{"SD002"}}); len(got) > 0 {
		t.Errorf("ignoring SD002 leaves ShellCheck findings: %v", keys(got))
	}
	if got := scLint(t, "# hadolint global ignore=SC2086\n"+src, rules.Options{}); len(got) > 0 {
		t.Errorf("a global ignore leaves findings: %v", keys(got))
	}
	got = scLint(t, src, rules.Options{Ignore: []string{"SC2086"}})
	if _, ok := got["2:SC2086"]; ok {
		t.Error("--ignore SC2086 did not switch the code off")
	}
}

func TestShellCheckSkips(t *testing.T) {
	requireShellcheck(t)
	// Exec-form and PowerShell RUNs and files without RUN give nothing.
	for _, src := range []string{
		"FROM debian:bookworm-slim\nRUN [\"echo\", \"$HOME\"]\n",
		"FROM debian:bookworm-slim\nCMD echo $HOME\n",
		"# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo $HOME\n",
		"FROM debian:bookworm-slim\nSHELL [\"/bin/zsh\", \"-c\"]\nRUN echo $HOME\n",
	} {
		if got := scLint(t, src, rules.Options{}); len(got) > 0 {
			t.Errorf("findings %v for\n%s", keys(got), src)
		}
	}
}

// TestShellCheckInvocation checks that ShellCheck sees each RUN as
// hadolint shows it (dialect, exported names, left-out codes), with the
// deviations SD002's documentation lists. The expected codes are
// ShellCheck's (0.9) under that invocation.
func TestShellCheckInvocation(t *testing.T) {
	requireShellcheck(t)
	for _, c := range []struct {
		name string
		src  string
		want []string // "line:SCxxxx"
	}{
		{"declared names are plain words", `FROM debian:bookworm-slim
ARG TARGETARCH
ENV APP_VERSION=1.2.3
RUN curl -fsSLo /tmp/app https://example.com/app-${APP_VERSION}-${TARGETARCH}
RUN echo $HTTP_PROXY $no_proxy
`, nil},
		{"declared later is not declared", `FROM debian:bookworm-slim
RUN echo "$later"
ARG later
`, []string{"2:SC2154"}},
		{"an undeclared name", `FROM debian:bookworm-slim
ARG name
RUN echo $missing "$name"
`, []string{"3:SC2086", "3:SC2154"}},
		{"a misspelt proxy name", `FROM debian:bookworm-slim
RUN echo "$HTTP_PROXI"
`, []string{"2:SC2153"}},
		{"a misspelt build argument", `FROM debian:bookworm-slim
ARG PYTHON_VERSION
RUN echo "$PYTHON_VERSON"
`, []string{"3:SC2153"}},
		{"sourced files are not followed", `FROM debian:bookworm-slim
RUN . /etc/os-release && echo "$ID"
RUN . "$HOME/.profile"
`, nil},
		{"sh by default, SHELL switches, FROM resets", `FROM debian:bookworm-slim AS one
RUN echo $RANDOM
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN echo $RANDOM
FROM debian:bookworm-slim
RUN echo $RANDOM
`, []string{"2:SC3028", "6:SC3028"}},
		{"ash is checked as dash, quietly", `FROM alpine:3.20
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN echo $RANDOM
`, []string{"3:SC3028"}},
		{"names of another stage", `ARG global=1
FROM debian:bookworm-slim AS a
ENV a=1
FROM debian:bookworm-slim
RUN echo "$global" "$a"
`, []string{"5:SC2154"}},
		{"a stage keeps the ENV of the stage it is built on", `FROM debian:bookworm-slim AS base
ENV a=1
ARG b=2
FROM base
RUN echo "$a" "$b"
`, []string{"5:SC2154"}},
		{"a secret mounted as a variable", `FROM debian:bookworm-slim
RUN --mount=type=secret,id=tok,env=API_TOKEN echo "$API_TOKEN"
`, nil},
		{"a shell pragma before the first FROM holds for every stage", `# hadolint shell=powershell.exe
FROM mcr.microsoft.com/powershell:lts-ubuntu-22.04 AS a
RUN Write-Host $env:PATH
FROM mcr.microsoft.com/powershell:lts-ubuntu-22.04
RUN Write-Host $env:PATH
`, nil},
		{"a shell pragma in a stage holds until SHELL or FROM", `FROM debian:bookworm-slim
# hadolint shell = pwsh  # PowerShell from here
RUN Write-Host $env:PATH
RUN Write-Host $env:HOME
SHELL ["/bin/sh", "-c"]
RUN echo $RANDOM
FROM debian:bookworm-slim
RUN echo $RANDOM
`, []string{"6:SC3028", "8:SC3028"}},
		{"a shell pragma naming bash", `FROM debian:bookworm-slim
# hadolint shell=bash
RUN echo $RANDOM
`, nil},
		{"ONBUILD keeps ENV names, not ARGs, and has no SC2154", `FROM debian:bookworm-slim
ARG VERSION
ENV HOME_DIR=/srv
ONBUILD RUN echo $HOME_DIR $VERSION "$CHILD_ARG"
`, []string{"4:SC2086"}},
		{"a heredoc with its own #! and a file-wide directive", "FROM debian:bookworm-slim\n" +
			"ARG x\n" +
			"RUN <<EOF\n" +
			"#!/bin/bash\n" +
			"# shellcheck disable=SC2086\n" +
			"echo $RANDOM $one\n" +
			"echo $two\n" +
			"EOF\n", []string{"6:SC2154", "7:SC2154"}},
		{"what is missing at the end is reported on the last line", "FROM debian:bookworm-slim\n" +
			"RUN echo start && \\\n" +
			"{% if template %}\n", []string{"3:SC1054", "3:SC1056", "3:SC1072", "3:SC1073", "3:SC1083"}},
		{"a heredoc under sh, line by line", "FROM debian:bookworm-slim\n" +
			"RUN <<EOF\n" +
			"set -e\n" +
			"\n" +
			"echo $RANDOM\n" +
			"EOF\n", []string{"5:SC3028"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := scLint(t, c.src, rules.Options{})
			var have []string
			for k := range got {
				have = append(have, k)
			}
			sort.Strings(have)
			want := append([]string(nil), c.want...)
			sort.Strings(want)
			if strings.Join(have, " ") != strings.Join(want, " ") {
				for _, k := range have {
					t.Logf("%s: %s", k, got[k][0].Message)
				}
				t.Errorf("got %v, want %v", have, want)
			}
		})
	}
}
