package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL4006 reports a RUN with a pipe and no pipefail.
var DL4006 = &Rule{
	ID:       "DL4006",
	Name:     "pipefail",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Set the SHELL option -o pipefail before RUN with a pipe in it.",
		Why: "A pipeline's status is the status of its last command: in RUN wget -O- URL | tar -x " +
			"a failed download is ignored as long as tar succeeds, and the build goes on with a " +
			"broken image. With pipefail the RUN fails when any stage fails. Set it for every RUN " +
			"with SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"], or in the RUN with set -o pipefail. " +
			"If /bin/sh is busybox (Alpine), use SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"].",
		Bad:  "RUN wget -O - https://example.com/setup | sh",
		Good: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.com/setup | sh",
		Deviation: "hadolint accepts -o pipefail only for bash, zsh and ash; strata accepts it for any " +
			"POSIX shell (SHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]): where sh has the " +
			"option (busybox, bash) it is in force, where it has not (dash before 0.5.13) every " +
			"RUN fails at once, so no pipe failure goes unnoticed. hadolint looks at SHELL only; " +
			"strata also accepts set -o pipefail in the RUN before the pipe, as hadolint's own " +
			"advice for this rule does. hadolint does not check ONBUILD RUN; strata does, since " +
			"the trigger's pipe masks failures in the downstream build just the same.",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			if shell.ShellHasPipefail(r.shell) {
				continue
			}
			for _, sc := range r.scripts {
				if sc.HasPipes() && !sc.HasPipefail() {
					p.Report(r.outer, "%sSet the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check", r.prefix())
					break
				}
			}
		}
		return nil
	},
}
