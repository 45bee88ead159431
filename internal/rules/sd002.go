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
			"the shellcheck program (install the shellcheck package) on each RUN in the dialect of " +
			"the SHELL in force, with the ARG and ENV names declared before it, and reports each " +
			"finding under ShellCheck's code (SC2086 ...), so ignore lists and # hadolint ignore= " +
			"comments written for hadolint keep working. When shellcheck is not installed this rule " +
			"reports once, as info, that the SC checks were skipped; ignore SD002 to switch the " +
			"integration off.",
		Bad:  "RUN echo $HOME/$name",
		Good: "RUN echo \"$HOME/$name\"",
	},
	Check: checkShellCheck,
}
