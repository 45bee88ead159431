package rules

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3002 reports an image whose last USER is root.
var DL3002 = &Rule{
	ID:        "DL3002",
	Name:      "last-user-root",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: vocab.SecurityNonRoot,
	Doc: Doc{
		Summary: "Last USER should not be root.",
		Why: "A container whose process runs as root can do anything root can inside it, and a " +
			"breakout starts with full privileges. Switch to an unprivileged user once the " +
			"root-only set-up is done. Only the image the build produces counts: the last USER " +
			"of the final stage, or of the stage it is built FROM when it sets none; build " +
			"stages may stay root.",
		Bad:  "FROM debian:bookworm-slim\nUSER root\nCMD [\"app\"]",
		Good: "FROM debian:bookworm-slim\nRUN useradd --system app\nUSER app\nCMD [\"app\"]",
		Deviation: "hadolint reports every stage whose last USER is root, build stages included; strata " +
			"judges the user of the image the build produces (the final stage and the stages it " +
			"is built FROM): a build stage is never run as a container, and root there is often " +
			"needed.",
	},
	Check: func(p *Pass) error {
		in := finalUser(p.File)
		if in == nil || !dockerfile.IsRootUser(in.User()) {
			return nil
		}
		if in.Stage != p.File.FinalStage() {
			p.Report(in, "USER %s is the last USER of the image (inherited by the final stage): switch to an unprivileged user", in.User())
			return nil
		}
		p.Report(in, "last USER of the final stage is %s: switch to an unprivileged user", in.User())
		return nil
	},
}
