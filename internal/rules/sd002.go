package rules

import "github.com/stratatools/strata/internal/vocab"

// SD002 runs ShellCheck on RUN scripts.
var SD002 = &Rule{
	ID:       "SD002",
	Name:     "shellcheck",
	Severity: vocab.Info,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Run ShellCheck on the RUN scripts and report its findings as SCxxxx rules.",
		Why: "ShellCheck finds the classic shell mistakes in RUN commands: unquoted variables that " +
			"split, commands whose failure is ignored, bash-only syntax under /bin/sh. strata runs " +
			"the shellcheck program (install the shellcheck package) on each RUN as hadolint does: " +
			"in the dialect of the SHELL in force (or of a heredoc's #! line, or of a " +
			"\"# hadolint shell=NAME\" comment; PowerShell and cmd are not checked), with BuildKit's " +
			"proxy variables and the ARG and ENV names declared before it exported first, and " +
			"without SC1090, SC1091 and SC2187, which a Dockerfile cannot act on. Each finding is " +
			"reported under ShellCheck's code (SC2086 ...) at its exact line and column, so ignore " +
			"lists and # hadolint ignore= comments written for hadolint keep working. Where strata " +
			"differs from hadolint, on purpose: an ONBUILD RUN is checked in the SHELL in force " +
			"with the ENV names (which the images built on this one keep) and without SC2154 " +
			"(their own ARGs are unknown here), where hadolint uses sh and no names; the RUNs of " +
			"a Windows image without SHELL (cmd), under zsh or fish (SC1071 in hadolint: ShellCheck " +
			"cannot read them) and those whose shell does not parse (SD001 says so) are not " +
			"checked. When shellcheck is not installed this rule reports once per run (on the first file with a RUN), as info, that the " +
			"SC checks were skipped; ignore SD002 to switch the integration off.",
		Bad:  "RUN echo $HOME/$name",
		Good: "RUN echo \"$HOME/$name\"",
	},
	Check: checkShellCheck,
	Early: true,
}

// shellcheckMissing is SD002's notice when the shellcheck program is not
// installed.
const shellcheckMissing = "shellcheck is not installed: the ShellCheck (SC) checks of the RUN scripts were skipped (install the shellcheck package)"

// PerRun reports whether a finding describes the lint run rather than the
// file it was found in (shellcheck is not installed): a run over many
// files reports it once, on the first file that has it.
func PerRun(rule, message string) bool {
	return rule == SD002.ID && message == shellcheckMissing
}
