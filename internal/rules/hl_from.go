package rules

import (
	"regexp"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules about FROM: base image tags, registries, platforms and stage
// names.

// fromDescription names a stage's base for messages, showing the ARG
// expansion when the reference was written with variables.
func fromDescription(st *dockerfile.Stage) string {
	if st.BaseRaw != st.Base.Raw {
		return st.Base.Raw + " (" + st.BaseRaw + " after ARG expansion)"
	}
	return st.Base.Raw
}

// externalBase reports whether the stage is built from an image (not a
// previous stage, not scratch) whose reference could be resolved to a
// well-formed reference. References that ARG expansion leaves malformed
// ("busybox:" from an empty default) are BuildKit's
// InvalidDefaultArgInFrom, not a missing tag.
func externalBase(st *dockerfile.Stage) bool {
	b := st.Base
	if st.BaseStage != nil || b.Scratch || b.Unresolved || b.Repository == "" {
		return false
	}
	return !strings.HasSuffix(b.Raw, ":") && !strings.HasSuffix(b.Raw, "@") &&
		!strings.HasPrefix(b.Raw, ":") && !strings.HasPrefix(b.Raw, "/") && !strings.Contains(b.Raw, "//")
}

// DL3006 reports base images without a tag or digest.
var DL3006 = &Rule{
	ID:        "DL3006",
	Name:      "untagged-base-image",
	Severity:  vocab.Warning,
	Category:  vocab.Correctness,
	Checklist: BaseImagePinned,
	Doc: Doc{
		Summary: "Always tag the version of an image explicitly.",
		Why: "Without a tag, FROM means `latest`, which moves whenever the publisher pushes: the " +
			"same Dockerfile builds a different image next week, a major upgrade can arrive " +
			"unannounced, and the build cache is invalidated at random. A tag (better: a digest) " +
			"makes builds repeatable. References built from ARGs are judged after expansion, and " +
			"earlier stages and scratch need no tag.",
		Bad:  "FROM python\nRUN pip install flask",
		Good: "FROM python:3.12-slim\nRUN pip install flask",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			if !externalBase(st) || st.Base.Digest != "" || st.Base.Tag != "" {
				continue
			}
			p.Report(st.From, "base image %s has no tag: pin a version (or a digest)", fromDescription(st))
		}
		return nil
	},
}

// DL3007 reports base images tagged latest.
var DL3007 = &Rule{
	ID:        "DL3007",
	Name:      "latest-base-image",
	Severity:  vocab.Warning,
	Category:  vocab.Correctness,
	Checklist: BaseImagePinned,
	Doc: Doc{
		Summary: "Using latest is prone to errors if the image will ever update; pin a release tag.",
		Why: "`latest` is just a tag the publisher moves to every new release. Pinning it states " +
			"that the build wants whatever is newest at build time, so rebuilds are not " +
			"repeatable and a breaking release is picked up silently. A digest next to the tag " +
			"pins the image, so `image:latest@sha256:...` is not reported.",
		Bad:  "FROM node:latest",
		Good: "FROM node:22.11-bookworm-slim",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			if !externalBase(st) || st.Base.Digest != "" || st.Base.Tag != "latest" {
				continue
			}
			p.Report(st.From, "base image %s uses the latest tag: pin a release tag", fromDescription(st))
		}
		return nil
	},
}

// dockerHubNames are the names under which Docker Hub may be listed as a
// trusted registry.
var dockerHubNames = []string{"docker.io", "hub.docker.com", "index.docker.io", "registry-1.docker.io"}

// registryTrusted reports whether registry ("" for Docker Hub) matches one
// of the trusted patterns: an exact name, "*" or "*.example.com".
func registryTrusted(registry string, trusted []string) bool {
	for _, t := range trusted {
		t = strings.TrimSpace(t)
		switch {
		case t == "*":
			return true
		case registry == "":
			for _, h := range dockerHubNames {
				if strings.EqualFold(t, h) {
					return true
				}
			}
		case strings.HasPrefix(t, "*."):
			if len(registry) > len(t)-1 && strings.HasSuffix(strings.ToLower(registry), strings.ToLower(t[1:])) {
				return true
			}
		case strings.EqualFold(t, registry):
			return true
		}
	}
	return false
}

