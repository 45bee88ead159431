package rules

import (
	"sort"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/util/suggest"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// UndefinedArgInFrom reports variables in FROM that no global ARG declares.
var UndefinedArgInFrom = &Rule{
	ID:       "UndefinedArgInFrom",
	Name:     "undefined-arg-in-from",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "FROM should only use build arguments declared with ARG before the first FROM.",
		Why: "FROM sees only the global scope: ARGs declared before the first FROM and the " +
			"predefined platform arguments (TARGETPLATFORM, BUILDPLATFORM, TARGETARCH, ...). " +
			"Any other name expands to an empty string, which usually gives a different image " +
			"than intended, and often comes from a typo such as $BUILDPLATFROM.",
		Bad:  "FROM node:22${VARIANT} AS build",
		Good: "ARG VARIANT=-alpine3.20\nFROM node:22${VARIANT} AS build",
	},
	Check: func(p *Pass) error {
		g := bkGlobalScope(p.File)
		options := g.declaredNames()
		for _, st := range p.File.Stages {
			words := []string{st.BaseRaw}
			if st.Platform != "" {
				words = append(words, st.Platform)
			}
			for _, w := range words {
				res, _ := g.expand(w)
				var names []string
				for n := range res.Unmatched {
					if !g.declared[n] {
						names = append(names, n)
					}
				}
				sort.Strings(names)
				for _, n := range names {
					msg := "FROM argument '" + n + "' is not declared"
					if s, _ := suggest.Search(n, options, true); s != "" {
						msg += " (did you mean " + s + "?)"
					}
					p.Report(st.From, "%s", msg)
				}
			}
		}
		return nil
	},
}

// InvalidDefaultArgInFrom reports a FROM whose image reference is invalid
// when the global ARGs keep their default values.
var InvalidDefaultArgInFrom = &Rule{
	ID:       "InvalidDefaultArgInFrom",
	Name:     "invalid-default-arg-in-from",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "The default values of the global ARGs should give FROM a valid image reference.",
		Why: "A build without --build-arg should work. When an ARG used in FROM has no default " +
			"(or a default that makes an invalid name), `docker build .` fails with an invalid " +
			"reference error, and every user has to know which --build-arg to pass.",
		Bad:  "ARG TAG\nFROM busybox:${TAG}",
		Good: "ARG TAG=1.37\nFROM busybox:${TAG}",
	},
	Check: func(p *Pass) error {
		g := bkGlobalScope(p.File)
		if !g.ok {
			return nil // BuildKit gives up on this check when a default fails to expand
		}
		for _, st := range p.File.Stages {
			res, err := g.expand(st.BaseRaw)
			if err != nil {
				return nil
			}
			if _, err := reference.ParseNormalizedNamed(res.Result); err == nil {
				continue
			}
			if strings.Contains(st.BaseRaw, "$") {
				p.Report(st.From, "Default value for ARG %v results in empty or invalid base image name (%q)", st.BaseRaw, res.Result)
			} else {
				p.Report(st.From, "Base image name %q is not a valid image reference", st.BaseRaw)
			}
		}
		return nil
	},
}

// FromPlatformFlagConstDisallowed reports FROM --platform with a constant
// value in a stage whose name does not say it is platform-specific.
var FromPlatformFlagConstDisallowed = &Rule{
	ID:       "FromPlatformFlagConstDisallowed",
	Name:     "from-platform-flag-const-disallowed",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "FROM --platform should not be a constant.",
		Why: "A constant platform pins the stage to one architecture: the Dockerfile can no " +
			"longer build a multi-platform image, and on another machine it builds (slowly, " +
			"emulated) for the wrong one. Leave the platform to the build command, use " +
			"$BUILDPLATFORM for build tools, or name the stage after the platform (build_arm64) " +
			"when it really is platform-specific; then the check stays quiet.",
		Bad:  "FROM --platform=linux/amd64 alpine:3.20 AS base",
		Good: "FROM --platform=$BUILDPLATFORM alpine:3.20 AS base",
	},
	Check: func(p *Pass) error {
		g := bkGlobalScope(p.File)
		for _, st := range p.File.Stages {
			if st.Platform == "" {
				continue
			}
			res, _ := g.expand(st.Platform)
			if len(res.Matched) > 0 || len(res.Unmatched) > 0 {
				continue
			}
			pl, ok := bkParsePlatform(res.Result)
			if !ok {
				continue
			}
			name := strings.ToLower(st.Name)
			if strings.Contains(name, pl.OS) || pl.Arch != "" && strings.Contains(name, pl.Arch) {
				continue
			}
			p.Report(st.From, "FROM --platform flag should not use constant value %q", res.Result)
		}
		return nil
	},
}

