package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3004 reports sudo.
var DL3004 = &Rule{
	ID:       "DL3004",
	Name:     "no-sudo",
	Severity: vocab.Error,
	Category: vocab.Security,
	Doc: Doc{
		Summary: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root.",
		Why: "sudo is meant for interactive use: it may ask for a password, needs a TTY with some " +
			"configurations, and changes signal handling and the environment. A RUN already runs as " +
			"the USER in force; switch users with USER, or with gosu/su-exec at run time.",
		Bad:  "RUN sudo apt-get install -y curl",
		Good: "USER root\nRUN apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, sc := range r.scripts {
				if sc.UsesSudo() {
					p.Report(r.outer, "%sDo not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root", r.prefix())
					break
				}
			}
		}
		return nil
	},
}
