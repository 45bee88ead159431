package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3007 reports base images tagged latest.
var DL3007 = &Rule{
	ID:        "DL3007",
	Name:      "latest-base-image",
	Severity:  vocab.Warning,
	Category:  vocab.Correctness,
	Checklist: vocab.BaseImagePinned,
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
