package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD401 reports package caches left in a shipped layer that the DL rules
// do not already cover.
var SD401 = &Rule{
	ID:        "SD401",
	Name:      "package-cache-left",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeCleanCaches,
	Doc: Doc{
		Summary: "A package manager leaves its download cache or index in the image.",
		Why: "Package managers keep what they download: npm in ~/.npm, Bundler and gem in " +
			"the gem cache, Composer in its cache directory, Go in /root/.cache/go-build and " +
			"/go/pkg/mod, apk update in /var/cache/apk. In a shipped layer these are tens to " +
			"hundreds of megabytes nobody uses at run time, and deleting them in a later RUN " +
			"does not help. Clean them in the same RUN (npm cache clean --force, go clean " +
			"-cache -modcache, composer clear-cache, rm -rf /var/cache/apk/*), or better, " +
			"put them on a BuildKit cache mount, which keeps them between builds and out of the " +
			"image. Only stages that end up in the final image are checked; apt lists " +
			"(DL3009), apk add (DL3019), pip (DL3042), yarn (DL3060), yum (DL3032), zypper " +
			"(DL3036) and dnf (DL3040) are left to those rules. go mod download, whose cache is " +
			"its purpose, and toolchain and devcontainer images, whose caches are their users' " +
			"working set, are not reported. The fix appends the clean-up " +
			"command to the RUN.",
		Bad:  "RUN npm ci --omit=dev",
		Good: "RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev",
	},
	Check: func(p *Pass) error {
		if img := imageOf(p); img.Is(intent.RoleToolchain | intent.RoleDevcontainer | intent.RoleTemplate) {
			return nil // the caches are the tools' working set
		}
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			trig := len(seq) > 0 && seq[0].in != seq[0].outer
			for _, it := range seq {
				if it.in.Cmd != "run" || !own(it) || !trig && !p.File.Inherited(it.outer.Stage) {
					continue
				}
				var left, cleans []string
				for _, rs := range p.Shell(it.outer) {
					for _, lc := range leftCaches(rs, it.in) {
						left = append(left, lc.what)
						if lc.clean != "" {
							cleans = append(cleans, lc.clean)
						}
					}
				}
				if len(left) == 0 {
					continue
				}
				var fix *edit.Fix
				if len(cleans) == len(left) {
					if e, ok := edit.ScriptEnd(p.File, it.outer, p.Shell(it.outer), " && "+strings.Join(cleans, " && ")); ok {
						// The whole RUN is the fix's region: when another
						// fix changes this RUN in the same pass (a stage
						// split that stops it shipping, a cache mount), the
						// clean-up is decided again on the new text.
						start, end := edit.LineSpan(p.File, it.outer.StartLine, it.outer.EndLine)
						fix = &edit.Fix{Message: "remove the cache in the same RUN", Edits: []edit.TextEdit{e}, Region: &edit.Span{Pos: start, End: end}}
					} else {
						fix = edit.Decline("the end of the RUN's script cannot be told exactly (a trailing ; or &, a heredoc)")
					}
				} else {
					fix = edit.Decline("no clean-up command is known for " + vocab.JoinAnd(left) + " that keeps the install's result (the gem cache is also where gems are kept)")
				}
				p.ReportFix(it.outer, fix, "%sRUN leaves %s in the image: clean %s in the same RUN or use a cache mount (RUN --mount=type=cache,...)",
					onbuildPrefix(it), vocab.JoinAnd(left), plural(len(left), "it", "them"))
			}
		})
		return nil
	},
}

type leftCache struct {
	what  string // for the message
	clean string // a command that removes it, for the fix
}

// leftCaches returns the caches a script fills and does not clean, among
// those no DL rule checks.
func leftCaches(rs *edit.Script, in *dockerfile.Instruction) []leftCache {
	var out []leftCache
	ops := rs.PackageOps()
	var apkUpdate, apkAddCached, npmInst, gemInst, composerInst, goBuild, goMod *shell.PackageOp
	for _, op := range ops {
		switch op.Manager {
		case shell.Apk:
			if op.Action == shell.ActionUpdate {
				apkUpdate = op
			}
			if (op.Action == shell.ActionInstall || op.Action == shell.ActionUpgrade) && !op.NoCache() {
				apkAddCached = op
			}
		case shell.Npm:
			if op.Action == shell.ActionInstall {
				npmInst = op
			}
		case shell.Gem, shell.Bundle:
			if op.Action == shell.ActionInstall {
				gemInst = op
			}
		case shell.Composer:
			if op.Action == shell.ActionInstall || op.Verb == "update" || op.Verb == "require" {
				composerInst = op
			}
		case shell.Go:
			switch {
			case op.Verb == "build" || op.Verb == "install" || op.Verb == "test":
				goBuild, goMod = op, op
			case op.Verb == "get":
				goMod = op
			case op.Action == shell.ActionDownload:
				// go mod download only fills the module cache: that is
				// its purpose (a later build reads it), so a cache
				// mount is the advice, not a clean-up (SD701).
			}
		}
	}
	if apkUpdate != nil && apkAddCached == nil && !rs.Cleans(shell.CacheApk, apkUpdate.Command) && !hasCacheMount(in, "/var/cache/apk") {
		out = append(out, leftCache{"the apk index from apk update (/var/cache/apk)", "rm -rf /var/cache/apk/*"})
	}
	if npmInst != nil && !rs.Cleans(shell.CacheNpm, npmInst.Command) && !mountLike(in, "/.npm") {
		out = append(out, leftCache{"the npm cache (~/.npm)", "npm cache clean --force"})
	}
	if gemInst != nil && !rs.Cleans(shell.CacheGem, gemInst.Command) && !mountLike(in, "bundle", ".gem") {
		out = append(out, leftCache{"the downloaded .gem files (the gem cache)", ""})
	}
	if composerInst != nil && !rs.Cleans(shell.CacheComposer, composerInst.Command) && !mountLike(in, "composer") {
		out = append(out, leftCache{"the Composer cache", "composer clear-cache"})
	}
	if goMod != nil && !rs.Cleans(shell.CacheGo, goMod.Command) {
		var what []string
		if goBuild != nil && !mountLike(in, "go-build") {
			what = append(what, "build cache (/root/.cache/go-build)")
		}
		if !mountLike(in, "/pkg/mod") {
			what = append(what, "module cache (/go/pkg/mod)")
		}
		if len(what) > 0 {
			out = append(out, leftCache{"the Go " + vocab.JoinAnd(what), "go clean -cache -modcache"})
		}
	}
	return out
}
