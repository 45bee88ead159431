package plan

import (
	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Node.js applications: what npm -g installs goes to the runtime stage
// with the application, the package manager the command runs stays, and
// a build that installs the dependencies prunes the dev dependencies
// before they are copied.

// isNodeCommand reports whether the program base runs JavaScript: node
// or a package manager's script runner.
func isNodeCommand(base string) bool {
	return base == "node" || base == "nodejs" || base == "npm" || base == "yarn" || base == "yarnpkg"
}

// nodeKeptTools marks the package manager the command runs (npm, yarn)
// as kept in the runtime stage.
func nodeKeptTools(base string, keep map[string]bool) {
	if base == "npm" {
		keep["npm"] = true
	}
	if base == "yarn" || base == "yarnpkg" {
		keep["yarnpkg"] = true
	}
}

// npmGlobalInstall reports whether op installs packages globally with npm
// or yarn (into /usr/local).
func npmGlobalInstall(op *shell.PackageOp) bool {
	return (op.Manager == shell.Npm || op.Manager == shell.Yarn) && op.Action == shell.ActionInstall && op.HasFlag("-g", "--global")
}

// npmInstallsDependencies reports whether op installs a project's
// dependencies with npm, dev dependencies included.
func npmInstallsDependencies(op *shell.PackageOp) bool {
	return op.Manager == shell.Npm && op.Action == shell.ActionInstall && len(op.Packages) == 0 && !op.HasFlag("--omit", "--production", "--only")
}

// nodePrune returns the command that drops the dev dependencies installed
// in dir, and the RUN of st it follows (the last).
func nodePrune(st *dockerfile.Stage, dir string) (*dockerfile.Instruction, string) {
	after := lastOf(st, "run")
	prune := "npm prune --omit=dev"
	if after.Workdir() != dir {
		prune = "cd " + dir + " && npm prune --omit=dev"
	}
	return after, prune
}
