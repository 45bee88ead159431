package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3013 reports pip install of packages without a version.
var DL3013 = &Rule{
	ID:       "DL3013",
	Name:     "pip-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in pip: use pip install <package>==<version> or pip install --requirement <file>.",
		Why: "Without a version pip installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable and can break. Pin with a version specifier, or install " +
			"from a requirements or constraints file. Local paths, archives and VCS URLs with a " +
			"revision count as pinned.",
		Bad:  "RUN pip install --no-cache-dir flask",
		Good: "RUN pip install --no-cache-dir flask==3.0.3",
	},
	Check: pinCheck(pipInstall, pipPinned,
		"Pin versions in pip: use pip install <package>==<version> or pip install --requirement <requirements file>"),
}

// vcsSchemes are the pip VCS URL prefixes (vcs+protocol://).
var vcsSchemes = []string{"git+", "hg+", "svn+", "bzr+", "git://", "svn://"}

// pipInstall selects pip install invocations that name packages to
// resolve: installs from requirement or constraint files and of the
// current project are left alone, as in hadolint.
func pipInstall(op *shellOp) bool {
	if !op.Is(shell.ActionInstall, shell.Pip) || op.Verb != "install" {
		return false
	}
	if op.HasFlag("-r", "--requirement", "-c", "--constraint") {
		return false
	}
	for _, w := range op.Operands {
		if w.Value == "." {
			return false
		}
	}
	return true
}

// pipPinned judges a pip install operand: a version specifier, a local
// file or directory, a direct reference (name @ url), a plain URL, or a
// VCS URL with a revision (git+https://host/repo@v1.2).
func pipPinned(_ *shellOp, pk shell.Package) bool {
	if pk.Version != "" || pk.Local {
		return true
	}
	raw := pk.Raw
	isVCS := false
	for _, s := range vcsSchemes {
		isVCS = isVCS || strings.HasPrefix(raw, s)
	}
	if !isVCS {
		return pk.URL || strings.Contains(raw, "/")
	}
	// Look for @revision in the path: after the host (and any user@).
	rest := raw
	if _, after, ok := strings.Cut(raw, "://"); ok {
		rest = after
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[i:]
	}
	rest, _, _ = strings.Cut(rest, "#")
	return strings.Contains(rest, "@")
}
