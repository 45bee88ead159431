package rules

import (
	"fmt"

	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/vocab"
)

// SD001 reports RUN scripts the shell parser could not read, so the
// user knows the shell-aware rules skipped them.
var SD001 = &Rule{
	ID:       "SD001",
	Name:     "shell-unparsed",
	Severity: vocab.Info,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "The shell in this RUN could not be parsed; shell-aware rules skipped it.",
		Why: "strata reads RUN commands with a POSIX shell parser to check package installs, " +
			"clean-ups and pipes. When the text is not valid shell (a typo, an unclosed quote) " +
			"those checks cannot run, and the build itself will likely fail.",
		Bad:  "RUN echo \"unclosed",
		Good: "RUN echo \"closed\"",
	},
	Check: func(p *Pass) error {
		if imageOf(p).Is(intent.RoleTemplate) {
			return nil // {{ }} placeholders are not shell; the rendered files are linted
		}
		for _, e := range p.ShellErrors() {
			p.ReportAt(e.Line, e.Line, 0, "%s", shellErrorMessage(e))
		}
		return nil
	},
}

func shellErrorMessage(e ShellError) string {
	return fmt.Sprintf("the shell of this RUN does not parse (%v): shell-aware rules skipped it", e.Err)
}
