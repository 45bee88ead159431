package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3040 reports dnf install without dnf clean all.
var DL3040 = &Rule{
	ID:        "DL3040",
	Name:      "dnf-clean-all",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "dnf clean all missing after dnf command.",
		Why: "dnf keeps repository metadata and packages in /var/cache/dnf (microdnf in " +
			"/var/cache/yum). Left in the layer they ship in the image. Run dnf clean all (or " +
			"remove the cache directory) in the same RUN, or use a BuildKit cache mount. Build " +
			"stages nothing ships from are not reported.",
		Bad:  "RUN dnf install -y httpd-2.4.46",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
	},
	Check: func(p *Pass) error {
		// The clean command follows the manager used (dnf or microdnf).
		for _, m := range []shell.Manager{shell.Dnf, shell.Microdnf} {
			cleanCheck(cleanSpec{
				fills:   func(op *shellOp) bool { return op.Is(shell.ActionInstall, m) },
				cleaned: func(s *shell.Script) bool { return s.CleansDnfCache() },
				dirs:    []string{"/var/cache/dnf", "/var/cache/yum"},
				command: string(m) + " clean all",
				msg:     string(m) + " clean all missing after " + string(m) + " command",
			})(p)
		}
		return nil
	},
}
