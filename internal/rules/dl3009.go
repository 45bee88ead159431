package rules

import (
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3009 reports apt-get update without deleting the package lists in a
// stage that ships.
var DL3009 = &Rule{
	ID:        "DL3009",
	Name:      "apt-lists-not-deleted",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "Delete the apt-get lists after installing something.",
		Why: "apt-get update downloads package lists into /var/lib/apt/lists (tens of megabytes). " +
			"Left in the layer they ship in the image for nothing, and they go stale anyway. Remove " +
			"them in the same RUN (rm -rf /var/lib/apt/lists/*) or keep them out of the layer with " +
			"a BuildKit cache mount. Build stages that no shipped image is made from are not " +
			"reported: their files are thrown away.",
		Bad:  "RUN apt-get update && apt-get install -y --no-install-recommends curl",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*",
		Deviation: "hadolint wants the clean-up even with a cache mount on /var/lib/apt alone; strata " +
			"accepts it, since /var/lib/apt/lists then lives in the cache and never reaches the " +
			"layer. Like hadolint, strata reports only stages that ship (the final stage, a stage " +
			"a later FROM builds on) and the instructions before the first FROM when the file has " +
			"no FROM.",
	},
	Check: func(p *Pass) error {
		runs := shellRuns(p)
		for i, r := range runs {
			if !r.ships(p.File) || r.hasCacheMountAbove("/var/lib/apt/lists") {
				continue
			}
			for _, sc := range r.scripts {
				if len(sc.PackageOpsFor(shell.ActionUpdate, shell.AptGet, shell.Apt)) == 0 || sc.CleansAptLists() {
					continue
				}
				const rm = "rm -rf /var/lib/apt/lists/*"
				var fix *edit.Fix
				// A later RUN that deletes the lists is SD402's to move
				// here; appending another rm would leave it behind.
				if e, ok := appendCommand(sc, rm); ok && !laterRemovesAptLists(runs, i) {
					if laterAptNeedsLists(runs, i) {
						// Deleting the lists would break the later
						// install: it joins this one, or no fix.
						fix = plan.JoinLaterInstalls(planInput{p}, r.outer, rm)
					} else {
						fix = scriptFix(p.File, r, sc, "delete the apt lists at the end of the RUN", false,
							func(s *shell.Script) bool { return s.CleansAptLists() }, e)
					}
				}
				p.ReportFix(r.outer, fix, "%sDelete the apt-get lists after installing something: add %q at the end of this RUN", r.prefix(), rm)
				break
			}
		}
		return nil
	},
}

// laterAptNeedsLists reports whether a RUN after runs[i] in the same
// stage, or in a stage built on it, installs with apt without running
// apt-get update first: deleting the lists would break it.
// laterRemovesAptLists reports whether a later RUN of the same stage
// deletes the apt lists before any RUN runs apt again.
func laterRemovesAptLists(runs []shRun, i int) bool {
	cur := runs[i]
	for _, r := range runs[i+1:] {
		if r.stage != cur.stage || r.onbuild != cur.onbuild {
			continue
		}
		for _, sc := range r.scripts {
			for _, op := range sc.PackageOps() {
				if op.Manager == shell.AptGet || op.Manager == shell.Apt || op.Manager == shell.Aptitude {
					return false
				}
			}
			if sc.RemovesPath("/var/lib/apt/lists/*", nil) {
				return true
			}
		}
	}
	return false
}

func laterAptNeedsLists(runs []shRun, i int) bool {
	cur := runs[i]
	for n, r := range runs[i+1:] {
		if n >= 256 {
			return true // too far to tell: call the fix unsafe
		}
		if r.onbuild != cur.onbuild {
			continue
		}
		related := false
		for _, s := range r.stage.Chain() {
			if s == cur.stage {
				related = true
			}
		}
		if !related {
			continue
		}
		for _, sc := range r.scripts {
			for _, op := range sc.PackageOps() {
				if op.Manager != shell.AptGet && op.Manager != shell.Apt && op.Manager != shell.Aptitude {
					continue
				}
				switch op.Action {
				case shell.ActionUpdate:
					return false
				case shell.ActionInstall, shell.ActionUpgrade, shell.ActionDownload:
					return true
				}
			}
		}
	}
	return false
}
