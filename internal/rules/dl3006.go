package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3006 reports base images without a tag or digest.
var DL3006 = &Rule{
	ID:        "DL3006",
	Name:      "untagged-base-image",
	Severity:  vocab.Warning,
	Category:  vocab.Correctness,
	Checklist: vocab.BaseImagePinned,
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
