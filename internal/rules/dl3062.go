package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3062 reports go install, go get and go run of modules without a
// version.
var DL3062 = &Rule{
	ID:       "DL3062",
	Name:     "go-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in go install: use go install <package>@<version>.",
		Why: "Without a version (or with @latest) go install fetches whatever the module's newest " +
			"release is on the day of the build, so rebuilds are not repeatable. Pin with " +
			"@vX.Y.Z or a commit. Local packages (., ./cmd/x) are built from the context and are " +
			"not reported, nor are the patterns all, std, cmd and tool (go install tool installs " +
			"the tools go.mod pins).",
		Bad:  "RUN go install golang.org/x/tools/gopls@latest",
		Good: "RUN go install golang.org/x/tools/gopls@v0.15.3",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			var loose []string
			for _, op := range r.ops("", shell.Go) {
				var pkgs []shell.Package
				switch {
				case op.Is(shell.ActionInstall) && verbIn(op, "install", "get"):
					pkgs = packagesOf(op.PackageOp, r.vars)
				case op.Verb == "run":
					// Only the first operand is the package; the rest
					// are the program's arguments.
					if len(op.Operands) > 0 {
						if pk, ok := parsePackage(shell.Go, op.Operands[0].Value); ok && op.Operands[0].Literal {
							pkgs = append(pkgs, pk)
						}
					}
				}
				for _, pk := range pkgs {
					if !goPinned(op, pk) {
						loose = append(loose, pk.Raw)
					}
				}
			}
			if len(loose) > 0 {
				p.Report(r.outer, "%sPin versions in go: use go install <package>@<version> (unpinned: %s)", r.prefix(), listNames(loose, 5))
			}
		}
		return nil
	},
}

// goPinned judges a go install/get/run operand: module@version with a
// version other than latest or none, a local path or a .go file, or one
// of the go command's package patterns (all, std, cmd and, since Go 1.24,
// tool: the tools go.mod lists, at the versions it pins).
func goPinned(_ *shellOp, pk shell.Package) bool {
	raw := pk.Raw
	if pk.Local || raw == "." || strings.HasPrefix(raw, ".") || strings.HasPrefix(raw, "/") || strings.HasSuffix(raw, ".go") {
		return true
	}
	switch raw {
	case "all", "std", "cmd", "tool":
		return true
	}
	if pk.Version == "" {
		return false
	}
	return pk.Version != "latest" && pk.Version != "none"
}
