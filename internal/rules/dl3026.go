package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

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
