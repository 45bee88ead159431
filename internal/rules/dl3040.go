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
			"remove the cache directory) in the same RUN, after the install and with the tool " +
			"that installed (microdnf clean all does not empty dnf's cache), or use a BuildKit " +
			"cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN dnf install -y httpd-2.4.46",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
		Deviation: "hadolint accepts any dnf clean (dnf clean metadata, dnf clean packages) and any rm " +
			"-rf in the RUN; strata wants dnf clean all or the removal of the cache directory, " +
			"because the other clean forms leave the solver cache or the repository metadata, the " +
			"bulk of the cache, in the layer. hadolint reports every stage; strata leaves out " +
			"build stages nothing ships from (only read by COPY --from), whose cache never " +
			"reaches an image, and the instructions before the first FROM unless the file has no " +
			"FROM at all.",
	},
	Check: func(p *Pass) error {
		// Each tool needs its own clean: dnf keeps its cache in
		// /var/cache/dnf, microdnf in /var/cache/yum.
		for _, m := range []shell.Manager{shell.Dnf, shell.Microdnf} {
			cleanCheck(cleanSpec{
				fills:   func(op *shellOp) bool { return op.Is(shell.ActionInstall, m) },
				cleaned: func(s *shell.Script) bool { return dnfCleaned(s, m) },
				dirs:    []string{"/var/cache/dnf", "/var/cache/yum"},
				command: string(m) + " clean all",
				msg:     string(m) + " clean all missing after " + string(m) + " command",
			})(p)
		}
		return nil
	},
}

// dnfCleaned reports whether the script empties the cache of m (dnf or
// microdnf) after the last command of m that fills it: "m clean all" (a
// clean by the other tool does not count), or the removal of
// /var/cache/dnf or /var/cache/yum.
func dnfCleaned(s *shell.Script, m shell.Manager) bool {
	var last *shell.Command
	for _, op := range s.PackageOps() {
		if !op.NoCache() && (op.Is(shell.ActionInstall, m) || op.Is(shell.ActionUpdate, m) || op.Is(shell.ActionUpgrade, m)) {
			last = op.Command
		}
	}
	for _, op := range s.PackageOps() {
		if !op.Is(shell.ActionClean, m) || op.Verb != "clean" || (last != nil && op.Command.Pos.Offset <= last.Pos.Offset) {
			continue
		}
		for _, w := range op.Operands {
			if w.Value == "all" {
				return true
			}
		}
	}
	return s.RemovesPath("/var/cache/dnf/*", last) || s.RemovesPath("/var/cache/yum/*", last)
}
