package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3008 reports apt-get install of packages without a version.
var DL3008 = &Rule{
	ID:       "DL3008",
	Name:     "apt-get-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in apt-get install.",
		Why: "Without a version, apt-get installs whatever the archive holds on the day of the " +
			"build, so two builds of the same Dockerfile can differ and a rebuild can break. Pinning " +
			"(package=version) makes the build repeatable and changes to it deliberate. A target " +
			"release (package/bookworm-backports) and local .deb files count as pinned.",
		Bad:  "RUN apt-get update && apt-get install -y --no-install-recommends curl",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			vars := r.vars
			var loose []string
			for _, op := range aptGetInstalls(r) {
				for _, pk := range packagesOf(op.PackageOp, vars) {
					if pk.Version == "" && pk.Release == "" && !pk.Local && !pk.URL {
						loose = append(loose, pk.Raw)
					}
				}
			}
			if len(loose) > 0 {
				p.Report(r.outer, "%sPin versions in apt-get install: %s; use apt-get install <package>=<version>",
					r.prefix(), listNames(loose, 5))
			}
		}
		return nil
	},
}