func registryName(r dockerfile.ImageRef) string {
	if r.Registry == "" {
		return "Docker Hub"
	}
	return r.Registry
}

// DL3026 reports images pulled from registries outside the trusted list.
var DL3026 = &Rule{
	ID:       "DL3026",
	Name:     "untrusted-registry",
	Severity: vocab.Error,
	Category: vocab.Security,
	Doc: Doc{
		Summary: "Use only an allowed registry in the FROM image.",
		Why: "Organisations often require images to come from registries they control or " +
			"mirror, where images are scanned and cannot vanish. With trusted registries " +
			"configured (trustedRegistries, --trusted-registry), every FROM image and every " +
			"image read by COPY --from or RUN --mount=from= must come from one of them; " +
			"`*.example.com` matches subdomains, `docker.io` allows Docker Hub and `*` allows all. " +
			"The rule is off until the list is set.",
		Bad:  "# trustedRegistries: [registry.example.com]\nFROM docker.io/library/python:3.12",
		Good: "# trustedRegistries: [registry.example.com]\nFROM registry.example.com/python:3.12",
	},
	DefaultOff: true,
	Check: func(p *Pass) error {
		trusted := p.Settings.TrustedRegistries
		if len(trusted) == 0 {
			return nil
		}
		f := p.File
		for _, st := range f.Stages {
			if externalBase(st) && !registryTrusted(st.Base.Registry, trusted) {
				p.Report(st.From, "base image %s comes from %s, which is not a trusted registry", st.Base.Raw, registryName(st.Base))
			}
			for _, in := range st.Instructions {
				for _, r := range in.FromRefs() {
					ref, ok := expandGlobal(f, dockerfile.TrimQuotes(r))
					if !ok || ref == "" || f.StageByRef(ref, st.Index) != nil || isOwnStage(st, ref) || isDigits(ref) {
						continue
					}
					img := dockerfile.ParseImageRef(ref)
					if img.Scratch || registryTrusted(img.Registry, trusted) {
						continue
					}
					p.Report(in, "%s reads image %s from %s, which is not a trusted registry", in.Keyword, ref, registryName(img))
				}
			}
		}
		return nil
	},
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// platformArgRE matches a use of the automatic platform build arguments
// ($BUILDPLATFORM, ${TARGETOS}, $TARGETARCH...).
var platformArgRE = regexp.MustCompile(`\$\{?(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)\b`)

// refersToPlatformArg reports whether a --platform value follows the
// build or target platform through the automatic build arguments.
func refersToPlatformArg(v string) bool { return platformArgRE.MatchString(v) }

// DL3029 reports FROM --platform with a fixed platform.
var DL3029 = &Rule{
	ID:       "DL3029",
	Name:     "from-platform-flag",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not use --platform flag with FROM.",
		Why: "A platform written into FROM pins the stage to one architecture: the image no " +
			"longer follows `docker build --platform` and multi-platform builds produce images " +
			"for the wrong architecture or run under emulation. The cross-compilation pattern " +
			"`--platform=$BUILDPLATFORM` and values made of the other automatic platform " +
			"arguments ($TARGETPLATFORM, $TARGETOS/$TARGETARCH...) are fine and not reported; " +
			"an ARG is judged by its value.",
		Bad:  "FROM --platform=linux/amd64 debian:bookworm-slim",
		Good: "FROM debian:bookworm-slim\n# or, for a cross-compiling build stage:\nFROM --platform=$BUILDPLATFORM golang:1.23 AS build",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			v, ok := st.From.Flag("platform")
			if !ok || dockerfile.TrimQuotes(v) == "" || refersToPlatformArg(v) {
				continue
			}
			if dockerfile.HasVariable(v) {
				// Judge the value of the ARG; an undefined one is
				// UndefinedArgInFrom's business.
				if exp, ok := expandGlobal(p.File, dockerfile.TrimQuotes(v)); !ok || exp == "" || refersToPlatformArg(exp) {
					continue
				}
			}
			p.Report(st.From, "FROM --platform=%s pins the stage to one platform", v)
		}
		return nil
	},
}

