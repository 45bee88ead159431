package rules_test

import (
	"context"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// shLint runs one rule over src.
func shLint(t *testing.T, rule *rules.Rule, src string) []rules.Diagnostic {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	res, err := rules.Run(context.Background(), f, &rules.BuildContext{}, rules.Options{Rules: []*rules.Rule{rule}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Diagnostics
}

// TestShellFixes applies the fixes of the shell rules and checks the
// result: the expected text, a Dockerfile that parses, and no finding of
// the rule any more.
func TestShellFixes(t *testing.T) {
	cases := []struct {
		name   string
		rule   *rules.Rule
		src    string
		want   string // "" with noFix
		noFix  bool
		unsafe bool
	}{
		{name: "no-install-recommends", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n"},
		{name: "no-install-recommends across continuation lines", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get update \\\n # the tools\n && apt-get -q install\\\n      -y curl\n",
			want: "FROM debian:12\nRUN apt-get update \\\n # the tools\n && apt-get -q install --no-install-recommends\\\n      -y curl\n"},
		{name: "no-install-recommends twice", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get install -y a && apt-get install -y b\n",
			want: "FROM debian:12\nRUN apt-get install --no-install-recommends -y a && apt-get install --no-install-recommends -y b\n"},
		{name: "no-install-recommends in a heredoc", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
			want: "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install --no-install-recommends -y curl\nEOF\n"},
		{name: "no-install-recommends in ONBUILD", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nONBUILD  RUN apt-get install -y curl\n",
			want: "FROM debian:12\nONBUILD  RUN apt-get install --no-install-recommends -y curl\n"},
		{name: "no-install-recommends in a CRLF file", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\r\nRUN apt-get update && \\\r\n    apt-get install -y curl\r\n",
			want: "FROM debian:12\r\nRUN apt-get update && \\\r\n    apt-get install --no-install-recommends -y curl\r\n"},
		{name: "no-install-recommends with a RUN flag", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\n",
			want: "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install --no-install-recommends -y curl\n"},
		{name: "quoted verb", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get 'install' -y curl\n",
			want: "FROM debian:12\nRUN apt-get 'install' --no-install-recommends -y curl\n"},
		{name: "verb split by a continuation", rule: rules.DL3015, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get ins\\\ntall -y curl\n",
			want: "FROM debian:12\nRUN apt-get ins\\\ntall --no-install-recommends -y curl\n"},
		{name: "apt to apt-get: name split by a continuation, no fix", rule: rules.DL3027, noFix: true,
			src: "FROM debian:12\nRUN ap\\\nt update\n"},

		{name: "apt-get -y", rule: rules.DL3014,
			src:  "FROM debian:12\nRUN apt-get install --no-install-recommends curl\n",
			want: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n"},
		{name: "apt-get -y with -q", rule: rules.DL3014,
			src:  "FROM debian:12\nRUN sudo apt-get -q install curl\n",
			want: "FROM debian:12\nRUN sudo apt-get -q install -y curl\n"},
		{name: "yum -y", rule: rules.DL3030,
			src:  "FROM centos:7\nRUN yum install httpd && yum clean all\n",
			want: "FROM centos:7\nRUN yum install -y httpd && yum clean all\n"},
		{name: "dnf -y", rule: rules.DL3038,
			src:  "FROM fedora:40\nRUN dnf --setopt=tsflags=nodocs install httpd\n",
			want: "FROM fedora:40\nRUN dnf --setopt=tsflags=nodocs install -y httpd\n"},
		{name: "microdnf -y", rule: rules.DL3038,
			src:  "FROM fedora:40\nRUN microdnf install httpd\n",
			want: "FROM fedora:40\nRUN microdnf install -y httpd\n"},
		{name: "zypper -y", rule: rules.DL3034,
			src:  "FROM opensuse/leap:15.6\nRUN zypper in httpd\n",
			want: "FROM opensuse/leap:15.6\nRUN zypper in -y httpd\n"},

		{name: "apk --no-cache", rule: rules.DL3019,
			src:  "FROM alpine:3.20\nRUN apk add curl\n",
			want: "FROM alpine:3.20\nRUN apk add --no-cache curl\n"},
		{name: "apk --no-cache after update", rule: rules.DL3019,
			src:  "FROM alpine:3.20\nRUN apk update && apk add -U curl && apk add git\n",
			want: "FROM alpine:3.20\nRUN apk update && apk add --no-cache -U curl && apk add --no-cache git\n"},
		{name: "pip --no-cache-dir", rule: rules.DL3042,
			src:  "FROM python:3.12\nRUN python3 -m pip install flask==3.0.3\n",
			want: "FROM python:3.12\nRUN python3 -m pip install --no-cache-dir flask==3.0.3\n"},

		{name: "delete apt lists", rule: rules.DL3009,
			src:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"},
		{name: "delete apt lists after continuation lines", rule: rules.DL3009,
			src:  "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y \\\n      curl   \n",
			want: "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y \\\n      curl && rm -rf /var/lib/apt/lists/*   \n"},
		{name: "delete apt lists after if", rule: rules.DL3009,
			src:  "FROM debian:12\nRUN if true; then apt-get update; fi\n",
			want: "FROM debian:12\nRUN if true; then apt-get update; fi && rm -rf /var/lib/apt/lists/*\n"},
		{name: "delete apt lists in a heredoc", rule: rules.DL3009,
			src:  "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER nobody\n",
			want: "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\nUSER nobody\n"},
		{name: "delete apt lists: a later RUN installs without update", rule: rules.DL3009, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
			want: "FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"},
		{name: "delete apt lists: trailing comment, no fix", rule: rules.DL3009, noFix: true,
			src: "FROM debian:12\nRUN apt-get update # refresh\n"},
		{name: "delete apt lists: trailing semicolon, no fix", rule: rules.DL3009, noFix: true,
			src: "FROM debian:12\nRUN apt-get update;\n"},
		{name: "delete apt lists: background job, no fix", rule: rules.DL3009, noFix: true,
			src: "FROM debian:12\nRUN apt-get update &\n"},
		{name: "delete apt lists: heredoc command line, no fix", rule: rules.DL3009, noFix: true,
			src: "FROM debian:12\nRUN apt-get update && cat <<EOF > /x\nhi\nEOF\n"},

		{name: "yum clean all", rule: rules.DL3032,
			src:  "FROM centos:7\nRUN yum install -y httpd\n",
			want: "FROM centos:7\nRUN yum install -y httpd && yum clean all\n"},
		{name: "dnf clean all", rule: rules.DL3040,
			src:  "FROM fedora:40\nRUN dnf install -y httpd\n",
			want: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n"},
		{name: "microdnf clean all", rule: rules.DL3040,
			src:  "FROM fedora:40\nRUN microdnf install -y httpd\n",
			want: "FROM fedora:40\nRUN microdnf install -y httpd && microdnf clean all\n"},
		{name: "zypper clean", rule: rules.DL3036,
			src:  "FROM opensuse/leap:15.6\nRUN zypper -n in httpd\n",
			want: "FROM opensuse/leap:15.6\nRUN zypper -n in httpd && zypper clean\n"},
		{name: "yarn cache clean", rule: rules.DL3060,
			src:  "FROM node:20\nRUN yarn install --frozen-lockfile\n",
			want: "FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n"},

		{name: "apt to apt-get", rule: rules.DL3027,
			src:  "FROM debian:12\nRUN apt update && apt install -y curl\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"},
		{name: "apt show to apt-cache", rule: rules.DL3027,
			src:  "FROM debian:12\nRUN /usr/bin/apt show curl\n",
			want: "FROM debian:12\nRUN /usr/bin/apt-cache show curl\n"},
		{name: "apt list: no fix", rule: rules.DL3027, noFix: true,
			src: "FROM debian:12\nRUN apt list --installed\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := shLint(t, c.rule, c.src)
			if len(ds) == 0 {
				t.Fatalf("no %s finding in\n%s", c.rule.ID, c.src)
			}
			var fixed []rules.Diagnostic
			for _, d := range ds {
				if d.Fix != nil {
					fixed = append(fixed, d)
					if d.Fix.Unsafe != c.unsafe {
						t.Errorf("fix unsafe = %v, want %v", d.Fix.Unsafe, c.unsafe)
					}
				}
			}
			if c.noFix {
				if len(fixed) > 0 {
					t.Fatalf("unexpected fix %+v", fixed[0].Fix)
				}
				return
			}
			if len(fixed) == 0 {
				t.Fatalf("no fix for %s in\n%s", c.rule.ID, c.src)
			}
			got := hlApply(t, c.src, fixed)
			if got != c.want {
				t.Fatalf("fixed text\n got: %q\nwant: %q", got, c.want)
			}
			if left := shLint(t, c.rule, got); len(left) > 0 {
				t.Fatalf("%s still reports after the fix: %s", c.rule.ID, left[0].Message)
			}
		})
	}
}
