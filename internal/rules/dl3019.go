package rules

import (
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3019 reports apk add that keeps its cache.
var DL3019 = &Rule{
	ID:        "DL3019",
	Name:      "apk-no-cache",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/* when done installing packages.",
		Why: "apk add stores the repository indexes in /var/cache/apk; left in the layer they ship " +
			"in the image. --no-cache fetches fresh indexes and keeps nothing. Removing the cache " +
			"in the same RUN, a BuildKit cache mount on /var/cache/apk, or a build stage nothing " +
			"ships from also avoid the waste and are not reported.",
		Bad:  "RUN apk update && apk add curl=8.5.0-r0",
		Good: "RUN apk add --no-cache curl=8.5.0-r0",
		Deviation: "hadolint accepts only --no-cache or a cache mount on /var/cache/apk; strata also " +
			"accepts removing /var/cache/apk in the same RUN, which leaves nothing behind either. " +
			"hadolint reports every stage; strata leaves out build stages nothing ships from " +
			"(only read by COPY --from), whose cache never reaches an image, and the instructions " +
			"before the first FROM unless the file has no FROM at all.",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			if !r.ships(p.File) || r.hasCacheMountAbove("/var/cache/apk") || r.hasCacheMountAbove("/etc/apk/cache") {
				continue
			}
			found := false
			var rs *edit.Script
			var edits []scriptEdit
			for _, op := range r.ops(shell.ActionInstall, shell.Apk) {
				if op.NoCache() || op.script.CleansApkCache() {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " --no-cache"))
				}
			}
			if !found {
				continue
			}
			var fix *edit.Fix
			if rs != nil {
				fix = scriptFix(p.File, r, rs, "add --no-cache to apk add", false, func(s *shell.Script) bool {
					for _, op := range s.PackageOpsFor(shell.ActionInstall, shell.Apk) {
						if !op.NoCache() {
							return false
						}
					}
					return true
				}, edits...)
			}
			p.ReportFix(r.outer, fix, "%sUse the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/* when done installing packages", r.prefix())
		}
		return nil
	},
}
