package rules

import (
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// DL3028 reports gem install without a version.
var DL3028 = &Rule{
	ID:       "DL3028",
	Name:     "gem-pin-versions",
	Severity: vocab.Warning,
	Category: vocab.Correctness,
	Doc: Doc{
		Summary: "Pin versions in gem install: use gem install <gem>:<version>.",
		Why: "Without a version gem installs the newest release on the day of the build, so " +
			"rebuilds are not repeatable. Pin with gem:version or -v/--version. Words after a " +
			"bare -- are build options for the gem's native extension " +
			"(gem install nokogiri:1.16.5 -- --use-system-libraries), not gems, and so is the " +
			"value of an option gem does not know.",
		Bad:  "RUN gem install bundler",
		Good: "RUN gem install bundler:2.5.6",
	},
	Check: pinCheck(
		func(op *shellOp) bool { return op.Is(shell.ActionInstall, shell.Gem) },
		func(op *shellOp, pk shell.Package) bool { return versioned(pk) || pk.URL || !gemOperand(op, pk) },
		"Pin versions in gem install: use gem install <gem>:<version>"),
}

// gemOperand reports whether a package operand of gem install names a gem:
// it is not after a bare "--" (what follows is passed to the extension's
// build) and not the value of a long option gem does not know, written as
// a separate word (--with-pg-config /usr/bin/pg_config, an extension
// option given without "--").
func gemOperand(op *shellOp, pk shell.Package) bool {
	words := op.Command.ArgWords
	for i := 0; i < pk.Word && i < len(words); i++ {
		if words[i].Literal && words[i].Value == "--" {
			return false
		}
	}
	if pk.Word > 0 && pk.Word <= len(words) {
		prev := words[pk.Word-1]
		if name, ok := strings.CutPrefix(prev.Value, "--"); ok && prev.Literal && name != "" &&
			!strings.Contains(name, "=") && !gemKnownLong(name) {
			return false
		}
	}
	return true
}

// gemKnownLong reports whether name (without dashes) is one of gem
// install's own long options; the others (a native extension's build
// options) are taken to have a value.
func gemKnownLong(name string) bool {
	name = strings.TrimPrefix(name, "no-")
	return slices.Contains(gemInstallLongOptions[:], name)
}

// gemInstallLongOptions are gem install's long options (from gem install
// --help), without dashes and "no-" prefixes.
var gemInstallLongOptions = [...]string{
	"platform", "version", "prerelease", "install-dir", "bindir", "document", "build-root", "vendor",
	"env-shebang", "force", "wrappers", "trust-policy", "ignore-dependencies", "format-executable",
	"user-install", "development", "development-all", "conservative", "minimal-deps", "post-install-message",
	"file", "without", "default", "explain", "lock", "suggestions", "target-rbconfig", "local", "remote",
	"both", "bulk-threshold", "clear-sources", "source", "http-proxy", "update-sources", "help", "verbose",
	"quiet", "silent", "config-file", "backtrace", "debug", "norc", "ri", "rdoc",
}
