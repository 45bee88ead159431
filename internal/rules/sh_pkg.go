package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Rules for apk, gem, yum, dnf/microdnf and zypper.

// DL3018 reports apk add of packages without a version.
var DL3018 = &Rule{
	ID:       "DL3018",
	Name:     "apk-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in apk add: use apk add <package>=<version>.",
		Why: "Without a version apk installs whatever the repository holds on the day of the build, " +
			"so rebuilds are not repeatable. Pin with =, ~ or a comparison (curl~8.5); local .apk " +
			"files count as pinned.",
		Bad:  "RUN apk add --no-cache curl",
		Good: "RUN apk add --no-cache curl=8.5.0-r0",
	},
	Check: pinCheck(
		func(op *shellOp) bool { return op.Is(shell.ActionInstall, shell.Apk) },
		func(_ *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL },
		"Pin versions in apk add: use apk add <package>=<version>"),
}

// DL3019 reports apk add that keeps its cache.
var DL3019 = &Rule{
	ID:        "DL3019",
	Name:      "apk-no-cache",
	Severity:  vocab.Info,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/* when done installing packages.",
		Why: "apk add stores the repository indexes in /var/cache/apk; left in the layer they ship " +
			"in the image. --no-cache fetches fresh indexes and keeps nothing. Removing the cache " +
			"in the same RUN, a BuildKit cache mount on /var/cache/apk, or a build stage nothing " +
			"ships from also avoid the waste and are not reported.",
		Bad:  "RUN apk update && apk add curl=8.5.0-r0",
		Good: "RUN apk add --no-cache curl=8.5.0-r0",
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

// DL3028 reports gem install without a version.
var DL3028 = &Rule{
	ID:       "DL3028",
	Name:     "gem-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in gem install: use gem install <gem>:<version>.",
		Why: "Without a version gem installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable. Pin with gem:version or -v/--version.",
		Bad:  "RUN gem install bundler",
		Good: "RUN gem install bundler:2.5.6",
	},
	Check: pinCheck(
		func(op *shellOp) bool { return op.Is(shell.ActionInstall, shell.Gem) },
		func(_ *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL },
		"Pin versions in gem install: use gem install <gem>:<version>"),
}

// rpmGroup reports whether an operand or invocation is about package
// groups or modules, which have no version to pin.
func rpmGroup(op *shellOp, pk shell.Package) bool {
	return strings.HasPrefix(pk.Raw, "@") || strings.Contains(op.Verb, "group")
}

// rpmPinned judges a yum, dnf or zypper install operand.
func rpmPinned(op *shellOp, pk shell.Package) bool {
	if rpmGroup(op, pk) || pk.URL {
		return true
	}
	if strings.HasPrefix(op.Verb, "module") {
		// Modules are pinned to a stream: nodejs:18.
		return strings.Contains(pk.Raw, ":")
	}
	return versioned(pk)
}

// isYumInstall, isDnfInstall and isZypperInstall select installs.
func isYumInstall(op *shellOp) bool { return op.Is(shell.ActionInstall, shell.Yum) }
func isDnfInstall(op *shellOp) bool {
	return op.Is(shell.ActionInstall, shell.Dnf, shell.Microdnf)
}
func isZypperInstall(op *shellOp) bool {
	return op.Is(shell.ActionInstall, shell.Zypper) && verbIn(op, "install", "in")
}

// DL3030 reports yum install without -y.
var DL3030 = &Rule{
	ID:       "DL3030",
	Name:     "yum-yes",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use the -y switch to avoid manual input: yum install -y <package>.",
		Why: "A Docker build has no terminal to answer yum's confirmation prompt: without -y " +
			"(--assumeyes) yum stops and the build fails.",
		Bad:  "RUN yum install httpd-2.4.6",
		Good: "RUN yum install -y httpd-2.4.6 && yum clean all",
	},
	Check: yesCheck(isYumInstall, "-y", "Use the -y switch to avoid manual input: yum install -y <package>"),
}

// yumCleaned reports whether the yum cache is emptied after the last yum
// install (yum clean all, or removing /var/cache/yum or /var/cache/dnf:
// on current distributions yum is dnf).
func yumCleaned(s *shell.Script) bool {
	last := s.LastFill(shell.CacheYum)
	return s.Cleans(shell.CacheYum, last) || s.RemovesPath("/var/cache/dnf/*", last)
}

// DL3032 reports yum install without yum clean all.
var DL3032 = &Rule{
	ID:        "DL3032",
	Name:      "yum-clean-all",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "yum clean all missing after yum command.",
		Why: "yum keeps repository metadata and downloaded packages in /var/cache/yum. Left in the " +
			"layer they ship in the image. Run yum clean all (or remove /var/cache/yum) in the same " +
			"RUN, or use a BuildKit cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN yum install -y httpd-2.4.6",
		Good: "RUN yum install -y httpd-2.4.6 && yum clean all",
	},
	Check: cleanCheck(cleanSpec{
		fills:   isYumInstall,
		cleaned: yumCleaned,
		dirs:    []string{"/var/cache/yum", "/var/cache/dnf"},
		command: "yum clean all",
		msg:     "yum clean all missing after yum command",
	}),
}

// DL3033 reports yum install without versions.
var DL3033 = &Rule{
	ID:       "DL3033",
	Name:     "yum-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Specify version with yum install -y <package>-<version>.",
		Why: "Without a version yum installs whatever the repositories hold on the day of the " +
			"build, so rebuilds are not repeatable. Pin with name-version; modules with " +
			"name:stream. Local .rpm files and package groups are not reported.",
		Bad:  "RUN yum install -y httpd && yum clean all",
		Good: "RUN yum install -y httpd-2.4.6 && yum clean all",
	},
	Check: pinCheck(isYumInstall, rpmPinned, "Specify version with yum install -y <package>-<version>"),
}

// zypperPrompts selects the zypper subcommands that ask for confirmation.
func zypperPrompts(op *shellOp) bool {
	return op.Manager == shell.Zypper && verbIn(op, "install", "in", "remove", "rm", "source-install", "si", "patch")
}

// DL3034 reports zypper commands without a non-interactive switch.
var DL3034 = &Rule{
	ID:       "DL3034",
	Name:     "zypper-non-interactive",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Non-interactive switch missing from zypper command: zypper install -y.",
		Why: "A Docker build has no terminal to answer zypper's confirmation prompt: without -y " +
			"(--no-confirm) or the global -n (--non-interactive) zypper stops and the build fails.",
		Bad:  "RUN zypper install httpd=2.4.46",
		Good: "RUN zypper install -y httpd=2.4.46 && zypper clean",
	},
	Check: yesCheck(zypperPrompts, "-y", "Non-interactive switch missing from zypper command: zypper install -y"),
}

// DL3035 reports zypper dist-upgrade.
var DL3035 = &Rule{
	ID:       "DL3035",
	Name:     "no-zypper-dist-upgrade",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Do not use zypper dist-upgrade.",
		Why: "dist-upgrade moves the image to a different distribution state than the base image " +
			"was built for, possibly a new release, and makes the build depend on the day it runs. " +
			"Use a newer base image instead, or zypper update/patch for fixes.",
		Bad:  "RUN zypper dist-upgrade -y",
		Good: "FROM opensuse/leap:15.6",
	},
	Check: func(p *Pass) error {
		for _, r := range shellRuns(p) {
			for _, op := range r.ops("", shell.Zypper) {
				if verbIn(op, "dist-upgrade", "dup") {
					p.Report(r.outer, "%sDo not use zypper dist-upgrade", r.prefix())
					break
				}
			}
		}
		return nil
	},
}

// DL3036 reports zypper install without zypper clean.
var DL3036 = &Rule{
	ID:        "DL3036",
	Name:      "zypper-clean",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "zypper clean missing after zypper use.",
		Why: "zypper keeps repository metadata and packages in /var/cache/zypp. Left in the layer " +
			"they ship in the image. Run zypper clean (or remove /var/cache/zypp) in the same RUN, " +
			"or use a BuildKit cache mount. Build stages nothing ships from are not reported.",
		Bad:  "RUN zypper install -y httpd=2.4.46",
		Good: "RUN zypper install -y httpd=2.4.46 && zypper clean",
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

// DL3037 reports zypper install without versions.
var DL3037 = &Rule{
	ID:       "DL3037",
	Name:     "zypper-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Specify version with zypper install -y <package>=<version>.",
		Why: "Without a version zypper installs whatever the repositories hold on the day of the " +
			"build, so rebuilds are not repeatable. Pin with =, >=, < and the like; local .rpm files " +
			"and patterns (-t pattern) are not reported.",
		Bad:  "RUN zypper install -y httpd && zypper clean",
		Good: "RUN zypper install -y httpd=2.4.46 && zypper clean",
	},
	Check: pinCheck(
		func(op *shellOp) bool {
			if !isZypperInstall(op) {
				return false
			}
			t, ok := op.FlagValue("-t", "--type")
			return !ok || t == "package"
		},
		func(_ *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL },
		"Specify version with zypper install -y <package>=<version>"),
}

// DL3038 reports dnf install without -y.
var DL3038 = &Rule{
	ID:       "DL3038",
	Name:     "dnf-yes",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Use the -y switch to avoid manual input: dnf install -y <package>.",
		Why: "A Docker build has no terminal to answer dnf's confirmation prompt: without -y " +
			"(--assumeyes) dnf stops and the build fails.",
		Bad:  "RUN dnf install httpd-2.4.46",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
	},
	Check: yesCheck(isDnfInstall, "-y", "Use the -y switch to avoid manual input: dnf install -y <package>"),
}

// DL3040 reports dnf install without dnf clean all.
var DL3040 = &Rule{
	ID:        "DL3040",
	Name:      "dnf-clean-all",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: SizeCleanCaches,
	Doc: Doc{
		Summary: "dnf clean all missing after dnf command.",
		Why: "dnf keeps repository metadata and packages in /var/cache/dnf (microdnf in " +
			"/var/cache/yum). Left in the layer they ship in the image. Run dnf clean all (or " +
			"remove the cache directory) in the same RUN, or use a BuildKit cache mount. Build " +
			"stages nothing ships from are not reported.",
		Bad:  "RUN dnf install -y httpd-2.4.46",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
	},
	Check: func(p *Pass) error {
		// The clean command follows the manager used (dnf or microdnf).
		for _, m := range []shell.Manager{shell.Dnf, shell.Microdnf} {
			cleanCheck(cleanSpec{
				fills:   func(op *shellOp) bool { return op.Is(shell.ActionInstall, m) },
				cleaned: func(s *shell.Script) bool { return s.CleansDnfCache() },
				dirs:    []string{"/var/cache/dnf", "/var/cache/yum"},
				command: string(m) + " clean all",
				msg:     string(m) + " clean all missing after " + string(m) + " command",
			})(p)
		}
		return nil
	},
}

// DL3041 reports dnf install without versions.
var DL3041 = &Rule{
	ID:       "DL3041",
	Name:     "dnf-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Specify version with dnf install -y <package>-<version>.",
		Why: "Without a version dnf installs whatever the repositories hold on the day of the " +
			"build, so rebuilds are not repeatable. Pin with name-version; modules with " +
			"name:stream. Local .rpm files and package groups are not reported.",
		Bad:  "RUN dnf install -y httpd && dnf clean all",
		Good: "RUN dnf install -y httpd-2.4.46 && dnf clean all",
	},
	Check: pinCheck(isDnfInstall, rpmPinned, "Specify version with dnf install -y <package>-<version>"),
}
