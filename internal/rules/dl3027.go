package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3027 reports apt, the interactive front end, used in a RUN.
var DL3027 = &Rule{
	ID:       "DL3027",
	Name:     "no-apt",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not use apt as it is meant to be an end-user tool; use apt-get or apt-cache instead.",
		Why: "apt's command line is meant for people at a terminal: its output and behaviour may " +
			"change between releases and it warns that it has no stable CLI interface for scripts. " +
			"apt-get and apt-cache do the same work with an interface that is kept stable.",
		Bad:  "RUN apt update && apt install -y curl",
		Good: "RUN apt-get update && apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			cmds := r.find("apt")
			if len(cmds) == 0 {
				continue
			}
			// One fix replacing every apt of one script, when each has an
			// apt-get or apt-cache equivalent.
			var edits []scriptEdit
			rs := cmds[0].script
			fixable := true
			for _, c := range cmds {
				op := c.script.PackageOpsFor("", shell.Apt)
				verb := ""
				for _, o := range op {
					if o.Command == c.Command {
						verb = o.Verb
					}
				}
				tool := aptToAptGet[verb]
				w := c.NameWord
				if c.script != rs || tool == "" || !w.Literal || w.Raw != w.Value || path.Base(w.Value) != "apt" {
					fixable = false
					break
				}
				edits = append(edits, scriptEdit{pos: w.Pos.Offset, end: w.End.Offset, text: strings.TrimSuffix(w.Value, "apt") + tool})
			}
			var fix *edit.Fix
			if fixable {
				fix = scriptFix(p.File, r, rs, "use apt-get / apt-cache instead of apt", false,
					func(s *shell.Script) bool { return len(s.Find("apt")) == 0 }, edits...)
			}
			p.ReportFix(r.outer, fix, "%sDo not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead", r.prefix())
		}
		return nil
	},
}

// aptToAptGet maps apt subcommands to the stable tool that has them.
var aptToAptGet = map[string]string{
	"install": "apt-get", "update": "apt-get", "upgrade": "apt-get", "remove": "apt-get",
	"purge": "apt-get", "autoremove": "apt-get", "dist-upgrade": "apt-get", "clean": "apt-get",
	"autoclean": "apt-get", "source": "apt-get", "build-dep": "apt-get", "download": "apt-get",
	"show": "apt-cache", "search": "apt-cache", "policy": "apt-cache", "depends": "apt-cache",
	"rdepends": "apt-cache", "showsrc": "apt-cache",
}
