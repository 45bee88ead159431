// Command strata-lint is strata's lint and fix alone: the same commands,
// flags, output and exit codes as "strata lint", "strata fix", "strata
// rules" and "strata explain", in a binary without the Docker Engine,
// BuildKit and registry clients, which starts in half the time.
// It is for what runs the linter once per file or per commit: editors
// that call a linter on each save, pre-commit hooks, CI steps that only
// lint. Everything else is in strata.
package main

import (
	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
)

func main() { cli.Main(newRootCommand) }

func newRootCommand(a *cli.App) *cobra.Command {
	return cli.NewRoot(a, "strata-lint", "Check and fix Dockerfiles (strata's lint and fix alone)",
		`strata-lint checks Dockerfiles with hadolint's DL rules, BuildKit's build
checks, ShellCheck and strata's optimization checklist, and rewrites them
into their optimized form: strata's lint, fix, rules and explain commands,
the same in every flag, output and exit status, in a binary that starts in
half of strata's time. The other commands (image, measure, estimate...)
are in strata.`, nil)
}
