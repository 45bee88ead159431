package rules

import "github.com/stratatools/strata/internal/vocab"

// DL3047 reports wget without a progress setting.
var DL3047 = &Rule{
	ID:       "DL3047",
	Name:     "wget-progress",
	Severity: vocab.Info,
	Category: vocab.Performance,
	Doc: Doc{
		Summary: "Avoid use of wget without progress bar. Use wget --progress=dot:giga <url>. Or consider using -q or -nv (shorthands for --quiet or --no-verbose).",
		Why: "Without a terminal wget prints its progress as dots, a line every few kilobytes: " +
			"downloading a large file fills the build log with megabytes of dots. " +
			"--progress=dot:giga, -q or -nv keep the log readable.",
		Bad:  "RUN wget https://example.com/big.tar.gz",
		Good: "RUN wget --progress=dot:giga https://example.com/big.tar.gz",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("wget") {
				if c.HasFlag("--progress", "-q", "--quiet", "-nv", "--no-verbose", "-o", "--output-file", "-a", "--append-output") {
					continue
				}
				p.Report(r.outer, "%sAvoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)", r.prefix())
				break
			}
		}
		return nil
	},
}
