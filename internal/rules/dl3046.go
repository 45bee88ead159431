package rules

import (
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3046 reports useradd with a high UID and without -l.
var DL3046 = &Rule{
	ID:       "DL3046",
	Name:     "useradd-high-uid",
	Severity: vocab.Warning,
	Category: vocab.Size,
	Doc: Doc{
		Summary: "useradd without flag -l and high UID will result in excessively large image.",
		Why: "useradd records every user in /var/log/lastlog and /var/log/faillog, sparse files " +
			"indexed by UID. Docker layers do not keep files sparse, so a UID of 100000 or more " +
			"adds gigabytes of zeros to the image. -l (--no-log-init) skips those files.",
		Bad:  "RUN useradd -u 123456 app",
		Good: "RUN useradd -l -u 123456 app",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, c := range r.find("useradd") {
				if c.HasFlag("-l", "--no-log-init") {
					continue
				}
				uid, ok := c.FlagValue("-u", "--uid")
				if !ok {
					continue
				}
				if strings.Contains(uid, "$") {
					v, unresolved := dockerfile.ExpandArgs(strings.Trim(uid, `"'`), r.vars.lookup)
					if unresolved {
						continue
					}
					uid = v
				}
				if n, err := strconv.ParseUint(strings.Trim(uid, `"' `), 10, 64); err != nil || n < 100000 {
					continue
				}
				p.Report(r.outer, "%suseradd without flag -l and high UID %s will result in excessively large image", r.prefix(), uid)
				break
			}
		}
		return nil
	},
}
