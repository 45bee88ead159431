package shell

import (
	"strconv"
	"strings"
)

// Manager identifies a package manager.
type Manager string

// Supported package managers. Pip covers pip, pip3, pipX.Y, pip-X.Y and
// python[X[.Y]] -m pip; Bundle covers bundle and bundler; Composer covers
// composer and composer.phar.
const (
	AptGet   Manager = "apt-get"
	Apt      Manager = "apt"
	Aptitude Manager = "aptitude"
	Apk      Manager = "apk"
	Pip      Manager = "pip"
	Npm      Manager = "npm"
	Yarn     Manager = "yarn"
	Pnpm     Manager = "pnpm"
	Gem      Manager = "gem"
	Go       Manager = "go"
	Yum      Manager = "yum"
	Dnf      Manager = "dnf"
	Microdnf Manager = "microdnf"
	Zypper   Manager = "zypper"
	Bundle   Manager = "bundle"
	Composer Manager = "composer"
	Cargo    Manager = "cargo"
)

// Action is the normalised kind of a package-manager invocation. The
// subcommand as written is kept in PackageOp.Verb.
type Action string

const (
	// ActionInstall installs packages: install, add (apk, yarn, pnpm),
	// ci (npm), require (composer), get (go), reinstall, build-dep, ...
	ActionInstall Action = "install"
	// ActionUpdate refreshes package indexes: apt-get update, apk update,
	// zypper refresh, yum/dnf makecache.
	ActionUpdate Action = "update"
	// ActionUpgrade upgrades installed packages: apt-get upgrade /
	// dist-upgrade, apk upgrade, yum/dnf update|upgrade, npm update, ...
	ActionUpgrade Action = "upgrade"
	// ActionRemove removes packages: remove, purge, autoremove, del,
	// uninstall, erase, rm, ...
	ActionRemove Action = "remove"
	// ActionClean cleans caches: apt-get clean, yum/dnf clean, zypper
	// clean, apk cache clean, npm/yarn cache clean, pip cache purge,
	// pnpm store prune, composer clear-cache, go clean.
	ActionClean Action = "clean"
	// ActionDownload downloads without installing: apt-get download,
	// pip download, go mod download, dnf download, cargo fetch, ...
	ActionDownload Action = "download"
	// ActionOther is any other subcommand (see PackageOp.Verb).
	ActionOther Action = "other"
)

// Package is one package operand of an install/remove/upgrade/download.
type Package struct {
	// Name is the package name without version, extras or release; for
	// local files and URLs it is the operand itself.
	Name string
	// Version is the version given with the package ("1.2" in pkg=1.2,
	// flask==1.2, express@1.2, rails:1.2, httpd-2.4); for gem, cargo and
	// bundle it may come from -v/--version. "" when not pinned.
	Version string
	// Op is how the version was given: "=", "==", ">=", "~=", "~", "<",
	// "@", ":", "-" (rpm name-version), or the option ("-v", "--version").
	Op string
	// Extras are pip extras (flask[async] -> ["async"]).
	Extras []string
	// Release is an apt target release (pkg/bookworm-backports) or apk
	// repository tag (pkg@edge).
	Release string
	// Raw is the operand as given (unquoted when literal).
	Raw string
	// Pos is where the operand starts.
	Pos Pos
	// Word is the operand's index in Command.ArgWords.
	Word int
	// Local is true for file or directory operands (./x.deb, /tmp/x.whl,
	// ., foo.rpm); URL for URLs and VCS references (git+https://..., user/repo
	// npm shorthands).
	Local, URL bool
	// Literal is false when the operand is not fully literal ($PKGS).
	Literal bool
}

// PackageOp is one invocation of a package manager.
type PackageOp struct {
	// Manager is the package manager.
	Manager Manager
	// Program is how it was invoked: "apt-get", "pip3",
	// "python3 -m pip", "/usr/bin/yum".
	Program string
	// Action is the normalised action.
	Action Action
	// Verb is the subcommand as written ("install", "in", "add",
	// "cache clean", "mod download"), "" when implied (bare "yarn").
	Verb string
	// Command is the command the operation comes from.
	Command *Command
	// Packages are the package operands for install, remove, upgrade and
	// download actions.
	Packages []Package
	// Flags are the manager's options parsed with its real grammar.
	Flags []Flag
	// Operands are the operand words after the verb (for install-like
	// actions the package words; for "yum clean all", ["all"]).
	Operands []Word

	script  *Script
	goStyle bool
}

