package rules

import (
	"path"

	"github.com/stratatools/strata/internal/vocab"
)

// DL4005 reports replacing /bin/sh with a link.
var DL4005 = &Rule{
	ID:       "DL4005",
	Name:     "use-shell-instruction",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use SHELL to change the default shell.",
		Why: "Linking another shell over /bin/sh changes the shell of every program in the image " +
			"that runs /bin/sh, not only of the Dockerfile's RUN instructions, and hides the choice " +
			"in a RUN. The SHELL instruction changes the shell RUN uses, visibly.",
		Bad:  "RUN ln -sf /bin/bash /bin/sh",
		Good: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("ln") {
				ops := c.Operands()
				if len(ops) < 2 || c.HasFlag("-t", "--target-directory") {
					continue
				}
				last := ops[len(ops)-1]
				if last.Literal && path.Clean(last.Value) == "/bin/sh" {
					p.Report(r.outer, "%sUse SHELL to change the default shell", r.prefix())
					break
				}
			}
		}
		return nil
	},
}
