package estimate

import (
	"context"
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/estimate/baseimage"
	"github.com/stratatools/strata/internal/estimate/deb"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/vocab"
)

// Ratios of an image's size on disk to its compressed layers, for a base
// known only from a registry's manifest (measured on Debian, Alpine and
// language images: 2.2 to 3.2).
const (
	ratioLow      = 2.0
	ratioExpected = 2.5
	ratioHigh     = 3.5
)

// base returns the facts of a stage's base image and the FROM's part.
func (r *run) base(ctx context.Context, st *dockerfile.Stage, imageRoot bool) (*baseimage.Facts, Part, error) {
	img, unresolved := r.baseRef(st)
	ref := img.Raw
	if img.Scratch {
		return nil, Part{What: "scratch", Size: Range{}, Confidence: Exact, Source: "the empty image"}, nil
	}
	if unresolved || ref == "" {
		r.out.unknownf("the base image of stage %s (%s): an ARG without a value; pass --build-arg", stageLabel(st), st.BaseRaw)
		return &baseimage.Facts{Ref: st.BaseRaw, From: baseimage.FromNone}, Part{What: "base image " + st.BaseRaw, Size: Between(0, 0, 2<<30), Confidence: Unknown, Source: "unknown: the reference holds a variable without a value"}, nil
	}
	f := r.facts[ref]
	if f == nil {
		need := baseimage.Need{Files: r.runsOn(st)}
		var err error
		if r.e.Bases != nil {
			f, err = r.e.Bases.Facts(ctx, ref, need)
			if err != nil {
				if ctx.Err() != nil {
					return nil, Part{}, ctx.Err()
				}
				return nil, Part{}, &vocab.InputError{Err: fmt.Errorf("base image %s: %w", ref, err)}
			}
		} else {
			f = &baseimage.Facts{Ref: ref, From: baseimage.FromNone, Notes: []string{"no base image source configured"}}
		}
		r.facts[ref] = f
	}
	what := "base image " + ref
	if size, ok := r.req.BaseSizes[ref]; ok {
		return f, Part{What: what, Size: Point(size), Confidence: Declared, Source: "--base-size"}, nil
	}
	if size, ok := r.req.BaseSizes[""]; ok && imageRoot {
		return f, Part{What: what, Size: Point(size), Confidence: Declared, Source: "--base-size"}, nil
	}
	switch {
	case f.SizeKnown && f.From == baseimage.FromEngine:
		src := "the local Docker Engine's image " + shortID(f.ID)
		return f, Part{What: what, Size: Point(f.Size), Confidence: Exact, Source: src}, nil
	case f.SizeKnown:
		src := fmt.Sprintf("the files of its %d layers, read from the registry (%s)", f.Layers, shortID(f.ID))
		if f.Cached {
			src += ", cached"
		}
		return f, Part{What: what, Size: Point(f.Size), Confidence: Declared, Source: src, Note: strings.Join(f.Notes, "; ")}, nil
	case f.Compressed > 0:
		c := f.Compressed
		src := fmt.Sprintf("the registry's manifest: %s compressed in %d layers, ×%.1f uncompressed", vocab.FormatSize(c), f.Layers, ratioExpected)
		return f, Part{What: what, Size: Range{Low: int64(float64(c) * ratioLow), Expected: int64(float64(c) * ratioExpected), High: int64(float64(c) * ratioHigh)},
			Confidence: Modelled, Source: src, Note: "layers compress 2 to 3.5 times; the registry does not say by how much"}, nil
	}
	why := strings.Join(f.Notes, "; ")
	if g, ok := typicalSize(ref); ok {
		r.out.unknownf("the size of %s: %s; guessed from its name (pass --base-size, or pull it)", ref, why)
		return f, Part{What: what, Size: Between(g/2, g, g*2), Confidence: Guessed, Source: "the typical size of " + typicalName(ref), Note: why}, nil
	}
	r.out.unknownf("the size of %s: %s (pass --base-size, or pull it)", ref, why)
	return f, Part{What: what, Size: Between(1<<20, 100e6, 2e9), Confidence: Unknown, Source: "unknown", Note: why}, nil
}

// baseRef is a stage's FROM with the global ARGs expanded, the
// --build-arg values first.
func (r *run) baseRef(st *dockerfile.Stage) (dockerfile.ImageRef, bool) {
	defaults := map[string]string{}
	for _, in := range r.file.GlobalArgs {
		for _, a := range in.Args {
			k, v, ok := strings.Cut(a, "=")
			if ok {
				defaults[k] = dockerfile.TrimQuotes(v)
			} else if _, seen := defaults[k]; !seen {
				defaults[k] = "\x00"
			}
		}
	}
	raw, missing := dockerfile.ExpandArgs(st.BaseRaw, func(name string) (string, bool) {
		if v, ok := r.req.BuildArgs[name]; ok {
			return v, true
		}
		v, ok := defaults[name]
		if !ok || v == "\x00" {
			return "", false
		}
		return v, true
	})
	ref := dockerfile.ParseImageRef(raw)
	return ref, missing || ref.Unresolved
}

// runsOn reports whether st, or a stage built on it, has a RUN: its base's
// package database may then be needed.
func (r *run) runsOn(st *dockerfile.Stage) bool {
	for _, s := range r.file.Stages {
		for _, c := range s.Chain() {
			if c != st {
				continue
			}
			for _, in := range s.Instructions {
				if in.Cmd == "run" {
					return true
				}
			}
		}
	}
	return false
}

func stageLabel(st *dockerfile.Stage) string {
	if st.Name != "" {
		return st.Name
	}
	return fmt.Sprint(st.Index)
}