// managerSpec is the per-manager table driving PackageOp construction.
type managerSpec struct {
	grammar *Grammar
	// verbs maps subcommands (one or two words: "cache clean") to actions.
	verbs map[string]Action
	// implicit is the action of a bare invocation ("yarn"), "" for none.
	implicit Action
	// pkg parses one package operand.
	pkg func(raw string) Package
	// versionFlags give the version of every package (gem -v).
	versionFlags []string
}

func verbs(action Action, names ...string) map[string]Action {
	m := make(map[string]Action, len(names))
	for _, n := range names {
		m[n] = action
	}
	return m
}

func merge(ms ...map[string]Action) map[string]Action {
	out := map[string]Action{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var aptVerbs = merge(
	verbs(ActionInstall, "install", "reinstall", "build-dep", "satisfy"),
	verbs(ActionUpdate, "update"),
	verbs(ActionUpgrade, "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"),
	verbs(ActionRemove, "remove", "purge", "autoremove", "auto-remove", "autopurge"),
	verbs(ActionClean, "clean", "autoclean", "auto-clean", "distclean", "dist-clean"),
	verbs(ActionDownload, "download", "source"),
)

var rpmVerbs = merge(
	verbs(ActionInstall, "install", "in", "localinstall", "reinstall", "groupinstall", "group install", "module install"),
	verbs(ActionUpdate, "makecache", "mc"),
	verbs(ActionUpgrade, "update", "upgrade", "up", "distro-sync", "dsync", "distribution-synchronization", "update-minimal", "upgrade-minimal", "groupupdate", "group upgrade"),
	verbs(ActionRemove, "remove", "rm", "erase", "autoremove", "groupremove", "group remove", "module remove"),
	verbs(ActionClean, "clean"),
	verbs(ActionDownload, "download"),
)

var npmVerbs = merge(
	verbs(ActionInstall, "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add",
		"ci", "clean-install", "ic", "install-clean", "isntall-clean", "install-ci-test", "cit", "install-test", "it"),
	verbs(ActionRemove, "uninstall", "unlink", "remove", "rm", "r", "un"),
	verbs(ActionUpgrade, "update", "up", "upgrade", "udpate"),
	verbs(ActionClean, "cache clean", "cache clear", "cache rm"),
)

// managers is read-only after initialisation.
var managers = map[Manager]*managerSpec{
	AptGet:   {grammar: aptGrammar, verbs: aptVerbs, pkg: parseApt},
	Apt:      {grammar: aptGrammar, verbs: aptVerbs, pkg: parseApt},
	Aptitude: {grammar: grammars["aptitude"], verbs: aptVerbs, pkg: parseApt},
	Apk: {grammar: apkGrammar, pkg: parseApk, verbs: merge(
		verbs(ActionInstall, "add"),
		verbs(ActionRemove, "del"),
		verbs(ActionUpdate, "update"),
		verbs(ActionUpgrade, "upgrade", "fix"),
		verbs(ActionClean, "cache clean", "cache purge"),
		verbs(ActionDownload, "fetch", "cache download"),
	)},
	Pip: {grammar: pipGrammar, pkg: parsePip, verbs: merge(
		verbs(ActionInstall, "install"),
		verbs(ActionRemove, "uninstall"),
		verbs(ActionDownload, "download"),
		verbs(ActionClean, "cache purge", "cache remove"),
	)},
	Npm: {grammar: npmGrammar, pkg: parseNpm, verbs: npmVerbs},
	Yarn: {grammar: yarnGrammar, pkg: parseNpm, implicit: ActionInstall, verbs: merge(
		verbs(ActionInstall, "install", "add", "global add"),
		verbs(ActionRemove, "remove", "global remove"),
		verbs(ActionUpgrade, "upgrade", "up", "global upgrade"),
		verbs(ActionClean, "cache clean"),
	)},
	Pnpm: {grammar: pnpmGrammar, pkg: parseNpm, verbs: merge(
		verbs(ActionInstall, "install", "i", "add"),
		verbs(ActionRemove, "remove", "rm", "uninstall", "un"),
		verbs(ActionUpgrade, "update", "up", "upgrade"),
		verbs(ActionClean, "store prune"),
		verbs(ActionDownload, "fetch"),
	)},
	Gem: {grammar: gemGrammar, pkg: parseGem, versionFlags: []string{"-v", "--version"}, verbs: merge(
		verbs(ActionInstall, "install", "i"),
		verbs(ActionRemove, "uninstall"),
		verbs(ActionUpgrade, "update"),
		verbs(ActionDownload, "fetch"),
	)},
	Go: {grammar: goGrammar, pkg: parseGo, verbs: merge(
		verbs(ActionInstall, "install", "get"),
		verbs(ActionDownload, "mod download"),
		verbs(ActionClean, "clean"),
	)},
	Yum:      {grammar: yumGrammar, verbs: rpmVerbs, pkg: parseRpm},
	Dnf:      {grammar: dnfGrammar, verbs: rpmVerbs, pkg: parseRpm},
	Microdnf: {grammar: dnfGrammar, verbs: rpmVerbs, pkg: parseRpm},
	Zypper: {grammar: zypperGrammar, pkg: parseZypper, verbs: merge(
		verbs(ActionInstall, "install", "in", "si", "source-install"),
		verbs(ActionRemove, "remove", "rm"),
		verbs(ActionUpdate, "refresh", "ref"),
		verbs(ActionUpgrade, "update", "up", "dist-upgrade", "dup", "patch"),
		verbs(ActionClean, "clean", "cc"),
		verbs(ActionDownload, "download"),
	)},
	Bundle: {grammar: bundleGrammar, pkg: parseBare, implicit: ActionInstall, versionFlags: []string{"-v", "--version"}, verbs: merge(
		verbs(ActionInstall, "install", "add"),
		verbs(ActionRemove, "remove"),
		verbs(ActionUpgrade, "update"),
	)},
	Composer: {grammar: composerGrammar, pkg: parseComposer, verbs: merge(
		verbs(ActionInstall, "install", "i", "require", "r", "global require"),
		verbs(ActionRemove, "remove", "rm", "global remove"),
		verbs(ActionUpgrade, "update", "u", "upgrade", "global update"),
		verbs(ActionClean, "clear-cache", "clearcache", "cc"),
	)},
	Cargo: {grammar: cargoGrammar, pkg: parseCargo, versionFlags: []string{"--version", "--vers"}, verbs: merge(
		verbs(ActionInstall, "install"),
		verbs(ActionRemove, "uninstall"),
		verbs(ActionDownload, "fetch"),
	)},
}

// managerAliases maps program base names to managers, beyond the
// managers' own names.
var managerAliases = map[string]Manager{
	"bundler":       Bundle,
	"composer.phar": Composer,
}

// isPipName reports whether base is pip, pip3, pip3.11, pip-3.6, ...
func isPipName(base string) bool {
	rest, ok := strings.CutPrefix(base, "pip")
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "-")
	return rest == "" && !strings.HasSuffix(base, "-") || isVersionSuffix(rest)
}

// isPythonName reports whether base is python, python3, python3.12, ...
func isPythonName(base string) bool {
	rest, ok := strings.CutPrefix(base, "python")
	return ok && (rest == "" || isVersionSuffix(rest))
}

func isVersionSuffix(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// identify finds the package manager run by c. start is the index in
// c.ArgWords where the manager's own arguments begin.
func identify(c *Command) (m Manager, program string, start int, ok bool) {
	base := c.Base()
	if base == "" {
		return "", "", 0, false
	}
	if _, known := managers[Manager(base)]; known {
		return Manager(base), c.Name, 0, true
	}
	if a, known := managerAliases[base]; known {
		return a, c.Name, 0, true
	}
	if isPipName(base) {
		return Pip, c.Name, 0, true
	}
	if isPythonName(base) {
		flags, _ := parseArgs(c.ArgWords, pythonGrammar, nil)
		for _, f := range flags {
			switch f.Name {
			case "-c":
				return "", "", 0, false
			case "-m":
				if f.Value == "pip" && f.ValueWord >= 0 {
					return Pip, c.Name + " -m pip", f.ValueWord + 1, true
				}
				return "", "", 0, false
			}
		}
	}
	return "", "", 0, false
}

// newPackageOp analyses c as a package-manager invocation; nil when it is
// none.
func newPackageOp(s *Script, c *Command) *PackageOp {
	m, program, start, ok := identify(c)
	if !ok {
		return nil
	}
	spec := managers[m]
	words := c.ArgWords[start:]
	flags, opIdx := parseArgs(words, spec.grammar, nil)
	for i := range flags {
		flags[i].Word += start
		if flags[i].ValueWord >= 0 {
			flags[i].ValueWord += start
		}
	}
	op := &PackageOp{Manager: m, Program: program, Command: c, Flags: flags, script: s, goStyle: spec.grammar.GoStyle}
	rest := opIdx
	switch {
	case len(opIdx) >= 2 && spec.verbs[words[opIdx[0]].Value+" "+words[opIdx[1]].Value] != "":
		op.Verb = words[opIdx[0]].Value + " " + words[opIdx[1]].Value
		op.Action = spec.verbs[op.Verb]
		rest = opIdx[2:]
	case len(opIdx) >= 1:
		op.Verb = words[opIdx[0]].Value
		op.Action = spec.verbs[op.Verb]
		if op.Action == "" {
			op.Action = ActionOther
		}
		rest = opIdx[1:]
	case spec.implicit != "" && !op.HasFlag("--version", "-v", "--help", "-h"):
		op.Action = spec.implicit
	default:
		op.Action = ActionOther
	}
	for _, i := range rest {
		op.Operands = append(op.Operands, words[i])
	}
	switch op.Action {
	case ActionInstall, ActionRemove, ActionUpgrade, ActionDownload:
	default:
		return op
	}
	var version, vop string
	for _, f := range flags {
		if f.HasValue && anyMatch(f, spec.versionFlags, false) {
			version, vop = f.Value, f.Name
		}
	}
	for _, i := range rest {
		w := words[i]
		p := spec.pkg(w.Value)
		p.Raw, p.Pos, p.Word, p.Literal = w.Value, w.Pos, i+start, w.Literal
		if p.Version == "" && version != "" && !p.Local && !p.URL {
			p.Version, p.Op = version, vop
		}
		op.Packages = append(op.Packages, p)
	}
	return op
}

// findPackageOps analyses every command of the script.
func (s *Script) findPackageOps() []*PackageOp {
	var ops []*PackageOp
	for _, c := range s.Commands {
		if op := newPackageOp(s, c); op != nil {
			ops = append(ops, op)
		}
	}
	return ops
}

// PackageOps returns every invocation of a known package manager in
// source order, whatever its action (go build and npm run are included
// with ActionOther).
func (s *Script) PackageOps() []*PackageOp { return s.ops }

// PackageOpsFor returns the invocations with the given action ("" for
// any) by any of the given managers (none for any).
func (s *Script) PackageOpsFor(action Action, ms ...Manager) []*PackageOp {
	var out []*PackageOp
	for _, op := range s.ops {
		if op.Is(action, ms...) {
			out = append(out, op)
		}
	}
	return out
}

// Is reports whether the operation has the given action ("" for any) and
// belongs to one of the given managers (none for any).
func (op *PackageOp) Is(action Action, ms ...Manager) bool {
	if action != "" && op.Action != action {
		return false
	}
	if len(ms) == 0 {
		return true
	}
	for _, m := range ms {
		if op.Manager == m {
			return true
		}
	}
	return false
}

// IsAptInstall reports whether the operation is "apt-get install" or
// "apt install" (any install-like verb, e.g. reinstall).
func (op *PackageOp) IsAptInstall() bool {
	return (op.Manager == AptGet || op.Manager == Apt) && op.Action == ActionInstall
}

func (op *PackageOp) flagSet() flagSet { return flagSet{flags: op.Flags, goStyle: op.goStyle} }

// HasFlag reports whether any of the named options is present (same name
// rules as Command.HasFlag, parsed with the manager's grammar).
func (op *PackageOp) HasFlag(names ...string) bool { return op.flagSet().has(names) }

// FlagCount returns how many times the named options occur.
func (op *PackageOp) FlagCount(names ...string) int { return op.flagSet().count(names) }

// FlagValue returns the value of the last occurrence of the named options
// that has one. Only options the manager's grammar knows to take a value,
// or given as --opt=value, have values.
func (op *PackageOp) FlagValue(names ...string) (string, bool) { return op.flagSet().value(names) }

// FlagValues returns the values of every occurrence of the named options.
func (op *PackageOp) FlagValues(names ...string) []string { return op.flagSet().values(names) }

// PackageNames returns the names of the packages.
func (op *PackageOp) PackageNames() []string {
	out := make([]string, len(op.Packages))
	for i, p := range op.Packages {
		out[i] = p.Name
	}
	return out
}

// Env returns the value of environment variable name for the operation
// (see Script.Env).
func (op *PackageOp) Env(name string) (string, bool) { return op.script.Env(op.Command, name) }

// AssumesYes reports whether the operation cannot stop at a confirmation
// prompt:
//
//   - apt-get, apt: -y, --yes, --assume-yes, -o APT::Get::Assume-Yes=true,
//     or a quiet level of 2 or more (-qq, -q -q, -q=2, --quiet=2), which
//     apt documents as implying -y and hadolint's DL3014 accepts; a single
//     -q does not count;
//   - aptitude: -y, --assume-yes;
//   - yum, dnf, microdnf: -y, --assumeyes;
//   - zypper: -n, --non-interactive, -y, --no-confirm;
//   - apk: true unless -i/--interactive;
//   - pip: true, except uninstall without -y/--yes;
//   - composer: -n, --no-interaction;
//   - others (npm, yarn, pnpm, gem, go, bundle, cargo): true, they do not
//     prompt.
func (op *PackageOp) AssumesYes() bool {
	switch op.Manager {
	case AptGet, Apt:
		if op.HasFlag("-y", "--yes", "--assume-yes") || op.aptQuietLevel() >= 2 {
			return true
		}
		for _, v := range op.FlagValues("-o", "--option") {
			if k, val, ok := strings.Cut(v, "="); ok && strings.EqualFold(k, "APT::Get::Assume-Yes") && truthy(val) {
				return true
			}
		}
		return false
	case Aptitude:
		return op.HasFlag("-y", "--assume-yes")
	case Yum, Dnf, Microdnf:
		return op.HasFlag("-y", "--assumeyes")
	case Zypper:
		return op.HasFlag("-n", "--non-interactive", "-y", "--no-confirm")
	case Apk:
		return !op.HasFlag("-i", "--interactive")
	case Pip:
		return op.Action != ActionRemove || op.HasFlag("-y", "--yes")
	case Composer:
		return op.HasFlag("-n", "--no-interaction")
	}
	return true
}

// aptQuietLevel computes apt's quiet level from -q, --quiet, -q=N,
// --quiet=N and -o quiet=N.
func (op *PackageOp) aptQuietLevel() int {
	level := 0
	for _, f := range op.Flags {
		switch f.Name {
		case "-q", "--quiet":
			if f.HasValue {
				if n, err := strconv.Atoi(f.Value); err == nil {
					level = n
				}
				continue
			}
			level++
		case "-o", "--option":
			if k, v, ok := strings.Cut(f.Value, "="); ok && strings.EqualFold(k, "quiet") {
				if n, err := strconv.Atoi(v); err == nil {
					level = n
				}
			}
		}
	}
	return level
}

// NoRecommends reports whether the operation avoids installing
// recommended (weak) dependencies:
//
//   - apt-get, apt: --no-install-recommends, or
//     -o APT::Install-Recommends=false|0|no|off;
//   - aptitude: -R, --without-recommends;
//   - yum, dnf, microdnf: --setopt=install_weak_deps=False|0|no|off;
//   - zypper: --no-recommends.
//
// Other managers report false.
func (op *PackageOp) NoRecommends() bool {
	switch op.Manager {
	case AptGet, Apt:
		if op.HasFlag("--no-install-recommends") {
			return true
		}
		for _, v := range op.FlagValues("-o", "--option") {
			if k, val, ok := strings.Cut(v, "="); ok && strings.EqualFold(k, "APT::Install-Recommends") && falsy(val) {
				return true
			}
		}
	case Aptitude:
		return op.HasFlag("-R", "--without-recommends")
	case Yum, Dnf, Microdnf:
		for _, v := range op.FlagValues("--setopt") {
			if k, val, ok := strings.Cut(v, "="); ok && strings.TrimSpace(k) == "install_weak_deps" && falsy(val) {
				return true
			}
		}
	case Zypper:
		return op.HasFlag("--no-recommends")
	}
	return false
}

// NoCache reports whether the operation keeps no download cache:
// apk --no-cache; pip --no-cache-dir, or PIP_NO_CACHE_DIR set to a true
// value (1, true, yes, on) for the command (its own VAR=x prefix or an
// earlier export in the script). Other managers report false.
func (op *PackageOp) NoCache() bool {
	switch op.Manager {
	case Apk:
		return op.HasFlag("--no-cache")
	case Pip:
		if op.HasFlag("--no-cache-dir") {
			return true
		}
		v, ok := op.Env("PIP_NO_CACHE_DIR")
		return ok && truthy(v)
	}
	return false
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func falsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

// isLocalPath reports whether s looks like a file-system path.
func isLocalPath(s string) bool {
	return s == "." || s == ".." || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") ||
		strings.HasPrefix(s, "../") || strings.HasPrefix(s, "~/")
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func isURL(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "git@")
}

// splitOp splits s at the first run of characters from ops, returning the
// name, the operator run and the rest.
func splitOp(s, ops string) (name, op, rest string) {
	i := strings.IndexAny(s, ops)
	if i <= 0 {
		return s, "", ""
	}
	j := i
	for j < len(s) && strings.IndexByte(ops, s[j]) >= 0 {
		j++
	}
	return s[:i], s[i:j], s[j:]
}

func parseBare(raw string) Package {
	p := Package{Name: raw}
	p.Local = isLocalPath(raw)
	p.URL = isURL(raw)
	return p
}

// parseApt handles pkg, pkg=version, pkg/release and .deb files.
func parseApt(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL || strings.HasSuffix(raw, ".deb") {
		p.Local = !p.URL && (p.Local || strings.HasSuffix(raw, ".deb"))
		return p
	}
	name := raw
	if n, v, ok := strings.Cut(name, "="); ok {
		name, p.Version, p.Op = n, v, "="
	}
	if n, r, ok := strings.Cut(name, "/"); ok {
		name, p.Release = n, r
	}
	p.Name = name
	return p
}

// parseApk handles pkg, pkg=1.2, pkg~1.2, pkg>=1.2, pkg@tag and .apk files.
func parseApk(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL || strings.HasSuffix(raw, ".apk") {
		p.Local = !p.URL && (p.Local || strings.HasSuffix(raw, ".apk"))
		return p
	}
	name, op, rest := splitOp(raw, "=<>~")
	if op != "" {
		p.Op, p.Version = op, rest
	}
	if n, tag, ok := strings.Cut(name, "@"); ok && n != "" {
		name, p.Release = n, tag
	}
	p.Name = name
	return p
}

func isPipNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
}

// parsePip handles PEP 508 requirements: name[extras]<spec>; markers,
// name[extras] @ url direct references, archives, paths and VCS URLs.
func parsePip(raw string) Package {
	p := parseBare(raw)
	s := raw
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && isPipNameChar(s[end]) {
		end++
	}
	name, rest := s[:end], strings.TrimSpace(s[end:])
	var extras []string
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j > 0 {
			for _, e := range strings.Split(rest[1:j], ",") {
				if e = strings.TrimSpace(e); e != "" {
					extras = append(extras, e)
				}
			}
			rest = strings.TrimSpace(rest[j+1:])
		}
	}
	switch {
	case end > 0 && strings.HasPrefix(rest, "@"):
		p.Name, p.Extras, p.Op, p.Version = name, extras, "@", strings.TrimSpace(rest[1:])
		p.URL, p.Local = true, false
		return p
	case p.URL:
		return p
	case p.Local || hasAnySuffix(raw, ".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"):
		p.Local = true
		return p
	case end == 0:
		return p
	}
	p.Name, p.Extras = name, extras
	if rest != "" {
		_, op, v := splitOp("x"+rest, "=<>!~")
		p.Op, p.Version = op, strings.TrimSpace(v)
	}
	return p
}

// parseNpm handles name, name@version, @scope/name@version, tarballs,
// paths, URLs and user/repo shorthands.
func parseNpm(raw string) Package {
	p := parseBare(raw)
	for _, pre := range []string{"github:", "gitlab:", "bitbucket:", "gist:", "file:", "http:", "https:"} {
		if strings.HasPrefix(raw, pre) {
			p.URL = true
		}
	}
	if p.URL || p.Local || hasAnySuffix(raw, ".tgz", ".tar.gz", ".tar") {
		p.Local = !p.URL
		return p
	}
	name := raw
	if at := strings.LastIndexByte(raw, '@'); at > 0 {
		name, p.Version, p.Op = raw[:at], raw[at+1:], "@"
	}
	if !strings.HasPrefix(name, "@") && strings.Contains(name, "/") {
		p.URL = true
		p.Name, p.Version, p.Op = raw, "", ""
		return p
	}
	p.Name = name
	return p
}

// parseGem handles name and name:version.
func parseGem(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL || strings.HasSuffix(raw, ".gem") {
		p.Local = !p.URL && (p.Local || strings.HasSuffix(raw, ".gem"))
		return p
	}
	if n, v, ok := strings.Cut(raw, ":"); ok && n != "" {
		p.Name, p.Version, p.Op = n, v, ":"
	}
	return p
}

// parseGo handles module@version and package patterns.
func parseGo(raw string) Package {
	p := parseBare(raw)
	if p.Local {
		return p
	}
	if at := strings.LastIndexByte(raw, '@'); at > 0 {
		p.Name, p.Version, p.Op = raw[:at], raw[at+1:], "@"
	}
	return p
}

// parseRpm handles yum/dnf name, name-version[-release] and .rpm files.
// A version is split off at the first "-" followed by a digit when what
// follows is one or two dash-separated parts that each start with a digit
// (httpd-2.4.6, httpd-2.4.6-97.el7), so names such as java-11-openjdk stay
// whole.
func parseRpm(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL || strings.HasSuffix(raw, ".rpm") || strings.HasPrefix(raw, "@") {
		p.Local = !p.URL && (p.Local || strings.HasSuffix(raw, ".rpm"))
		return p
	}
	for i := 1; i+1 < len(raw); i++ {
		if raw[i] != '-' || raw[i+1] < '0' || raw[i+1] > '9' {
			continue
		}
		parts := strings.Split(raw[i+1:], "-")
		if len(parts) > 2 {
			continue
		}
		ok := true
		for _, part := range parts {
			if part == "" || part[0] < '0' || part[0] > '9' {
				ok = false
			}
		}
		if ok {
			p.Name, p.Version, p.Op = raw[:i], raw[i+1:], "-"
			return p
		}
	}
	return p
}

// parseZypper handles name, name=1.2, name>=1.2, name<1.2 and .rpm files.
func parseZypper(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL || strings.HasSuffix(raw, ".rpm") {
		p.Local = !p.URL && (p.Local || strings.HasSuffix(raw, ".rpm"))
		return p
	}
	if name, op, rest := splitOp(raw, "=<>"); op != "" {
		p.Name, p.Op, p.Version = name, op, rest
	}
	return p
}

// parseComposer handles vendor/name, vendor/name:constraint and
// vendor/name=constraint.
func parseComposer(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL {
		return p
	}
	if i := strings.IndexAny(raw, ":="); i > 0 {
		p.Name, p.Op, p.Version = raw[:i], raw[i:i+1], raw[i+1:]
	}
	return p
}

// parseCargo handles crate and crate@version.
func parseCargo(raw string) Package {
	p := parseBare(raw)
	if p.Local || p.URL {
		return p
	}
	if at := strings.LastIndexByte(raw, '@'); at > 0 {
		p.Name, p.Version, p.Op = raw[:at], raw[at+1:], "@"
	}
	return p
}
