package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

var userRules = []*Rule{DL3002}

// DL3002 reports a final stage whose last USER is root.
var DL3002 = &Rule{
	ID:        "DL3002",
	Name:      "last-user-root",
	Severity:  Warning,
	Category:  Security,
	Checklist: SecurityNonRoot,
	Doc: Doc{
		Summary: "Last USER should not be root.",
		Why: "A container whose process runs as root can do anything root can inside it, and a " +
			"breakout starts with full privileges. Switch to an unprivileged user once the " +
			"root-only set-up is done.",
		Bad:  "FROM debian:bookworm-slim\nUSER root\nCMD [\"app\"]",
		Good: "FROM debian:bookworm-slim\nRUN useradd --system app\nUSER app\nCMD [\"app\"]",
	},
	Check: func(p *Pass) {
		st := p.File.FinalStage()
		if st == nil {
			return
		}
		var last *dockerfile.Instruction
		for _, in := range st.Instructions {
			if in.Cmd == "user" {
				last = in
			}
		}
		if last != nil && IsRootUser(strings.Join(last.Args, " ")) {
			p.Report(last, "last USER of the final stage is %s: switch to an unprivileged user", strings.Join(last.Args, " "))
		}
	},
}

// IsRootUser reports whether a USER value names root ("root", "0",
// "root:root", "0:0").
func IsRootUser(v string) bool {
	user, _, _ := strings.Cut(strings.TrimSpace(v), ":")
	return user == "root" || user == "0"
}
