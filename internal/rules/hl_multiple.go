package rules

import (
	"strconv"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules about instructions of which only the last one of a stage takes
// effect: CMD, ENTRYPOINT and HEALTHCHECK.

// onlyLastCheck reports every further cmd instruction of a stage after the
// first and proposes deleting the one it overrides.
func onlyLastCheck(cmd string) func(*Pass) error {
	return func(p *Pass) error {
		for _, st := range p.File.Stages {
			var prev *dockerfile.Instruction
			for _, in := range st.Instructions {
				if in.Cmd != cmd {
					continue
				}
				if prev != nil {
					pos, end := edit.LineSpan(p.File, prev.StartLine, prev.EndLine)
					fix := &edit.Fix{
						Message: "delete the " + prev.Keyword + " on line " + strconv.Itoa(prev.StartLine) + ", which has no effect",
						Edits:   []edit.TextEdit{{Pos: pos, End: end}},
					}
					p.ReportFix(in, fix, "another %s in this stage (line %d): only the last one takes effect", in.Keyword, prev.StartLine)
				}
				prev = in
			}
		}
		return nil
	}
}

// DL3012 reports several HEALTHCHECK instructions in a stage.
var DL3012 = &Rule{
	ID:       "DL3012",
	Aliases:  []string{"MultipleInstructionsDisallowed"},
	Name:     "multiple-healthcheck",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Multiple HEALTHCHECK instructions.",
		Why: "An image has one health check: each HEALTHCHECK replaces the previous one, so all " +
			"but the last are dead code that misleads readers about how the container is probed.",
		Bad:  "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK CMD wget -q --spider http://localhost/",
		Good: "HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1",
	},
	Check: onlyLastCheck("healthcheck"),
}

// DL4003 reports several CMD instructions in a stage.
var DL4003 = &Rule{
	ID:       "DL4003",
	Aliases:  []string{"MultipleInstructionsDisallowed"},
	Name:     "multiple-cmd",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Multiple CMD instructions found: only the last one takes effect.",
		Why: "CMD sets the image's default command; a later CMD replaces an earlier one. Several " +
			"CMDs in a stage usually mean a leftover or a misunderstanding (to run several " +
			"processes, use a script or a process manager).",
		Bad:  "CMD [\"nginx\"]\nCMD [\"php-fpm\"]",
		Good: "CMD [\"/usr/local/bin/start.sh\"]",
	},
	Check: onlyLastCheck("cmd"),
}

// DL4004 reports several ENTRYPOINT instructions in a stage.
var DL4004 = &Rule{
	ID:       "DL4004",
	Aliases:  []string{"MultipleInstructionsDisallowed"},
	Name:     "multiple-entrypoint",
	Severity: vocab.Error,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Multiple ENTRYPOINT instructions found: only the last one takes effect.",
		Why: "ENTRYPOINT sets the executable the container runs; a later ENTRYPOINT replaces an " +
			"earlier one (and resets CMD), so earlier ones are dead code.",
		Bad:  "ENTRYPOINT [\"/docker-entrypoint.sh\"]\nENTRYPOINT [\"/app\"]",
		Good: "ENTRYPOINT [\"/docker-entrypoint.sh\", \"/app\"]",
	},
	Check: onlyLastCheck("entrypoint"),
}
