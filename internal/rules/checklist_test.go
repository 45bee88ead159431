package rules_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/rules"
)

// sdRun lints src with one checklist rule (and no build context).
func sdRun(t *testing.T, src string, r *rules.Rule) []rules.Diagnostic {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	res, err := rules.Run(context.Background(), f, nil, rules.Options{Rules: []*rules.Rule{r}, Enable: []string{r.ID}, Settings: rules.Settings{Today: caseDay}})
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	return res.Diagnostics
}

// TestChecklistFixes checks the text fixes of strata's checklist rules:
// the fixed file must be what is expected and draw no finding from the
// rule any more.
func TestChecklistFixes(t *testing.T) {
	cases := []struct {
		name   string
		rule   *rules.Rule
		src    string
		want   string // "" when the finding must have no text fix
		unsafe bool
		again  int // findings left after the fix
	}{
		{name: "lone apt-get update joins the next install", rule: rules.SD201,
			src:  "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"},
		{name: "lone update before a continued install", rule: rules.SD201,
			src:  "FROM debian:bookworm-slim\nRUN apt-get -qq update\nRUN apt-get install -y \\\n    curl\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get -qq update && apt-get install -y \\\n    curl\n"},
		{name: "CRLF", rule: rules.SD201,
			src:  "FROM debian:bookworm-slim\r\nRUN apt-get update\r\nRUN apt-get install -y curl\r\n",
			want: "FROM debian:bookworm-slim\r\nRUN apt-get update && apt-get install -y curl\r\n"},
		{name: "update with an instruction in between: no fix", rule: rules.SD201,
			src: "FROM debian:bookworm-slim\nRUN apt-get update\nWORKDIR /x\nRUN apt-get install -y curl\n"},
		{name: "update and install with different mounts: no fix", rule: rules.SD201,
			src: "FROM debian:bookworm-slim\nRUN apt-get update\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl\n"},
		{name: "npm cache cleaned in the same RUN", rule: rules.SD401,
			src:  "FROM node:22-slim\nRUN npm install -g pm2@5.3.0\n",
			want: "FROM node:22-slim\nRUN npm install -g pm2@5.3.0 && npm cache clean --force\n"},
		{name: "clean-up goes before a trailing shell comment", rule: rules.SD401,
			src:  "FROM node:22-slim\nRUN npm install -g pm2@5.3.0 # the process manager\n",
			want: "FROM node:22-slim\nRUN npm install -g pm2@5.3.0 && npm cache clean --force # the process manager\n"},
		{name: "apk index removed at the end of a continued RUN", rule: rules.SD401,
			src:  "FROM alpine:3.20\nRUN apk update \\\n && apk add --no-cache curl\n",
			want: "FROM alpine:3.20\nRUN apk update \\\n && apk add --no-cache curl && rm -rf /var/cache/apk/*\n"},
		{name: "Go caches of a shipped stage", rule: rules.SD401,
			src:  "FROM golang:1.23\nRUN go install example.com/tool@v1.0.0\nENTRYPOINT [\"tool\"]\n",
			want: "FROM golang:1.23\nRUN go install example.com/tool@v1.0.0 && go clean -cache -modcache\nENTRYPOINT [\"tool\"]\n"},
		{name: "script ending in a semicolon: no fix", rule: rules.SD401,
			src: "FROM node:22-slim\nRUN npm install -g pm2@5.3.0;\n"},
		{name: "gem cache: no fix (the path depends on GEM_HOME)", rule: rules.SD401,
			src: "FROM ruby:3.3-slim\nRUN gem install rake -v 13.2.1\n"},
		{name: "apt lists removed in a later RUN move to the RUN that filled them", rule: rules.SD402,
			src:  "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nWORKDIR /app\nRUN rm -rf /var/lib/apt/lists/*\nCMD [\"curl\"]\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCMD [\"curl\"]\n"},
		{name: "yum clean all and apt-get-style clean-ups leave the rest of the RUN", rule: rules.SD402,
			src:  "FROM rockylinux:9\nRUN yum install -y gcc \\\n && gcc --version\nRUN echo built > /built.txt \\\n && yum clean all \\\n && chmod 0644 /built.txt\n",
			want: "FROM rockylinux:9\nRUN yum install -y gcc \\\n && gcc --version && yum clean all\nRUN echo built > /built.txt \\\n && chmod 0644 /built.txt\n"},
		{name: "apt-get clean goes with the lists", rule: rules.SD402,
			src:  "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN mkdir -p /data && apt-get clean && rm -rf /var/lib/apt/lists/*\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN mkdir -p /data\n"},
		{name: "npm cache cleaned first in a later RUN", rule: rules.SD402,
			src:  "FROM node:22-slim\nRUN npm install -g pm2@5.3.0\nRUN npm cache clean --force && mkdir /app\n",
			want: "FROM node:22-slim\nRUN npm install -g pm2@5.3.0 && npm cache clean --force\nRUN mkdir /app\n"},
		{name: "apk cache, clean-up on its own continued RUN", rule: rules.SD402,
			src:  "FROM alpine:3.20\nRUN apk update && apk add curl\nRUN rm -rf \\\n    /var/cache/apk/*\n",
			want: "FROM alpine:3.20\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n"},
		{name: "package manager used in between: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN apt-cache policy curl > /policy.txt\nRUN rm -rf /var/lib/apt/lists/*\n"},
		{name: "script in between: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN ./install-deps.sh\nRUN rm -rf /var/lib/apt/lists/*\n"},
		{name: "clean-up under || true: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/* || true\n"},
		{name: "clean-up after a semicolon: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN mkdir /data; rm -rf /var/lib/apt/lists/*\n"},
		{name: "clean-up in a subshell: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN (rm -rf /var/lib/apt/lists/*)\n"},
		{name: "clean-up also removing other files: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/* /tmp/*\n"},
		{name: "clean-up in a heredoc: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN <<EOF\nrm -rf /var/lib/apt/lists/*\nEOF\n"},
		{name: "filling RUN is a heredoc: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nRUN rm -rf /var/lib/apt/lists/*\n"},
		{name: "filled in a base stage: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN rm -rf /var/lib/apt/lists/*\n"},
		{name: "USER in between: no fix", rule: rules.SD402,
			src: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nUSER nobody\nRUN rm -rf /var/lib/apt/lists/*\n"},
		{name: "build dependencies removed two RUNs later are chained", rule: rules.SD402,
			src:  "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\n# native wheels\nRUN pip install --no-cache-dir psutil==5.9.8\nRUN apk del .build-deps\n",
			want: "FROM python:3.12-alpine\n# native wheels\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && pip install --no-cache-dir psutil==5.9.8 \\\n && apk del .build-deps\n"},
		{name: "purge chained onto a multi-command install", rule: rules.SD402,
			src:  "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y build-essential\n",
			want: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/* \\\n && apt-get purge -y build-essential\n"},
		{name: "COPY between install and removal: no fix", rule: rules.SD402,
			src: "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\nRUN apk del .build-deps\n"},
		{name: "cd in between: no fix", rule: rules.SD402,
			src: "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN cd /src && pip install --no-cache-dir .\nRUN apk del .build-deps\n"},
		{name: "removal under || true: no fix", rule: rules.SD402,
			src: "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN apk del .build-deps || true\n"},
		{name: "different mounts: no fix", rule: rules.SD402,
			src: "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN --mount=type=cache,target=/root/.cache/pip pip install psutil==5.9.8\nRUN apk del .build-deps\n"},
		{name: "removal in a heredoc: no fix", rule: rules.SD402,
			src: "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN <<EOF\napk del .build-deps\nEOF\n"},
		{name: "python to python-slim", rule: rules.SD101, unsafe: true,
			src:  "FROM python:3.12\nCMD [\"python3\", \"app.py\"]\n",
			want: "FROM python:3.12-slim\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "python codename tag", rule: rules.SD101, unsafe: true,
			src:  "FROM python:3.12-bookworm AS app\nCMD [\"python3\", \"app.py\"]\n",
			want: "FROM python:3.12-slim-bookworm AS app\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "node codename tag", rule: rules.SD101, unsafe: true,
			src:  "FROM docker.io/library/node:22-bookworm\nCMD [\"node\", \"server.js\"]\n",
			want: "FROM docker.io/library/node:22-bookworm-slim\nCMD [\"node\", \"server.js\"]\n"},
		{name: "debian release", rule: rules.SD101, unsafe: true,
			src:  "FROM debian:bookworm\nCMD [\"/usr/local/bin/app\"]\n",
			want: "FROM debian:bookworm-slim\nCMD [\"/usr/local/bin/app\"]\n"},
		{name: "JDK to JRE", rule: rules.SD101, unsafe: true,
			src:  "FROM eclipse-temurin:21-jdk-alpine\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
			want: "FROM eclipse-temurin:21-jre-alpine\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n"},
		{name: "base from a variable: no fix", rule: rules.SD101,
			src: "ARG PY=3.12\nFROM python:${PY}\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "ubuntu installing Python: the python image of the same Python", rule: rules.SD101, unsafe: true,
			src:  "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]\n",
			want: "FROM python:3.12-slim\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "ubuntu installing Python libraries from apt: no fix", rule: rules.SD101,
			src: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-flask && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]\n"},
		{name: "cache mount for npm", rule: rules.SD701, unsafe: true,
			src:  "FROM node:22-slim\nCOPY package.json ./\nRUN npm install\n",
			want: "FROM node:22-slim\nCOPY package.json ./\nRUN --mount=type=cache,target=/root/.npm npm install\n"},
		{name: "cache mounts for go, in an ONBUILD trigger", rule: rules.SD701, unsafe: true,
			src:  "FROM golang:1.23\nONBUILD COPY . .\nONBUILD RUN go build -o /app .\n",
			want: "FROM golang:1.23\nONBUILD COPY . .\nONBUILD RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n"},
		{name: "go mod download before a go build in a later RUN: no fix", rule: rules.SD701,
			src: "FROM golang:1.23\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN make build\nCMD [\"/app\"]\n"},
		{name: "cargo fetch before a dev stage that runs cargo: no fix", rule: rules.SD701,
			src: "FROM rust:1.80 AS base\nCOPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nFROM base AS dev\nCMD [\"cargo\", \"run\", \"--offline\"]\nFROM debian:bookworm-slim\nCOPY --from=base /Cargo.toml /app\nCMD [\"/app\"]\n"},
		{name: "pip: no fix (DL3042 asks for --no-cache-dir)", rule: rules.SD701,
			src: "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := sdRun(t, c.src, c.rule)
			if len(ds) == 0 {
				t.Fatalf("%s reported nothing", c.rule.ID)
			}
			if c.want == "" {
				for _, d := range ds {
					if d.Fix != nil && len(d.Fix.Edits) > 0 {
						t.Fatalf("unexpected fix %+v", d.Fix)
					}
				}
				return
			}
			for _, d := range ds {
				if d.Fix == nil {
					t.Fatalf("finding %q has no fix", d.Message)
				}
				if d.Fix.Unsafe != c.unsafe {
					t.Errorf("fix unsafe = %v, want %v", d.Fix.Unsafe, c.unsafe)
				}
				if d.Fix.Message == "" {
					t.Error("fix has no message")
				}
			}
			got := applyFixes(t, c.src, ds)
			if got != c.want {
				t.Fatalf("fixed text:\n%s\nwant:\n%s", got, c.want)
			}
			if left := sdRun(t, got, c.rule); len(left) != c.again {
				var msgs []string
				for _, d := range left {
					msgs = append(msgs, d.Message)
				}
				t.Errorf("after the fix %s still reports: %s", c.rule.ID, strings.Join(msgs, "; "))
			}
		})
	}
}
