package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// aptGetInstalls returns the "apt-get install" invocations of a RUN.
// Like hadolint, the apt-get rules judge apt-get only: apt itself is
// DL3027's business.
func aptGetInstalls(r shRun) []*shellOp {
	var out []*shellOp
	for _, op := range r.ops(shell.ActionInstall, shell.AptGet) {
		if op.Verb == "install" {
			out = append(out, op)
		}
	}
	return out
}

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

// parsePackage parses raw as a package operand of manager m, through the
// shell model's own grammar. ok is false when it is not read as one.
func parsePackage(m shell.Manager, raw string) (shell.Package, bool) {
	verb := "install"
	if m == shell.Apk {
		verb = "add"
	}
	sc, err := shell.Parse(string(m) + " " + verb + " -- " + shellQuote(raw))
	if err == nil {
		for _, op := range sc.PackageOps() {
			for _, p := range op.Packages {
				if p.Raw == raw {
					return p, true
				}
			}
		}
	}
	return shell.Package{}, false
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// DL3009 reports apt-get update without deleting the package lists in a
// stage that ships.
var DL3009 = &Rule{
	ID:        "DL3009",
	Name:      "apt-lists-not-deleted",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "Delete the apt-get lists after installing something.",
		Why: "apt-get update downloads package lists into /var/lib/apt/lists (tens of megabytes). " +
			"Left in the layer they ship in the image for nothing, and they go stale anyway. Remove " +
			"them in the same RUN (rm -rf /var/lib/apt/lists/*) or keep them out of the layer with " +
			"a BuildKit cache mount. Build stages that no shipped image is made from are not " +
			"reported: their files are thrown away.",
		Bad:  "RUN apt-get update && apt-get install -y --no-install-recommends curl",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*",
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
					fix = scriptFix(p.File, r, sc, "delete the apt lists at the end of the RUN", laterAptNeedsLists(runs, i),
						func(s *shell.Script) bool { return s.CleansAptLists() }, e)
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

// DL3014 reports apt-get install without -y.
var DL3014 = &Rule{
	ID:       "DL3014",
	Name:     "apt-get-yes",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use the -y switch to avoid manual input: apt-get -y install <package>.",
		Why: "A Docker build has no terminal to answer apt-get's confirmation prompt: without -y " +
			"(or --yes, --assume-yes, -qq) apt-get aborts as soon as it would install anything beyond " +
			"the packages named, and the build fails.",
		Bad:  "RUN apt-get install curl",
		Good: "RUN apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			var fix *edit.Fix
			found := false
			var edits []scriptEdit
			var rs *edit.Script
			for _, op := range aptGetInstalls(r) {
				if op.AssumesYes() {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " -y"))
				}
			}
			if !found {
				continue
			}
			if rs != nil {
				fix = scriptFix(p.File, r, rs, "add -y to apt-get install", false, func(s *shell.Script) bool {
					for _, op := range s.PackageOpsFor(shell.ActionInstall, shell.AptGet) {
						if op.Verb == "install" && !op.AssumesYes() {
							return false
						}
					}
					return true
				}, edits...)
			}
			p.ReportFix(r.outer, fix, "%sUse the -y switch to avoid manual input: apt-get install -y <package>", r.prefix())
		}
		return nil
	},
}

// DL3015 reports apt-get install without --no-install-recommends.
var DL3015 = &Rule{
	ID:        "DL3015",
	Name:      "apt-get-no-install-recommends",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: SizeMinimalPackages,
	Doc: Doc{
		Summary: "Avoid additional packages by specifying --no-install-recommends.",
		Why: "By default apt-get also installs the packages the ones you asked for merely " +
			"recommend: documentation, optional tools, sometimes hundreds of megabytes. A container " +
			"needs only hard dependencies. --no-install-recommends (or -o " +
			"APT::Install-Recommends=false) keeps the image small; add what you really need by name.",
		Bad:  "RUN apt-get install -y python3",
		Good: "RUN apt-get install -y --no-install-recommends python3",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			found := false
			var edits []scriptEdit
			var rs *edit.Script
			for _, op := range aptGetInstalls(r) {
				if op.NoRecommends() {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " --no-install-recommends"))
				}
			}
			if !found {
				continue
			}
			var fix *edit.Fix
			if rs != nil {
				// Safe, as the issue and hadolint's users treat it: the
				// packages asked for are installed; a recommended one the
				// image relies on must then be named (--ignore DL3015
				// keeps the fix away).
				fix = scriptFix(p.File, r, rs, "add --no-install-recommends to apt-get install (installs fewer packages; name any recommended package the image needs)", false,
					func(s *shell.Script) bool {
						for _, op := range s.PackageOpsFor(shell.ActionInstall, shell.AptGet) {
							if op.Verb == "install" && !op.NoRecommends() {
								return false
							}
						}
						return true
					}, edits...)
			}
			p.ReportFix(r.outer, fix, "%sAvoid additional packages by specifying --no-install-recommends", r.prefix())
		}
		return nil
	},
}

// aptToAptGet maps apt subcommands to the stable tool that has them.
var aptToAptGet = map[string]string{
	"install": "apt-get", "update": "apt-get", "upgrade": "apt-get", "remove": "apt-get",
	"purge": "apt-get", "autoremove": "apt-get", "dist-upgrade": "apt-get", "clean": "apt-get",
	"autoclean": "apt-get", "source": "apt-get", "build-dep": "apt-get", "download": "apt-get",
	"show": "apt-cache", "search": "apt-cache", "policy": "apt-cache", "depends": "apt-cache",
	"rdepends": "apt-cache", "showsrc": "apt-cache",
}

// DL3027 reports apt, the interactive front end, used in a RUN.
var DL3027 = &Rule{
	ID:       "DL3027",
	Name:     "no-apt",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not use apt as it is meant to be an end-user tool; use apt-get or apt-cache instead.",
		Why: "apt's command line is meant for people at a terminal: its output and behaviour may " +
			"change between releases and it warns that it has no stable CLI interface for scripts. " +
			"apt-get and apt-cache do the same work with an interface that is kept stable.",
		Bad:  "RUN apt update && apt install -y curl",
		Good: "RUN apt-get update && apt-get install -y curl",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			cmds := r.find("apt")
			if len(cmds) == 0 {
				continue
			}
			// One fix replacing every apt of one script, when each has an
			// apt-get or apt-cache equivalent.
			var edits []scriptEdit
			rs := cmds[0].script
			fixable := true
			for _, c := range cmds {
				op := c.script.PackageOpsFor("", shell.Apt)
				verb := ""
				for _, o := range op {
					if o.Command == c.Command {
						verb = o.Verb
					}
				}
				tool := aptToAptGet[verb]
				w := c.NameWord
				if c.script != rs || tool == "" || !w.Literal || w.Raw != w.Value || path.Base(w.Value) != "apt" {
					fixable = false
					break
				}
				edits = append(edits, scriptEdit{pos: w.Pos.Offset, end: w.End.Offset, text: strings.TrimSuffix(w.Value, "apt") + tool})
			}
			var fix *edit.Fix
			if fixable {
				fix = scriptFix(p.File, r, rs, "use apt-get / apt-cache instead of apt", false,
					func(s *shell.Script) bool { return len(s.Find("apt")) == 0 }, edits...)
			}
			p.ReportFix(r.outer, fix, "%sDo not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead", r.prefix())
		}
		return nil
	},
}