func shortID(id string) string {
	if i := strings.IndexByte(id, ':'); i >= 0 {
		id = id[i+1:]
	}
	if len(id) > 12 {
		id = id[:12]
	}
	return id
}

// typical sizes of well-known images, by repository name and a word of
// the tag, for a base nothing answers for: a rule of thumb with a range
// of half to twice.
var typicalSizes = []struct {
	repo, tag string
	size      int64
}{
	{"busybox", "", 4_300_000},
	{"alpine", "", 7_800_000},
	{"distroless/static", "", 2_500_000},
	{"distroless/base", "", 20_000_000},
	{"distroless/cc", "", 25_000_000},
	{"distroless/python3", "", 55_000_000},
	{"distroless/nodejs", "", 160_000_000},
	{"distroless/java", "", 230_000_000},
	{"debian", "slim", 75_000_000},
	{"debian", "", 117_000_000},
	{"ubuntu", "", 78_000_000},
	{"python", "alpine", 55_000_000},
	{"python", "slim", 130_000_000},
	{"python", "", 1_000_000_000},
	{"node", "alpine", 140_000_000},
	{"node", "slim", 220_000_000},
	{"node", "", 1_100_000_000},
	{"golang", "alpine", 250_000_000},
	{"golang", "", 820_000_000},
	{"eclipse-temurin", "jre", 270_000_000},
	{"eclipse-temurin", "", 450_000_000},
	{"openjdk", "", 470_000_000},
	{"nginx", "alpine", 50_000_000},
	{"nginx", "", 190_000_000},
	{"ruby", "slim", 200_000_000},
	{"ruby", "", 1_000_000_000},
}

func typicalEntry(ref string) (int, bool) {
	r := dockerfile.ParseImageRef(ref)
	repo := r.Repository
	for i, t := range typicalSizes {
		if (repo == t.repo || strings.HasSuffix(repo, "/"+t.repo)) && (t.tag == "" || strings.Contains(r.Tag, t.tag)) {
			return i, true
		}
	}
	return 0, false
}

func typicalSize(ref string) (int64, bool) {
	i, ok := typicalEntry(ref)
	if !ok {
		return 0, false
	}
	return typicalSizes[i].size, true
}

func typicalName(ref string) string {
	i, _ := typicalEntry(ref)
	t := typicalSizes[i]
	if t.tag != "" {
		return t.repo + ":*" + t.tag + "*"
	}
	return t.repo + " images"
}

var (
	debianCodenames = map[string]string{"13": "trixie", "12": "bookworm", "11": "bullseye", "10": "buster"}
	ubuntuCodenames = map[string]string{"24.04": "noble", "22.04": "jammy", "20.04": "focal", "18.04": "bionic"}
	reCodename      = lazyre.New(`(trixie|bookworm|bullseye|buster|noble|jammy|focal|bionic)`)
)

// guessOS names the distribution of an image from its reference alone:
// Debian and Ubuntu images by name; the official language images are
// Debian unless the tag says alpine.
func guessOS(ref string) baseimage.OSRelease {
	r := dockerfile.ParseImageRef(ref)
	name := r.Name()
	tag := r.Tag
	if strings.Contains(tag, "alpine") || name == "alpine" {
		return baseimage.OSRelease{ID: "alpine"}
	}
	code := reCodename.FindString(tag)
	switch name {
	case "ubuntu":
		if code == "" {
			code = ubuntuCodenames[strings.SplitN(tag, "-", 2)[0]]
		}
		if code == "" {
			code = "noble"
		}
		return baseimage.OSRelease{ID: "ubuntu", Codename: code}
	case "debian", "python", "node", "golang", "ruby", "openjdk", "eclipse-temurin", "rust", "php", "perl", "buildpack-deps", "gcc", "nginx":
		if code == "" {
			code = debianCodenames[strings.SplitN(tag, ".", 2)[0]]
		}
		if code == "" {
			code = "bookworm"
		}
		return baseimage.OSRelease{ID: "debian", Codename: code}
	}
	return baseimage.OSRelease{}
}

func isSlimName(ref string) bool {
	return strings.Contains(dockerfile.ParseImageRef(ref).Tag, "slim")
}

// assumedAptConfig is the apt configuration of Docker's official Debian
// and Ubuntu images (docker-clean, docker-gzip-indexes,
// docker-no-languages), assumed when the image's files were not read.
func assumedAptConfig(os baseimage.OSRelease) baseimage.AptConfig {
	if !os.IsDebian() {
		return baseimage.AptConfig{}
	}
	return baseimage.AptConfig{NoPkgCache: true, CleansArchives: true, GzipIndexes: true, NoLanguages: true}
}

// assumedSources are the apt sources of the official images of a
// distribution release.
func assumedSources(os baseimage.OSRelease) []deb.Source {
	switch os.ID {
	case "debian":
		c := os.Codename
		return []deb.Source{
			{URI: "http://deb.debian.org/debian", Suite: c, Components: []string{"main"}},
			{URI: "http://deb.debian.org/debian", Suite: c + "-updates", Components: []string{"main"}},
			{URI: "http://deb.debian.org/debian-security", Suite: c + "-security", Components: []string{"main"}},
		}
	case "ubuntu":
		c := os.Codename
		comps := []string{"main", "restricted", "universe", "multiverse"}
		return []deb.Source{
			{URI: "http://archive.ubuntu.com/ubuntu", Suite: c, Components: comps},
			{URI: "http://archive.ubuntu.com/ubuntu", Suite: c + "-updates", Components: comps},
			{URI: "http://security.ubuntu.com/ubuntu", Suite: c + "-security", Components: comps},
		}
	}
	return nil
}
