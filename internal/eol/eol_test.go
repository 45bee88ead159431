package eol

import (
	"testing"
	"time"

	"github.com/stratatools/strata/internal/dockerfile"
)

// day is the day the tests judge on, so that they do not change as the
// calendar moves on.
var day = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

func ref(t *testing.T, raw string) dockerfile.ImageRef {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte("FROM "+raw+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return f.Stages[0].Base
}

func TestLookupAndSuccessor(t *testing.T) {
	for _, c := range []struct {
		image     string
		known     bool
		ended     bool
		successor string
	}{
		{"ubuntu:20.04", true, true, "ubuntu:24.04"},
		{"ubuntu:focal", true, true, "ubuntu:noble"},
		{"ubuntu:focal-20240530", true, true, "ubuntu:noble"},
		{"ubuntu:22.04", true, false, "ubuntu:24.04"},
		{"ubuntu:24.04", true, false, ""},
		{"ubuntu:latest", false, false, ""},
		{"debian:buster-slim", true, true, "debian:bookworm-slim"},
		{"debian:bullseye", true, true, "debian:bookworm"},
		{"debian:11-slim", true, true, "debian:12-slim"},
		{"debian:12.5", true, false, "debian:13"},
		{"debian:bookworm", true, false, "debian:trixie"},
		{"debian:stable", false, false, ""},
		{"alpine:3.16", true, true, "alpine:3.23"},
		{"alpine:3.19.1", true, true, "alpine:3.23"},
		{"alpine:3.22", true, false, "alpine:3.23"},
		{"python:3.8-slim", true, true, "python:3.11-slim"},
		{"python:3.10.14-slim-bookworm", true, true, "python:3.11-slim-bookworm"},
		{"python:3.9-alpine3.16", true, true, "python:3.11-alpine"},
		{"python:3.12-slim", true, false, "python:3.13-slim"},
		{"node:16-alpine", true, true, "node:24-alpine"},
		{"node:18.19.0-bullseye-slim", true, true, "node:24-slim"},
		{"node:lts", false, false, ""},
		{"golang:1.20-alpine", true, true, "golang:1.27-alpine"},
		{"golang:1.26", true, false, "golang:1.27"},
		{"openjdk:8-jdk-alpine", true, true, "eclipse-temurin:8-jdk-alpine"},
		{"openjdk:11-jre-slim", true, true, "eclipse-temurin:11-jre"},
		{"openjdk:17", true, true, "eclipse-temurin:17-jdk"},
		{"someone/python:3.8", false, false, ""},
		{"registry.example.com/python:3.8", false, false, ""},
	} {
		t.Run(c.image, func(t *testing.T) {
			b, ok := Lookup(ref(t, c.image))
			if ok != c.known {
				t.Fatalf("known = %v, want %v", ok, c.known)
			}
			if !ok {
				return
			}
			if got := b.Ended(day); got != c.ended {
				t.Errorf("ended = %v, want %v (%s)", got, c.ended, b.Describe())
			}
			got, _, _ := b.Successor(day)
			if got != c.successor {
				t.Errorf("successor = %q, want %q", got, c.successor)
			}
		})
	}
}

func TestVariantEnded(t *testing.T) {
	b, ok := Lookup(ref(t, "python:3.11-slim-buster"))
	if !ok || b.Ended(day) {
		t.Fatalf("python 3.11 is supported on %v", day)
	}
	what, _, ended := b.VariantEnded(day)
	if !ended || what != "Debian 10 (buster)" {
		t.Fatalf("variant = %q, %v", what, ended)
	}
	if got := b.Renamed(day); got != "python:3.11-slim" {
		t.Errorf("renamed = %q", got)
	}
}

// TestTable checks the data: every family has a source and the day it
// was checked, releases are newest first, dates parse, and a release
// with an end of life has no later release that ended before it (for
// even Node.js releases and minor versions alike).
func TestTable(t *testing.T) {
	for _, f := range Families() {
		if f.Source == "" || f.Checked == "" {
			t.Errorf("%s: no source or checked date", f.Name)
		}
		if _, err := time.Parse("2006-01-02", f.Checked); err != nil {
			t.Errorf("%s: checked %q: %v", f.Name, f.Checked, err)
		}
		for i, r := range f.Releases {
			if r.EOL != "" {
				if _, ok := r.End(); !ok {
					t.Errorf("%s %s: EOL %q does not parse", f.Name, r.Version, r.EOL)
				}
			}
			if i > 0 && f.Releases[i-1].Version == r.Version {
				t.Errorf("%s %s listed twice", f.Name, r.Version)
			}
		}
	}
}

func TestExternallyManaged(t *testing.T) {
	for image, want := range map[string]bool{
		"debian:12":                   true,
		"debian:bookworm-slim":        true,
		"docker.io/library/debian:11": false,
		"ubuntu:24.04":                true,
		"ubuntu:22.04":                false,
		"alpine:3.21":                 true,
		"alpine:3.18":                 false,
		"python:3.12":                 false, // not a distribution's system Python
		"debian:${TAG}":               false,
		"debian":                      false,
		"":                            false,
		"debian:12 AS x":              false,
	} {
		if got := ExternallyManaged(image); got != want {
			t.Errorf("ExternallyManaged(%q) = %v, want %v", image, got, want)
		}
	}
}
