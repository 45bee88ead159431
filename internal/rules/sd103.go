package rules

import (
	"fmt"

	"github.com/stratatools/strata/internal/eol"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/vocab"
)

// SD103 reports a final image built on a base past its end of life.
var SD103 = &Rule{
	ID:       "SD103",
	Name:     "eol-base-image",
	Severity: vocab.Warning,
	Category: vocab.Security,
	Doc: Doc{
		Summary: "The final image is built on a base image past its end of life.",
		Why: "A release out of support gets no security fixes: its packages (or its language " +
			"runtime) keep every vulnerability found since, and the image is frozen at its last " +
			"build. The rule knows the end-of-life dates of Debian (end of LTS), Ubuntu LTS " +
			"(end of standard support), Alpine, Python, Node.js, Go and the deprecated openjdk " +
			"image, from a table of published dates with the day they were checked " +
			"(internal/eol); a tag the table cannot place (latest, stable, lts, an unknown " +
			"release, another registry's image) is not judged. A supported release on an " +
			"out-of-support variant (python:3.11-slim-buster) is reported too. Only the base of " +
			"the final image is checked. The unsafe fix moves to the supported successor of the " +
			"same family: the oldest newer release with at least six months of support left (for " +
			"Go, the newest; for openjdk, eclipse-temurin of the same Java version), keeping " +
			"the variant; it is declined when the build may not work on the new release: apt " +
			"sources, keys or PPAs, pinned packages, a package strata does not know to keep its " +
			"name in the new release, pip into a Python that refuses it, pinned Python " +
			"packages, a Node.js move across several majors or against package.json's engines.",
		Bad:  "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
		Good: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
	},
	Check: func(p *Pass) error {
		chain := finalChain(p.File)
		if len(chain) == 0 {
			return nil
		}
		root := chain[0]
		if root.BaseStage != nil || isWindowsStage(p.File, p.File.FinalStage()) {
			return nil
		}
		b, ok := eol.Lookup(root.Base)
		if !ok {
			return nil
		}
		today := p.Settings.today()
		mv := plan.BaseMove{From: root.BaseRaw, Distribution: b.Family.Kind == eol.Distribution,
			Names: []string{b.Release.Version, b.Release.Codename}}
		if b.Family.Kind == eol.Language && b.Family.Deprecated == "" {
			mv.Language = b.Family.Name
		}
		var what string
		switch {
		case b.Ended(today):
			what = b.Describe()
			to, rel, ok := b.Successor(today)
			if ok {
				mv.To = to
				mv.Why = fmt.Sprintf("%s; %s", what, supportedUntil(b, rel))
				if b.Family.Name == "node" {
					mv.MajorJump = majorOf(rel.Version) - majorOf(b.Release.Version)
				}
			}
		default:
			v, rel, ended := b.VariantEnded(today)
			if !ended {
				return nil
			}
			what = fmt.Sprintf("its variant is built on %s, whose support ended on %s", v, rel.EOL)
			mv.To = b.Renamed(today)
			mv.Distribution, mv.Language = true, ""
			mv.Names = []string{rel.Version, rel.Codename}
			mv.Why = what + "; " + mv.To + " is built on a supported release"
		}
		mv.ExternallyManaged = mv.Distribution && mv.To != "" && eol.ExternallyManaged(mv.To) && !eol.ExternallyManaged(mv.From)
		advice := "move to a supported release of the same family"
		var fix = plan.MoveBase(planInput{p}, root, mv)
		if mv.To != "" {
			advice = "move to " + mv.To
		} else {
			fix = nil
		}
		p.ReportFix(root.From, fix, "the final image is built on %s, past its end of life (%s): its packages get no security fixes; %s", root.BaseRaw, what, advice)
		return nil
	},
}

// supportedUntil says how long the successor rel is supported.
func supportedUntil(b eol.Base, rel eol.Release) string {
	if b.Family.Deprecated != "" {
		return "its successor, of the same Java version, is maintained"
	}
	if rel.EOL == "" {
		return "the newer release is supported"
	}
	return fmt.Sprintf("the newer release is supported until %s", rel.EOL)
}

// majorOf returns the number a version starts with.
func majorOf(v string) int {
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
