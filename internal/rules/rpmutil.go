package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/shell"
)

// yum, dnf and zypper commands, for the RPM package-manager rules.

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
