package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

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
		g := bkGlobalsOf(p)
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
