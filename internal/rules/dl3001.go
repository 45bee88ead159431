package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/vocab"
)

// DL3001 reports commands that make no sense in a container build.
var DL3001 = &Rule{
	ID:       "DL3001",
	Name:     "pointless-command",
	Severity: vocab.Info,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig.",
		Why: "A RUN executes once, at build time, in a throw-away container with no init system " +
			"and no terminal. Interactive programs (vim, top, ssh) cannot be used, services started " +
			"with service do not survive the RUN, and inspecting or killing processes or mounting " +
			"file systems does nothing for the image.",
		Bad:  "RUN service nginx start",
		Good: "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			cmds := r.find(pointlessCommands...)
			if len(cmds) == 0 {
				continue
			}
			var names []string
			seen := map[string]bool{}
			for _, c := range cmds {
				if b := c.Base(); !seen[b] {
					seen[b] = true
					names = append(names, b)
				}
			}
			p.Report(r.outer, "%s%s makes no sense in a Docker build: a RUN has no running system, services or terminal",
				r.prefix(), strings.Join(names, ", "))
		}
		return nil
	},
}

// pointlessCommands are programs that make no sense in a RUN: they manage
// a running system, or are interactive.
var pointlessCommands = []string{"free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"}
