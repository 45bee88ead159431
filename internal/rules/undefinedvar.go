package rules

import (
	"fmt"

	"github.com/stratatools/strata/internal/vocab"
)

// UndefinedVar reports variables used before any ARG or ENV defines them.
var UndefinedVar = &Rule{
	ID:       "UndefinedVar",
	Name:     "undefined-var",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Variables should be defined with ARG or ENV before they are used.",
		Why: "An undefined variable expands to an empty string without any error, so a typo " +
			"($PAHT) or an ARG declared only before FROM (global ARGs are not visible in a " +
			"stage until redeclared with ARG) silently changes paths, users and labels. Like " +
			"BuildKit, the check covers what the builder expands itself (ENV, LABEL, ARG " +
			"defaults, COPY, ADD, WORKDIR, USER, VOLUME, STOPSIGNAL, RUN --mount options, " +
			"COPY/ADD heredocs), not shell-form commands, which the shell expands. BuildKit also " +
			"knows the base image's environment; strata does not, so for a stage built on a " +
			"registry image it reports only names that cannot come from it: predefined ARGs " +
			"(TARGETARCH...) and global ARGs the stage does not redeclare (except those the " +
			"FROM line uses, or named like variables official images set), and names a typo " +
			"away from a variable the stage has (except names shaped like image variables: " +
			"*_VERSION, *_HOME, *PATH...). Stages built on scratch are checked fully. As in " +
			"BuildKit, ${NAME:-default} and the other ${NAME...} forms count as uses of NAME.",
		Bad:  "ARG VERSION=1.2\nFROM alpine:3.20\nCOPY app-$VERSION.tar.gz /opt/",
		Good: "ARG VERSION=1.2\nFROM alpine:3.20\nARG VERSION\nCOPY app-$VERSION.tar.gz /opt/",
	},
	Check: func(p *Pass) error {
		for _, u := range Memo(p, bkUndefinedKey, func() []bkUndef { return bkStageScopes(p.File, nil) }) {
			msg := fmt.Sprintf("Usage of undefined variable '$%s'", u.name)
			if u.suggest != "" {
				msg += fmt.Sprintf(" (did you mean $%s?)", u.suggest)
			}
			switch {
			case isBKPlatformArg(u.name):
				msg += fmt.Sprintf(": %s is predefined only in the global scope; add `ARG %s` to the stage", u.name, u.name)
			case u.global:
				msg += fmt.Sprintf(": ARG %s is declared before FROM and is not visible in the stage; add `ARG %s` to the stage", u.name, u.name)
			}
			p.Report(u.in, "%s", msg)
		}
		return nil
	},
}
