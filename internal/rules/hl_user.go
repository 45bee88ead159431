package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules about USER.

// finalUser returns the USER instruction in force in the image the build
// produces: the last USER of the final stage or, when it has none, of
// the stages it is built FROM. It returns nil when no USER is set.
func finalUser(f *dockerfile.File) *dockerfile.Instruction {
	st := f.FinalStage()
	if st == nil {
		return nil
	}
	for _, s := range st.Chain() {
		var last *dockerfile.Instruction
		for _, in := range s.Instructions {
			if in.Cmd == "user" {
				last = in
			}
		}
		if last != nil {
			return last
		}
	}
	return nil
}

// DL3002 reports an image whose last USER is root.
var DL3002 = &Rule{
	ID:        "DL3002",
	Name:      "last-user-root",
	Severity:  vocab.Warning,
	Category:  vocab.Security,
	Checklist: SecurityNonRoot,
	Doc: Doc{
		Summary: "Last USER should not be root.",
		Why: "A container whose process runs as root can do anything root can inside it, and a " +
			"breakout starts with full privileges. Switch to an unprivileged user once the " +
			"root-only set-up is done. Only the image the build produces counts: the last USER " +
			"of the final stage, or of the stage it is built FROM when it sets none; build " +
			"stages may stay root.",
		Bad:  "FROM debian:bookworm-slim\nUSER root\nCMD [\"app\"]",
		Good: "FROM debian:bookworm-slim\nRUN useradd --system app\nUSER app\nCMD [\"app\"]",
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

// DL3066 reports an image user given by name rather than numeric ID.
var DL3066 = &Rule{
	ID:         "DL3066",
	Name:       "non-numeric-user",
	Severity:   vocab.Info,
	Category:   vocab.Security,
	Checklist:  SecurityNonRoot,
	DefaultOff: true,
	Doc: Doc{
		Summary: "Non-numeric user ID may not be resolvable by the host system.",
		Why: "A user name is resolved inside the container through /etc/passwd; the host and the " +
			"orchestrator only see the name. Kubernetes' runAsNonRoot cannot verify a named user " +
			"and refuses to start the pod, and file ownership on volumes is decided by numbers. " +
			"Only the user of the produced image is checked, Windows images are skipped, and " +
			"values built from variables are not judged. Off by default (hadolint has it on at " +
			"info): named users are common and often intended.",
		Bad:  "RUN useradd --uid 10001 app\nUSER app",
		Good: "RUN useradd --uid 10001 app\nUSER 10001:10001",
	},
	Check: func(p *Pass) error {
		in := finalUser(p.File)
		if in == nil || isWindowsStage(p.File, in.Stage) {
			return nil
		}
		v := in.User()
		user, _, _ := strings.Cut(v, ":")
		if user == "" || dockerfile.HasVariable(user) || isDigits(user) {
			return nil
		}
		p.Report(in, "USER %s is a name: use the numeric UID (and GID) so that the host can check it", v)
		return nil
	},
}
