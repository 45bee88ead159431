package rules

import (
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3032 reports yum install without yum clean all.
var DL3032 = &Rule{
	ID:        "DL3032",
	Name:      "yum-clean-all",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "yum clean all missing after yum command.",
		Why: "yum keeps repository metadata and downloaded packages in /var/cache/yum. Left in the " +
			"layer they ship in the image. Run yum clean all (or remove /var/cache/yum) in the same " +
			"RUN, or use a BuildKit cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN yum install -y httpd-2.4.6",
		Good: "RUN yum install -y httpd-2.4.6 && yum clean all",
		Deviation: "hadolint reports every stage; strata leaves out build stages nothing ships from " +
			"(only read by COPY --from), whose cache never reaches an image, and the instructions " +
			"before the first FROM unless the file has no FROM at all.",
	},
	Check: cleanCheck(cleanSpec{
		fills:   isYumInstall,
		cleaned: yumCleaned,
		dirs:    []string{"/var/cache/yum", "/var/cache/dnf"},
		command: "yum clean all",
		msg:     "yum clean all missing after yum command",
	}),
}

// yumCleaned reports whether the yum cache is emptied after the last yum
// install (yum clean all, or removing /var/cache/yum or /var/cache/dnf:
// on current distributions yum is dnf).
func yumCleaned(s *shell.Script) bool {
	last := s.LastFill(shell.CacheYum)
	return s.Cleans(shell.CacheYum, last) || s.RemovesPath("/var/cache/dnf/*", last)
}
