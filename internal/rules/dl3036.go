package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3036 reports zypper install without zypper clean.
var DL3036 = &Rule{
	ID:        "DL3036",
	Name:      "zypper-clean",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "zypper clean missing after zypper use.",
		Why: "zypper keeps repository metadata and packages in /var/cache/zypp. Left in the layer " +
			"they ship in the image. Run zypper clean (or remove /var/cache/zypp) in the same RUN, " +
			"or use a BuildKit cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN zypper install -y httpd=2.4.46",
		Good: "RUN zypper install -y httpd=2.4.46 && zypper clean",
		Deviation: "hadolint reports every stage; strata leaves out build stages nothing ships from " +
			"(only read by COPY --from), whose cache never reaches an image, and the instructions " +
			"before the first FROM unless the file has no FROM at all.",
	},
	Check: cleanCheck(cleanSpec{
		fills: isZypperInstall,
		cleaned: func(s *shell.Script) bool {
			return s.Cleans(shell.CacheZypper, s.LastFill(shell.CacheZypper))
		},
		dirs:    []string{"/var/cache/zypp"},
		command: "zypper clean",
		msg:     "zypper clean missing after zypper use",
	}),
}
