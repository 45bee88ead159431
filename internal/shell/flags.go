package shell

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Grammar describes the command-line option syntax of a program: which
// options consume a value. Options not listed are treated as booleans.
//
// By default options follow POSIX/GNU conventions: short options may be
// clustered (-qy is -q -y), a value-taking short option takes the rest of
// its word or the next word (-ofile, -o file; apt's -o=file also works),
// long options take "--name=value" or, when listed in LongValue,
// "--name value". Options may appear anywhere among the operands (GNU
// permutation) until a "--" word.
type Grammar struct {
	// ShortValue lists the single-letter options that take a value, e.g.
	// "otc" for apt-get's -o, -t and -c.
	ShortValue string
	// LongValue lists the long options, without leading dashes, that take
	// a value, e.g. "target-release". With GoStyle it lists the
	// value-taking names of single-dash options ("tags", "o").
	LongValue []string
	// OptionalShort lists single-letter options whose value is optional
	// and, when present, attached to the letter (xargs -i, sed -i.bak).
	OptionalShort string
	// GoStyle selects Go flag-package syntax: "-name" and "--name" are the
	// same option, clustering does not exist and "-name=value" or
	// "-name value" (for value-taking names) give a value.
	GoStyle bool
	// StopAtOperand ends option parsing at the first operand (POSIX
	// utility syntax, as used by wrappers such as sudo and env).
	StopAtOperand bool
}

func (g *Grammar) shortTakesValue(c rune) bool {
	return g != nil && c < 128 && strings.ContainsRune(g.ShortValue, c)
}

func (g *Grammar) shortOptional(c rune) bool {
	return g != nil && c < 128 && strings.ContainsRune(g.OptionalShort, c)
}

func (g *Grammar) longTakesValue(name string) bool {
	return g != nil && slices.Contains(g.LongValue, name)
}

// Flag is one option found in a command's arguments.
type Flag struct {
	// Name is the option with its dashes: "-y", "--yes"; for a GoStyle
	// grammar always a single dash ("-tags"). A cluster such as -qy
	// yields one Flag per letter.
	Name string
	// Value is the option's value when HasValue is set. For words that
	// are not literal it is the raw source text.
	Value string
	// HasValue reports whether the option was given a value.
	HasValue bool
	// Word is the index in Command.ArgWords of the word holding the option
	// (also for PackageOp.Flags and Command.ParseArgs).
	Word int
	// ValueWord is the index of the word holding the value: Word when the
	// value is attached (-ofoo, --o=foo), Word+1 when separate, -1 when
	// there is no value.
	ValueWord int
	// Literal is false when the option word or its value word is not
	// fully literal.
	Literal bool

	// text is the whole option word ("-qq"); used to match single-dash
	// multi-letter names literally.
	text string
}

