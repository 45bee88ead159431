package rules

import (
	"fmt"

	"github.com/moby/buildkit/frontend/dockerfile/linter"

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
			"($PAHT), an ARG declared only before FROM (global ARGs are not visible in a stage " +
			"until redeclared with ARG), an ARG default that reads the ARG itself (ARG X=${X}) " +
			"or a shell variable in ENV (${UID:-1000}: ENV runs no shell) silently changes paths, " +
			"users and labels. As in BuildKit, the check covers what the builder expands itself " +
			"(ENV keys and values, LABEL, ARG defaults, COPY and ADD sources, destination, " +
			"--chown, --chmod, --checksum and unquoted heredocs, WORKDIR, USER, VOLUME, STOPSIGNAL, " +
			"RUN --mount options), not shell-form commands, which the shell expands; " +
			"${NAME:-default} and the other ${NAME...} forms count as uses of NAME; PATH is always " +
			"defined; inherited ONBUILD triggers are checked at the FROM of the stage that runs " +
			"them. Where BuildKit repeats a finding for each word that uses the name (ENV A=$X " +
			"B=$X), strata reports it once. BuildKit also reads the base image's ENV from the registry; strata cannot, so " +
			"it knows a stage's variables only when its chain of FROMs starts at scratch or at " +
			"Docker Hub's alpine, debian, ubuntu or busybox, which define nothing but PATH. There " +
			"it reports exactly what BuildKit does. On another image it reports only what no image " +
			"defines or what the file evidently means to define itself: the predefined platform " +
			"ARGs (TARGETARCH...), shell parameters ($1, $@) and variables the shell sets (UID, " +
			"PPID, RANDOM...), names the file defines with ARG or ENV elsewhere (before FROM, in " +
			"another stage) and an ARG default that reads itself, unless the FROM line uses the " +
			"name or official images set it (PYTHON_VERSION, JAVA_HOME...), and names a typo away " +
			"from a variable the stage has unless they look like an image's (GOPATH is no typo of " +
			"PATH).",
		Bad:  "ARG VERSION=1.2\nFROM alpine:3.21\nCOPY app-$VERSION.tar.gz /opt/",
		Good: "ARG VERSION=1.2\nFROM alpine:3.21\nARG VERSION\nCOPY app-$VERSION.tar.gz /opt/",
	},
	Check: func(p *Pass) error {
		for _, u := range bkScopes(p).undef {
			if u.fail != "" {
				continue // DL1000's
			}
			msg := linter.RuleUndefinedVar.Format(u.name, u.suggest)
			switch {
			case isBKPlatformArg(u.name):
				msg += fmt.Sprintf(": %s is predefined only in the global scope; add `ARG %s` to the stage", u.name, u.name)
			case u.global:
				msg += fmt.Sprintf(": ARG %s is declared before FROM and is not visible in the stage; add `ARG %s` to the stage", u.name, u.name)
			case u.self:
				msg += fmt.Sprintf(": the default of ARG %s cannot read %s itself", u.name, u.name)
			}
			p.Report(u.in, "%s", msg)
		}
		return nil
	},
}
