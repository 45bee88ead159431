package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// SD102 suggests pinning the final base image by digest.
var SD102 = &Rule{
	ID:         "SD102",
	Name:       "base-image-digest",
	Severity:   vocab.Info,
	Category:   vocab.Security,
	Checklist:  vocab.BaseImagePinned,
	DefaultOff: true,
	Doc: Doc{
		Summary: "Pin the final image's base by digest (name:tag@sha256:...).",
		Why: "A tag is a moving pointer: python:3.12-slim is rebuilt for every patch release and " +
			"Debian update, so two builds of the same Dockerfile can ship different bytes. A " +
			"digest names exactly one image; keep the tag for readers and let Renovate or " +
			"Dependabot bump the digest. Untagged and :latest bases are DL3006 and DL3007. This " +
			"hint is off by default: it would fire on almost every Dockerfile, and a tag is " +
			"often the right trade-off (security fixes arrive on rebuild). Enable it for " +
			"builds that must be reproducible. Only the base of the final image is checked.",
		Bad:  "FROM python:3.12-slim",
		Good: "FROM python:3.12-slim@sha256:<digest>",
	},
	Check: func(p *Pass) error {
		chain := finalChain(p.File)
		if len(chain) == 0 {
			return nil
		}
		root := chain[0]
		b := root.Base
		if b.Unresolved || b.Scratch || root.BaseStage != nil || b.Digest != "" || b.Tag == "" || b.Tag == "latest" || dockerfile.HasVariable(root.BaseRaw) {
			return nil
		}
		p.Report(root.From, "the final base %s is pinned by tag only: add its digest (%s@sha256:...) so that every build starts from the same bytes", b.Raw, b.Raw)
		return nil
	},
}
