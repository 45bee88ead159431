// Command strata makes container images small, quick to rebuild and safe
// to run. This package holds only cobra commands: flags, wiring and exit
// codes; the commands that need no engine or registry (lint, fix, rules,
// explain) are shared with strata-lint in cmd/internal/cli. All logic
// lives under internal/.
package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/stratatools/strata/cmd/internal/cli"
)

func main() { cli.Main(newRootCommand) }

// run executes the command line and returns the process exit code.
func run(ctx context.Context, a *cli.App, args []string) int {
	return cli.Run(ctx, a, newRootCommand(a), args)
}

func newRootCommand(a *cli.App) *cobra.Command {
	root := cli.NewRoot(a, "strata", "Make container images small, quick to rebuild and safe to run",
		`strata checks Dockerfiles, rewrites them into their optimized form,
reads built images to account for every byte, and measures builds on the
real Docker Engine.`, writeFixEstimate)
	root.AddCommand(
		newImageCommand(a), newDiffCommand(a), newAuditCommand(a),
		newMeasureCommand(a), newCompareCommand(a),
		newLSPCommand(a),
		newContextCommand(a), newCacheCommand(a),
		newEstimateCommand(a),
	)
	return root
}
