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