// InvalidBaseImagePlatform reports a base whose platform is known not to
// be the one FROM --platform asks for.
var InvalidBaseImagePlatform = &Rule{
	ID:       "InvalidBaseImagePlatform",
	Name:     "invalid-base-image-platform",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "The base of a stage should match the platform its FROM --platform asks for.",
		Why: "BuildKit reports this after pulling, when the image it got is for another OS or " +
			"architecture. strata does not pull, so it reports the cases it can see in the file: " +
			"a constant FROM --platform on a stage built FROM another stage whose platform is a " +
			"different constant (BuildKit then ignores the flag: a stage keeps the platform of " +
			"the stage it starts from), and a constant FROM --platform on a Docker Hub " +
			"single-architecture repository (arm64v8/..., amd64/..., i386/...) of another " +
			"architecture. The image then runs emulated or not at all.",
		Bad:  "FROM --platform=linux/amd64 arm64v8/alpine:3.20",
		Good: "FROM --platform=linux/arm64 arm64v8/alpine:3.20",
	},
	Check: func(p *Pass) error {
		f := p.File
		g := bkGlobalScope(f)
		for _, st := range f.Stages {
			want, ok := bkConstPlatform(g, st)
			if !ok {
				continue
			}
			if base := bkBaseStage(f, g, st); base != nil {
				have, ok := bkEffectivePlatform(f, g, base, 0)
				if ok && (have.OS != want.OS || have.Arch != want.Arch) {
					p.Report(st.From, "FROM --platform=%s has no effect: stage %q is built for %s and this stage keeps that platform",
						st.Platform, base.Name, have)
				}
				continue
			}
			res, err := g.expand(st.BaseRaw)
			if err != nil {
				continue
			}
			ref := dockerfile.ParseImageRef(res.Result)
			ns, _, found := strings.Cut(ref.Repository, "/")
			if ref.Registry != "" || !found {
				continue
			}
			have, ok := bkArchRepoPlatform(ns)
			if ok && (have.OS != want.OS || have.Arch != want.Arch) {
				p.Report(st.From, "Base image %s was pulled with platform %q, expected %q for current build", st.BaseRaw, have.String(), want.String())
			}
		}
		return nil
	},
}

// bkConstPlatform returns a stage's --platform when it is a constant
// naming both an OS and an architecture.
func bkConstPlatform(g *bkGlobals, st *dockerfile.Stage) (bkPlatform, bool) {
	if st.Platform == "" {
		return bkPlatform{}, false
	}
	res, err := g.expand(st.Platform)
	if err != nil || len(res.Matched) > 0 || len(res.Unmatched) > 0 {
		return bkPlatform{}, false
	}
	pl, ok := bkParsePlatform(res.Result)
	return pl, ok && pl.Arch != ""
}

// bkEffectivePlatform returns the platform a stage is built for when the
// file fixes it: a stage built FROM another stage takes that stage's
// platform (its own --platform is ignored); otherwise its constant
// --platform.
func bkEffectivePlatform(f *dockerfile.File, g *bkGlobals, st *dockerfile.Stage, depth int) (bkPlatform, bool) {
	if depth > len(f.Stages) {
		return bkPlatform{}, false
	}
	if base := bkBaseStage(f, g, st); base != nil {
		return bkEffectivePlatform(f, g, base, depth+1)
	}
	return bkConstPlatform(g, st)
}

// bkArchRepos are Docker Hub's per-architecture namespaces, whose images
// exist for one platform only.
var bkArchRepos = [...][2]string{
	{"amd64", "linux/amd64"},
	{"arm32v5", "linux/arm/v5"},
	{"arm32v6", "linux/arm/v6"},
	{"arm32v7", "linux/arm/v7"},
	{"arm64v8", "linux/arm64/v8"},
	{"i386", "linux/386"},
	{"mips64le", "linux/mips64le"},
	{"ppc64le", "linux/ppc64le"},
	{"riscv64", "linux/riscv64"},
	{"s390x", "linux/s390x"},
	{"windows-amd64", "windows/amd64"},
}

func bkArchRepoPlatform(ns string) (bkPlatform, bool) {
	for _, r := range bkArchRepos {
		if r[0] == ns {
			return bkParsePlatform(r[1])
		}
	}
	return bkPlatform{}, false
}
