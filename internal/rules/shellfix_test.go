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
		{name: "no-install-recommends", rule: rules.DL3015,
			src:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n"},
		{name: "no-install-recommends across continuation lines", rule: rules.DL3015,
			src:  "FROM debian:12\nRUN apt-get update \\\n # the tools\n && apt-get -q install\\\n      -y curl\n",
			want: "FROM debian:12\nRUN apt-get update \\\n # the tools\n && apt-get -q install --no-install-recommends\\\n      -y curl\n"},
		{name: "no-install-recommends twice", rule: rules.DL3015,
			src:  "FROM debian:12\nRUN apt-get install -y a && apt-get install -y b\n",
			want: "FROM debian:12\nRUN apt-get install --no-install-recommends -y a && apt-get install --no-install-recommends -y b\n"},
		{name: "no-install-recommends in a heredoc", rule: rules.DL3015,
			src:  "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
			want: "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install --no-install-recommends -y curl\nEOF\n"},
		{name: "no-install-recommends in ONBUILD", rule: rules.DL3015,
			src:  "FROM debian:12\nONBUILD  RUN apt-get install -y curl\n",
			want: "FROM debian:12\nONBUILD  RUN apt-get install --no-install-recommends -y curl\n"},
		{name: "no-install-recommends in a CRLF file", rule: rules.DL3015,
			src:  "FROM debian:12\r\nRUN apt-get update && \\\r\n    apt-get install -y curl\r\n",
			want: "FROM debian:12\r\nRUN apt-get update && \\\r\n    apt-get install --no-install-recommends -y curl\r\n"},
		{name: "no-install-recommends with a RUN flag", rule: rules.DL3015,
			src:  "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\n",
			want: "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install --no-install-recommends -y curl\n"},
		{name: "quoted verb", rule: rules.DL3015,
			src:  "FROM debian:12\nRUN apt-get 'install' -y curl\n",
			want: "FROM debian:12\nRUN apt-get 'install' --no-install-recommends -y curl\n"},
		{name: "verb split by a continuation", rule: rules.DL3015,
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
		{name: "delete apt lists: a later RUN installs without update, nothing to join: no fix", rule: rules.DL3009, noFix: true,
			src: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"},
		{name: "delete apt lists: a later RUN installs without update, its packages join this install", rule: rules.DL3009, unsafe: true,
			src:  "FROM debian:12\nRUN apt-get update && apt-get install -y python3\nWORKDIR /app\nRUN apt-get install -y curl\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install -y python3 curl && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\n"},
		{name: "delete apt lists: a RUN between adds an apt source: no fix", rule: rules.DL3009, noFix: true,
			src: "FROM debian:12\nRUN apt-get update && apt-get install -y gnupg\nRUN echo 'deb http://x/ y main' > /etc/apt/sources.list.d/x.list\nRUN apt-get install -y x\n"},
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

		{name: "cd to WORKDIR: absolute dir, last instruction", rule: rules.DL3003,
			src:  "FROM debian:12\nRUN cd /app && make install\n",
			want: "FROM debian:12\nWORKDIR /app\nRUN make install\nWORKDIR /\n"},
		{name: "cd to WORKDIR: restore before later instructions", rule: rules.DL3003,
			src:  "FROM debian:12\nWORKDIR /src\nRUN cd /app && make && make install\nCOPY x.conf etc/\nRUN ls\n",
			want: "FROM debian:12\nWORKDIR /src\nWORKDIR /app\nRUN make && make install\nWORKDIR /src\nCOPY x.conf etc/\nRUN ls\n"},
		{name: "cd to WORKDIR: relative dir resolved", rule: rules.DL3003,
			src:  "FROM debian:12\nWORKDIR /src\nRUN cd build/./out && make\nCMD [\"make\"]\n",
			want: "FROM debian:12\nWORKDIR /src\nWORKDIR /src/build/out\nRUN make\nWORKDIR /src\nCMD [\"make\"]\n"},
		{name: "cd to WORKDIR: relative dir without WORKDIR", rule: rules.DL3003,
			src:  "FROM debian:12\nRUN cd usr/src && make\n",
			want: "FROM debian:12\nWORKDIR /usr/src\nRUN make\nWORKDIR /\n"},
		{name: "cd to WORKDIR: no fix when the base image may set its own WORKDIR", rule: rules.DL3003, noFix: true,
			src: "FROM golang:1.22\nRUN cd /src && go build ./...\nCMD [\"app\"]\n"},
		{name: "cd to WORKDIR: the WORKDIR of a base stage is known", rule: rules.DL3003,
			src:  "FROM golang:1.22 AS base\nWORKDIR /w\nFROM base\nRUN cd /src && go build ./...\nCMD [\"app\"]\n",
			want: "FROM golang:1.22 AS base\nWORKDIR /w\nFROM base\nWORKDIR /src\nRUN go build ./...\nWORKDIR /w\nCMD [\"app\"]\n"},
		{name: "cd to WORKDIR: already there, cd dropped", rule: rules.DL3003,
			src:  "FROM debian:12\nWORKDIR /app\nRUN cd /app/ && make\nRUN ls\n",
			want: "FROM debian:12\nWORKDIR /app\nRUN make\nRUN ls\n"},
		{name: "cd to WORKDIR: RUN flags kept", rule: rules.DL3003,
			src:  "FROM golang:1.22\nWORKDIR /go\nRUN --mount=type=cache,target=/root/.cache/go-build --network=none cd /src && go build ./...\n",
			want: "FROM golang:1.22\nWORKDIR /go\nWORKDIR /src\nRUN --mount=type=cache,target=/root/.cache/go-build --network=none go build ./...\nWORKDIR /go\n"},
		{name: "cd to WORKDIR: continuation lines kept", rule: rules.DL3003,
			src:  "FROM debian:12\nRUN cd /app \\\n    && ./configure \\\n    && make\nUSER nobody\n",
			want: "FROM debian:12\nWORKDIR /app\nRUN ./configure \\\n    && make\nWORKDIR /\nUSER nobody\n"},
		{name: "cd to WORKDIR: && at the end of the line", rule: rules.DL3003,
			src:  "FROM debian:12\nRUN cd /app && \\\n    make\n",
			want: "FROM debian:12\nWORKDIR /app\nRUN make\nWORKDIR /\n"},
		{name: "cd to WORKDIR: CRLF, lower case, no final newline", rule: rules.DL3003,
			src:  "from debian:12\r\nrun cd /app && make\r\nrun ls",
			want: "from debian:12\r\nworkdir /app\r\nrun make\r\nworkdir /\r\nrun ls"},
		{name: "cd to WORKDIR: last line without newline", rule: rules.DL3003,
			src:  "FROM debian:12\nRUN cd /app && make",
			want: "FROM debian:12\nWORKDIR /app\nRUN make\nWORKDIR /\n"},
		{name: "cd to WORKDIR: quoted literal dir", rule: rules.DL3003,
			src:  "FROM debian:12\nRUN cd '/app' && make\n",
			want: "FROM debian:12\nWORKDIR /app\nRUN make\nWORKDIR /\n"},
		{name: "cd with a variable: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nENV APP=/app\nRUN cd $APP && make\n"},
		{name: "cd in a subshell, then one outside: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN (cd /tmp && make) && cd /app && make\n"},
		{name: "cd in a brace group: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN { cd /app && make; } && ls\n"},
		{name: "cd not first: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN make && cd /app && make install\n"},
		{name: "cd joined by ;: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app; make\n"},
		{name: "cd joined by ||: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app || make\n"},
		{name: "cd alone: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app\n"},
		{name: "cd with no argument: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd && make\n"},
		{name: "cd with an option: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd -P /app && make\n"},
		{name: "cd -: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd - && make\n"},
		{name: "cd to home: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd ~/src && make\n"},
		{name: "cd then cd -: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app && make && cd - && ls\n"},
		{name: "cd in a background list: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app && make & ls\n"},
		{name: "cd with a relative mount target: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN --mount=type=cache,target=cache cd /app && make\n"},
		{name: "relative cd under an unknown WORKDIR: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nARG D=/x\nWORKDIR $D\nRUN cd src && make\n"},
		{name: "cd in a heredoc: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN <<EOF\ncd /app && make\nEOF\n"},
		{name: "cd in a RUN with a heredoc: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app && cat > x <<EOF\nhi\nEOF\n"},
		{name: "cd in ONBUILD: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nONBUILD RUN cd /app && make\n"},
		{name: "cd with a comment line inside: no fix", rule: rules.DL3003, noFix: true,
			src: "FROM debian:12\nRUN cd /app \\\n# build\n && make\n"},
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
			got := applyFixes(t, c.src, fixed)
			if got != c.want {
				t.Fatalf("fixed text\n got: %q\nwant: %q", got, c.want)
			}
			if left := shLint(t, c.rule, got); len(left) > 0 {
				t.Fatalf("%s still reports after the fix: %s", c.rule.ID, left[0].Message)
			}
		})
	}
}