// DL3065 reports FROM --platform=$TARGETPLATFORM, which is the default.
var DL3065 = &Rule{
	ID:       "DL3065",
	Aliases:  []string{"RedundantTargetPlatform"},
	Name:     "redundant-target-platform",
	Severity: vocab.Warning,
	Category: vocab.StyleCat,
	Doc: Doc{
		Summary: "FROM --platform=$TARGETPLATFORM is redundant: it is the default.",
		Why: "A stage is built for the target platform unless told otherwise, so setting it " +
			"explicitly adds nothing and suggests a cross-compilation set-up that is not there. " +
			"The flag is only useful with another value, usually $BUILDPLATFORM.",
		Bad:  "FROM --platform=$TARGETPLATFORM alpine:3.20",
		Good: "FROM alpine:3.20",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			in := st.From
			for _, raw := range in.Flags {
				k, v, _ := strings.Cut(strings.TrimPrefix(raw, "--"), "=")
				if !strings.EqualFold(k, "platform") {
					continue
				}
				v = dockerfile.TrimQuotes(v)
				if v != "$TARGETPLATFORM" && v != "${TARGETPLATFORM}" {
					continue
				}
				var fix *edit.Fix
				if pos, end, ok := wordSpan(p.File, in, in, raw, false); ok {
					for end < len(p.File.Source) && (p.File.Source[end] == ' ' || p.File.Source[end] == '\t') {
						end++
					}
					fix = &edit.Fix{Message: "remove the redundant --platform flag", Edits: []edit.TextEdit{{Pos: pos, End: end}}}
				}
				p.ReportFix(in, fix, "--platform=%s is the default and can be removed", v)
			}
		}
		return nil
	},
}

// DL3024 reports stage names used twice.
var DL3024 = &Rule{
	ID:       "DL3024",
	Aliases:  []string{"DuplicateStageName"},
	Name:     "duplicate-stage-name",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "FROM aliases (stage names) must be unique.",
		Why: "COPY --from, RUN --mount=from= and --target refer to stages by name. With two " +
			"stages of the same name (compared without regard to case, as BuildKit does) those " +
			"references are ambiguous and BuildKit refuses the file.",
		Bad:  "FROM golang:1.23 AS build\nFROM node:22 AS build",
		Good: "FROM golang:1.23 AS build-api\nFROM node:22 AS build-web",
	},
	Check: func(p *Pass) error {
		seen := map[string]int{}
		for _, st := range p.File.Stages {
			if st.Name == "" {
				continue
			}
			key := strings.ToLower(st.Name)
			if line, dup := seen[key]; dup {
				p.Report(st.From, "stage name %q is already used on line %d", st.Name, line)
				continue
			}
			seen[key] = st.From.StartLine
		}
		return nil
	},
}

// DL3063 reports stage names BuildKit reserves.
var DL3063 = &Rule{
	ID:       "DL3063",
	Aliases:  []string{"ReservedStageName"},
	Name:     "reserved-stage-name",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Stage name should not be a reserved word.",
		Why: "`scratch` names the empty image and `context` the build context; a stage with " +
			"either name cannot be told apart from them, so FROM or COPY --from the name does " +
			"not do what the file suggests.",
		Bad:  "FROM golang:1.23 AS context",
		Good: "FROM golang:1.23 AS build",
	},
	Check: func(p *Pass) error {
		for _, st := range p.File.Stages {
			if strings.EqualFold(st.Name, "scratch") || strings.EqualFold(st.Name, "context") {
				p.Report(st.From, "stage name %q is reserved", st.Name)
			}
		}
		return nil
	},
}