// parseArgs splits words into options and operands following g. extra
// names (as accepted by HasFlag: "-o", "--out", "tags") are additionally
// treated as taking a value. It returns the flags and the indexes of
// operand words.
func parseArgs(words []Word, g *Grammar, extra []string) (flags []Flag, operands []int) {
	goStyle := g != nil && g.GoStyle
	stop := g != nil && g.StopAtOperand
	takesShort := func(c rune) bool {
		if g.shortTakesValue(c) {
			return true
		}
		for _, e := range extra {
			if len(e) == 2 && e[0] == '-' && rune(e[1]) == c {
				return true
			}
		}
		return false
	}
	takesLong := func(name string) bool {
		if g.longTakesValue(name) {
			return true
		}
		for _, e := range extra {
			bare := strings.TrimLeft(e, "-")
			if bare == name && (strings.HasPrefix(e, "--") || goStyle) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		s := w.Value
		if s == "--" {
			for j := i + 1; j < len(words); j++ {
				operands = append(operands, j)
			}
			return flags, operands
		}
		if len(s) < 2 || s[0] != '-' {
			operands = append(operands, i)
			if stop {
				for j := i + 1; j < len(words); j++ {
					operands = append(operands, j)
				}
				return flags, operands
			}
			continue
		}
		if goStyle || strings.HasPrefix(s, "--") {
			body := strings.TrimPrefix(s[1:], "-")
			name, val, hasEq := strings.Cut(body, "=")
			prefix := "--"
			if goStyle {
				prefix = "-"
			}
			f := Flag{Name: prefix + name, Word: i, ValueWord: -1, Literal: w.Literal, text: s}
			switch {
			case hasEq:
				f.Value, f.HasValue, f.ValueWord = val, true, i
			case takesLong(name) && i+1 < len(words):
				i++
				f.Value, f.HasValue, f.ValueWord = words[i].Value, true, i
				f.Literal = f.Literal && words[i].Literal
			}
			flags = append(flags, f)
			continue
		}
		// Short option cluster; rest is always a substring of s, so long
		// clusters stay linear.
		body := s[1:]
		for off := 0; off < len(body); {
			c, size := utf8.DecodeRuneInString(body[off:])
			if !w.Literal && strings.ContainsRune("$`\"'\\{(", c) {
				break // the rest of the word is an expansion
			}
			rest := body[off+size:]
			f := Flag{Name: "-" + string(c), Word: i, ValueWord: -1, Literal: w.Literal, text: s}
			off += size
			switch {
			case takesShort(c):
				if rest != "" {
					f.Value, f.HasValue, f.ValueWord = strings.TrimPrefix(rest, "="), true, i
				} else if i+1 < len(words) {
					i++
					f.Value, f.HasValue, f.ValueWord = words[i].Value, true, i
					f.Literal = f.Literal && words[i].Literal
				}
				off = len(body)
			case g.shortOptional(c) && rest != "":
				f.Value, f.HasValue, f.ValueWord = rest, true, i
				off = len(body)
			case strings.HasPrefix(rest, "="):
				// apt-style -q=2: boolean letter with an explicit value.
				f.Value, f.HasValue, f.ValueWord = rest[1:], true, i
				off = len(body)
			}
			flags = append(flags, f)
		}
	}
	return flags, operands
}

// normalizeFlagName turns a query name into the canonical form used in
// Flag.Name: "y" -> "-y", "yes" -> "--yes"; names with dashes are kept.
func normalizeFlagName(q string) string {
	switch {
	case strings.HasPrefix(q, "-"):
		return q
	case len(q) == 1:
		return "-" + q
	default:
		return "--" + q
	}
}

// flagMatches reports whether f matches the query name q (see HasFlag).
func flagMatches(f Flag, q string, goStyle bool) bool {
	if goStyle {
		return strings.TrimLeft(f.Name, "-") == strings.TrimLeft(q, "-")
	}
	q = normalizeFlagName(q)
	if len(q) > 2 && q[1] != '-' {
		// Single-dash multi-letter name such as -qq: match the option
		// word literally (also "-qq=..." forms).
		return f.text == q || strings.HasPrefix(f.text, q+"=")
	}
	return f.Name == q
}

// anyMatch reports whether f matches any of the names.
func anyMatch(f Flag, names []string, goStyle bool) bool {
	for _, n := range names {
		if flagMatches(f, n, goStyle) {
			return true
		}
	}
	return false
}

// flagSet is a parsed option list with the query helpers shared by
// Command and PackageOp.
type flagSet struct {
	flags   []Flag
	goStyle bool
}

func (fs flagSet) has(names []string) bool {
	for _, f := range fs.flags {
		if anyMatch(f, names, fs.goStyle) {
			return true
		}
	}
	return false
}

func (fs flagSet) count(names []string) int {
	n := 0
	for _, f := range fs.flags {
		if anyMatch(f, names, fs.goStyle) {
			n++
		}
	}
	return n
}

func (fs flagSet) values(names []string) []string {
	var out []string
	for _, f := range fs.flags {
		if f.HasValue && anyMatch(f, names, fs.goStyle) {
			out = append(out, f.Value)
		}
	}
	return out
}

func (fs flagSet) value(names []string) (string, bool) {
	vs := fs.values(names)
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// grammars holds the option grammars of programs the package knows. It is
// read-only after initialisation.
var grammars = map[string]*Grammar{
	"apt-get":  aptGrammar,
	"apt":      aptGrammar,
	"aptitude": {ShortValue: "otFwO", LongValue: []string{"option", "target-release", "default-release", "display-format", "width", "sort", "add-user-tag", "add-user-tag-to", "remove-user-tag", "remove-user-tag-from", "log-file", "log-level", "log-resolver", "show-summary", "autoclean-on-startup", "clean-on-startup", "group-by", "show-package-names", "arch-only", "allow-untrusted"}},
	"apk":      apkGrammar,
	"pip":      pipGrammar,
	"npm":      npmGrammar,
	"yarn":     yarnGrammar,
	"pnpm":     pnpmGrammar,
	"gem":      gemGrammar,
	"go":       goGrammar,
	"yum":      yumGrammar,
	"dnf":      dnfGrammar,
	"microdnf": dnfGrammar,
	"zypper":   zypperGrammar,
	"bundle":   bundleGrammar,
	"bundler":  bundleGrammar,
	"composer": composerGrammar,
	"cargo":    cargoGrammar,
	"rm":       {},
	"curl": {ShortValue: "AbcCdDeEFHKmoQrtTuUwxXyYz", LongValue: []string{
		"output", "header", "data", "data-raw", "data-binary", "data-urlencode", "request", "user", "user-agent",
		"referer", "max-time", "retry", "retry-delay", "retry-max-time", "write-out", "upload-file", "form", "cookie",
		"cookie-jar", "config", "proxy", "range", "continue-at", "cert", "cacert", "capath", "connect-timeout",
		"dump-header", "output-dir", "proto", "proto-redir", "resolve", "interface", "key", "limit-rate", "max-filesize",
		"netrc-file", "oauth2-bearer", "pass", "quote", "tlsv1", "trace", "trace-ascii", "url", "expect100-timeout"}},
	"wget": {ShortValue: "OoaPtTUeiBlAR", LongValue: []string{
		"output-document", "output-file", "append-output", "directory-prefix", "tries", "timeout", "user-agent",
		"execute", "input-file", "base", "level", "accept", "reject", "header", "user", "password", "http-user",
		"http-password", "ca-certificate", "ca-directory", "certificate", "private-key", "post-data", "post-file",
		"method", "body-data", "body-file", "wait", "waitretry", "limit-rate", "bind-address", "dns-timeout",
		"connect-timeout", "read-timeout", "quota", "restrict-file-names", "secure-protocol"}},
	"useradd":  {ShortValue: "bcdefgGkKpRPsuU", LongValue: []string{"base-dir", "comment", "home-dir", "expiredate", "inactive", "gid", "groups", "skel", "key", "password", "root", "prefix", "shell", "uid", "selinux-user", "btrfs-subvolume"}},
	"groupadd": {ShortValue: "gKpPR", LongValue: []string{"gid", "key", "password", "prefix", "root", "users"}},
	"usermod":  {ShortValue: "cdefgGlpPRsuU", LongValue: []string{"comment", "home", "expiredate", "inactive", "gid", "groups", "login", "password", "prefix", "root", "shell", "uid", "add-subuids", "del-subuids", "add-subgids", "del-subgids"}},
	"adduser":  {ShortValue: "hgsGuk", LongValue: []string{"home", "shell", "uid", "gid", "gecos", "ingroup", "conf", "firstuid", "lastuid", "firstgid", "lastgid", "comment", "add-extra-groups"}},
	"addgroup": {ShortValue: "g", LongValue: []string{"gid", "conf", "firstgid", "lastgid"}},
	"tar":      {ShortValue: "fCTXbIHKLNgV", LongValue: []string{"file", "directory", "files-from", "exclude-from", "exclude", "blocking-factor", "use-compress-program", "format", "newer", "after-date", "owner", "group", "mode", "mtime", "strip-components", "transform", "xform", "listed-incremental", "label", "tape-length", "starting-file", "index-file", "checkpoint-action", "record-size", "warning", "sort"}},
	"cp":       {ShortValue: "St", LongValue: []string{"suffix", "target-directory", "backup", "sparse", "reflink", "preserve", "no-preserve"}},
	"mv":       {ShortValue: "St", LongValue: []string{"suffix", "target-directory", "backup"}},
	"ln":       {ShortValue: "St", LongValue: []string{"suffix", "target-directory", "backup"}},
	"install":  {ShortValue: "gmoStC", LongValue: []string{"group", "mode", "owner", "suffix", "target-directory", "strip-program", "backup", "context"}},
	"mkdir":    {ShortValue: "mZ", LongValue: []string{"mode", "context"}},
	"chown":    {LongValue: []string{"from", "reference"}},
	"chmod":    {LongValue: []string{"reference"}},
	"sed":      {ShortValue: "efl", OptionalShort: "iE", LongValue: []string{"expression", "file", "line-length"}},
	"git":      {ShortValue: "Cc", LongValue: []string{"git-dir", "work-tree", "namespace", "exec-path", "config-env", "depth", "branch", "origin", "reference", "separate-git-dir", "template", "upload-pack", "jobs", "filter", "shallow-since", "shallow-exclude"}},
	"set":      {ShortValue: "o"},
	"cd":       {},
	"python":   pythonGrammar,
}

var aptGrammar = &Grammar{
	ShortValue: "octa",
	LongValue:  []string{"option", "config-file", "target-release", "default-release", "host-architecture", "build-profiles", "arch-only", "solver"},
}

var apkGrammar = &Grammar{
	ShortValue: "Xtp",
	LongValue: []string{"repository", "virtual", "root", "arch", "keys-dir", "repositories-file", "cache-dir",
		"cache-max-age", "timeout", "wait", "progress-fd", "from", "force-binary-stdout", "output", "print-arch"},
}

var pipGrammar = &Grammar{
	ShortValue: "rceitfdbC",
	LongValue: []string{"requirement", "constraint", "editable", "index-url", "extra-index-url", "target", "prefix",
		"root", "find-links", "trusted-host", "cache-dir", "platform", "python-version", "implementation", "abi",
		"src", "upgrade-strategy", "progress-bar", "log", "log-file", "proxy", "retries", "timeout", "exists-action",
		"cert", "client-cert", "no-binary", "only-binary", "python", "config-settings", "global-option",
		"install-option", "build-option", "report", "keyring-provider", "root-user-action", "use-feature",
		"use-deprecated", "dest", "format", "build", "wheel-dir", "group", "resume-retries"},
}

var pythonGrammar = &Grammar{ShortValue: "cmWXQ", LongValue: []string{"check-hash-based-pycs"}, StopAtOperand: true}

var npmGrammar = &Grammar{
	ShortValue: "wC",
	LongValue: []string{"prefix", "registry", "cache", "workspace", "tag", "userconfig", "globalconfig", "loglevel",
		"omit", "include", "install-strategy", "only", "scope", "otp", "access", "location", "before", "cpu", "os",
		"libc", "fetch-retries", "fetch-timeout", "script-shell", "save-prefix", "install-links", "auth-type"},
}

var yarnGrammar = &Grammar{
	LongValue: []string{"cwd", "modules-folder", "cache-folder", "registry", "network-timeout", "mutex",
		"global-folder", "link-folder", "use-yarnrc", "network-concurrency", "preferred-cache-folder",
		"production", "https-proxy", "proxy", "otp", "mode", "link-duplicates"},
}

var pnpmGrammar = &Grammar{
	ShortValue: "CF",
	LongValue: []string{"dir", "filter", "store-dir", "registry", "reporter", "prefix", "virtual-store-dir",
		"modules-dir", "config", "loglevel", "workspace-root", "network-concurrency", "child-concurrency",
		"package-import-method", "node-linker", "lockfile-dir", "cpu", "os", "libc"},
}

var gemGrammar = &Grammar{
	ShortValue:    "vinP",
	OptionalShort: "gp",
	LongValue: []string{"version", "install-dir", "bindir", "source", "platform", "trust-policy", "build-root",
		"without", "file", "target-rbconfig", "config-file", "document", "http-proxy", "format-executable-prefix"},
}

var goGrammar = &Grammar{
	GoStyle: true,
	LongValue: []string{"o", "C", "tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "overlay", "p", "pkgdir",
		"toolexec", "buildmode", "compiler", "gccgoflags", "installsuffix", "pgo", "exec", "covermode", "coverpkg",
		"coverprofile", "run", "bench", "count", "timeout", "cpu", "parallel", "json", "debug-actiongraph",
		"debug-trace", "debug-runtime-trace", "reuse", "fuzz", "fuzztime", "skip", "outputdir", "vet"},
}

var yumGrammar = &Grammar{
	ShortValue: "cdeRx",
	LongValue: []string{"enablerepo", "disablerepo", "installroot", "releasever", "config", "setopt", "exclude",
		"debuglevel", "errorlevel", "randomwait", "repo", "repoid", "color", "downloaddir", "destdir", "rpmverbosity",
		"enableplugin", "disableplugin", "forcearch", "comment", "advisory", "cve", "bz", "sec-severity",
		"secseverity", "bugfix", "security"},
}

var dnfGrammar = &Grammar{
	ShortValue: "cdeRx",
	LongValue: []string{"enablerepo", "disablerepo", "installroot", "releasever", "config", "setopt", "exclude",
		"debuglevel", "errorlevel", "randomwait", "repo", "repoid", "color", "downloaddir", "destdir", "rpmverbosity",
		"enableplugin", "disableplugin", "forcearch", "comment", "advisory", "advisories", "cve", "bz",
		"sec-severity", "secseverity", "repofrompath", "use-host-config", "from-repo"},
}

var zypperGrammar = &Grammar{
	ShortValue: "cRDCrt",
	LongValue: []string{"config", "root", "reposd-dir", "cache-dir", "raw-cache-dir", "solv-cache-dir",
		"pkg-cache-dir", "repo", "from", "type", "download", "name", "capability", "userdata", "installroot",
		"releasever", "plus-repo", "plus-content", "allow-vendor-change"},
}

var bundleGrammar = &Grammar{
	ShortValue: "jv",
	LongValue: []string{"jobs", "retry", "path", "without", "with", "gemfile", "binstubs", "shebang", "standalone",
		"trust-policy", "version", "group", "source", "git", "branch", "ref", "github", "glob", "target-rbconfig"},
}

var composerGrammar = &Grammar{
	ShortValue: "d",
	LongValue: []string{"working-dir", "prefer-install", "ignore-platform-req", "audit-format", "apcu-autoloader-prefix",
		"repository", "repository-url", "stability", "minimum-stability"},
}

var cargoGrammar = &Grammar{
	ShortValue: "jFZ",
	LongValue: []string{"version", "vers", "root", "git", "branch", "tag", "rev", "path", "features", "jobs",
		"target", "target-dir", "profile", "bin", "example", "registry", "index", "config", "manifest-path",
		"color", "message-format"},
}
