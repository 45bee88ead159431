package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// Package managers: which install distribution packages, how a package
// argument is read, and the builders of the families of package-manager
// rules (version pinning, non-interactive switches, cache clean-up).

// isSystemManager reports whether m installs distribution packages.
func isSystemManager(m shell.Manager) bool {
	switch m {
	case shell.AptGet, shell.Apt, shell.Aptitude, shell.Apk, shell.Yum, shell.Dnf, shell.Microdnf, shell.Zypper:
		return true
	}
	return false
}

// managerFamily groups package managers that share an index.
func managerFamily(m shell.Manager) string {
	switch m {
	case shell.AptGet, shell.Apt, shell.Aptitude:
		return "apt"
	case shell.Yum, shell.Dnf, shell.Microdnf:
		return "rpm"
	}
	return string(m)
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

// pinCheck returns a Check reporting, once per RUN, the packages that
// match selects and pinned rejects. msg is printed after the package
// list.
func pinCheck(selects func(*shellOp) bool, pinned func(*shellOp, shell.Package) bool, msg string) func(*Pass) error {
	return func(p *Pass) error {
		for _, r := range shellRuns(p) {
			var loose []string
			for _, op := range r.ops("") {
				if !selects(op) {
					continue
				}
				for _, pk := range packagesOf(op.PackageOp, r.vars) {
					if !pinned(op, pk) {
						loose = append(loose, pk.Raw)
					}
				}
			}
			if len(loose) > 0 {
				p.Report(r.outer, "%s%s (unpinned: %s)", r.prefix(), msg, listNames(loose, 5))
			}
		}
		return nil
	}
}

// versioned reports whether a package operand names a version, a local
// file or a URL.
func versioned(pk shell.Package) bool { return pk.Version != "" || pk.Local }

// yesCheck returns a Check reporting, once per RUN, the invocations that
// selects matches and that may stop at a confirmation prompt. The fix
// inserts flag after the subcommand.
func yesCheck(selects func(*shellOp) bool, flag, msg string) func(*Pass) error {
	return func(p *Pass) error {
		for _, r := range shellRuns(p) {
			found := false
			var rs *edit.Script
			var edits []scriptEdit
			for _, op := range r.ops("") {
				if !selects(op) || op.AssumesYes() {
					continue
				}
				found = true
				if w := verbWord(op.PackageOp); w >= 0 && (rs == nil || rs == op.script) {
					rs = op.script
					edits = append(edits, insertAfterWord(op.Command.ArgWords[w], " "+flag))
				}
			}
			if !found {
				continue
			}
			var fix *edit.Fix
			if rs != nil {
				fix = scriptFix(p.File, r, rs, fmt.Sprintf("add %s so the command does not wait for an answer", flag), false,
					func(s *shell.Script) bool {
						for _, op := range s.PackageOps() {
							if selects(&shellOp{PackageOp: op}) && !op.AssumesYes() {
								return false
							}
						}
						return true
					}, edits...)
			}
			p.ReportFix(r.outer, fix, "%s%s", r.prefix(), msg)
		}
		return nil
	}
}

// cleanSpec describes a cache clean-up rule.
type cleanSpec struct {
	// fills selects the invocations that fill the cache.
	fills func(*shellOp) bool
	// cleaned reports whether the script empties the cache after them.
	cleaned func(*shell.Script) bool
	// dirs are the cache directories a cache or tmpfs mount can cover.
	dirs []string
	// anyCacheMount: any BuildKit cache mount counts (the cache folder
	// is configurable).
	anyCacheMount bool
	// command is appended to the RUN by the fix ("yum clean all").
	command string
	msg     string
}

// cleanCheck returns a Check reporting RUNs of stages that ship whose
// cache is left in the layer.
func cleanCheck(c cleanSpec) func(*Pass) error {
	return func(p *Pass) error {
		for _, r := range shellRuns(p) {
			if !r.ships(p.File) {
				continue
			}
			covered := false
			for _, d := range c.dirs {
				covered = covered || r.hasCacheMountAbove(d)
			}
			if covered || c.anyCacheMount && anyCacheMount(r.run) {
				continue
			}
			for _, sc := range r.scripts {
				filled := false
				for _, op := range sc.PackageOps() {
					filled = filled || c.fills(&shellOp{PackageOp: op, script: sc})
				}
				if !filled || c.cleaned(sc.Script) {
					continue
				}
				var fix *edit.Fix
				if c.command != "" {
					if e, ok := appendCommand(sc, c.command); ok {
						fix = scriptFix(p.File, r, sc, fmt.Sprintf("run %s at the end of the RUN", c.command), false, c.cleaned, e)
					}
				}
				p.ReportFix(r.outer, fix, "%s%s", r.prefix(), c.msg)
				break
			}
		}
		return nil
	}
}

// verbIn reports whether op's subcommand is one of verbs.
func verbIn(op *shellOp, verbs ...string) bool {
	for _, v := range verbs {
		if op.Verb == v {
			return true
		}
	}
	return false
}

// anyCacheMount reports whether an instruction (or the RUN an ONBUILD
// triggers) mounts a BuildKit cache.
func anyCacheMount(in *dockerfile.Instruction) bool {
	if in.Trigger != nil {
		in = in.Trigger
	}
	for _, m := range in.Mounts() {
		if m.Type == "cache" {
			return true
		}
	}
	return false
}
