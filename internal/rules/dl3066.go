package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3066 reports an image user given by name rather than numeric ID.
var DL3066 = &Rule{
	ID:         "DL3066",
	Name:       "non-numeric-user",
	Severity:   vocab.Info,
	Category:   vocab.Security,
	Checklist:  vocab.SecurityNonRoot,
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
		Deviation: "hadolint reports every USER with a non-numeric user, in every stage; strata reports " +
			"the USER the produced image runs as, the only one the host and Kubernetes see.",
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
