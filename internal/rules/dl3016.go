package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3016 reports npm install of packages without a version.
var DL3016 = &Rule{
	ID:       "DL3016",
	Name:     "npm-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in npm: use npm install <package>@<version>.",
		Why: "Without a version npm installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable. Pin with @version, or install the project's locked " +
			"dependencies (npm ci, or npm install without package names).",
		Bad:  "RUN npm install -g typescript",
		Good: "RUN npm install -g typescript@5.4.5",
	},
	Check: pinCheck(npmInstall, npmPinned, "Pin versions in npm: use npm install <package>@<version>"),
}

// npmInstall selects npm install (and its aliases i and add).
func npmInstall(op *shellOp) bool {
	return op.Is(shell.ActionInstall, shell.Npm) && verbIn(op, "install", "i", "add")
}

// npmPinned judges an npm install operand: name@version (a tag counts,
// as in hadolint), a local folder or tarball, or a git URL or shorthand
// with a #commit or #semver: reference.
func npmPinned(_ *shellOp, pk shell.Package) bool {
	if pk.Version != "" || pk.Local {
		return true
	}
	if pk.URL {
		return strings.Contains(pk.Raw, "#") || hasSuffixAny(pk.Raw, ".tgz", ".tar.gz", ".tar")
	}
	return false
}

func hasSuffixAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
