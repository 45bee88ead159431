package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD201 reports a package index update in a RUN of its own.
var SD201 = &Rule{
	ID:        "SD201",
	Name:      "lone-index-update",
	Severity:  vocab.Warning,
	Category:  vocab.Cache,
	Checklist: vocab.LayersMinimalRun,
	Doc: Doc{
		Summary: "A package index update (apt-get update, apk update, ...) runs in a RUN of its own.",
		Why: "The build cache keys a RUN on its text. When `apt-get update` is a layer of its " +
			"own, it is cached once and reused for ever: the next time the install line below " +
			"changes, the install runs against the old cached index and fails or installs " +
			"stale versions. Update and install belong in the same RUN, and the index should be " +
			"removed in that RUN too. For apk, `apk add --no-cache` fetches a fresh index " +
			"itself, so a separate `apk update` is never needed. An update that shares its RUN with " +
			"a removal is not lone (the lists it leaves are DL3009's). The fix joins the update to " +
			"the install RUN that follows it directly.",
		Bad:  "RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*",
	},
	Check: func(p *Pass) error {
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			for i, it := range seq {
				if it.in.Cmd != "run" || !own(it) {
					continue
				}
				ops := opsOf(p, it.outer)
				for _, up := range ops {
					if up.Action != shell.ActionUpdate || !isSystemManager(up.Manager) {
						continue
					}
					fam := managerFamily(up.Manager)
					if installsAfter(ops, up, fam) || removesOnly(ops, up, fam) {
						continue
					}
					next, nextOp := nextInstall(p, sdStageRest(seq, i), fam)
					name := up.Program + " " + up.Verb
					var fix *edit.Fix
					if nextOp != nil {
						fix = joinUpdateFix(p, it, next, up)
					}
					switch {
					case up.Manager == shell.Apk:
						p.ReportFix(it.outer, fix, "%s%s runs in a RUN of its own and stores the index in this layer: drop it and use apk add --no-cache, which fetches a fresh index", triggerPrefix(it.in, it.outer), name)
					case nextOp != nil:
						p.ReportFix(it.outer, fix, "%s%s runs in a RUN of its own: the install on line %d (%s) reuses this cached layer and its stale index when it changes; update and install in the same RUN", triggerPrefix(it.in, it.outer), name, next.outer.StartLine, nextOp.Program+" "+nextOp.Verb)
					default:
						p.Report(it.outer, "%s%s runs in a RUN of its own: it only stores a package index in the image; update and install in the same RUN", triggerPrefix(it.in, it.outer), name)
					}
					break
				}
			}
		})
		return nil
	},
}

// installsAfter reports whether ops install or upgrade packages of the
// family after the update op.
func installsAfter(ops []*shell.PackageOp, up *shell.PackageOp, fam string) bool {
	seen := false
	for _, op := range ops {
		if op == up {
			seen = true
			continue
		}
		if seen && managerFamily(op.Manager) == fam && (op.Action == shell.ActionInstall || op.Action == shell.ActionUpgrade || op.Action == shell.ActionDownload) {
			return true
		}
	}
	return false
}

// nextInstall finds the first later RUN of the sequence that installs
// packages of the family.
func nextInstall(p *Pass, rest []sdItem, fam string) (sdItem, *shell.PackageOp) {
	for _, it := range rest {
		if it.in.Cmd != "run" {
			continue
		}
		for _, op := range opsOf(p, it.outer) {
			if managerFamily(op.Manager) == fam && (op.Action == shell.ActionInstall || op.Action == shell.ActionUpgrade) {
				return it, op
			}
		}
	}
	return sdItem{}, nil
}

// joinUpdateFix moves a RUN made only of an index update into the install
// RUN that directly follows it: "RUN apt-get update" is deleted and the
// next RUN starts with "apt-get update && ". It applies only when both
// are plain shell-form RUNs (no ONBUILD, heredoc or differing flags).
func joinUpdateFix(p *Pass, upd, next sdItem, up *shell.PackageOp) *edit.Fix {
	f := p.File
	if upd.in != upd.outer || next.in != next.outer || upd.outer.Stage != next.outer.Stage {
		return nil
	}
	if indexIn(next.outer) != indexIn(upd.outer)+1 || !upd.outer.SameFlags(next.outer) {
		return nil
	}
	if len(upd.outer.Heredocs) > 0 || len(next.outer.Heredocs) > 0 {
		return nil
	}
	us := p.Shell(upd.outer)
	if len(us) != 1 || len(us[0].Commands) != 1 {
		return nil
	}
	ns := p.Shell(next.outer)
	if len(ns) != 1 {
		return nil
	}
	m, ok := edit.ScriptOffsets(f, next.outer, ns[0])
	if !ok {
		return nil
	}
	pos := m(0)
	dpos, dend := edit.LineSpan(f, upd.outer.StartLine, upd.outer.EndLine)
	return &edit.Fix{
		Message: "run the index update in the same RUN as the install",
		Edits: []edit.TextEdit{
			{Pos: dpos, End: dend},
			{Pos: pos, End: pos, NewText: strings.TrimSpace(up.Command.Text) + " && "},
		},
	}
}

// indexIn returns the position of in in its stage's instructions, or -1.
func indexIn(in *dockerfile.Instruction) int {
	if in.Stage == nil {
		return -1
	}
	for i, x := range in.Stage.Instructions {
		if x == in {
			return i
		}
	}
	return -1
}

// removesOnly reports whether the RUN also removes packages of the family
// (apt-get update && apt-get purge ...): not a lone update, and the lists
// it leaves are DL3009's finding.
func removesOnly(ops []*shell.PackageOp, up *shell.PackageOp, fam string) bool {
	for _, op := range ops {
		if op != up && managerFamily(op.Manager) == fam && op.Action == shell.ActionRemove {
			return true
		}
	}
	return false
}
