package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// Debugging and build tool packages (SD403, SD404) and the packages a
// RUN installs or removes.

// packageKeys returns "family:name" keys for the packages an install op
// adds, including an apk --virtual group name.
func packageKeys(op *shell.PackageOp) []string {
	fam := managerFamily(op.Manager)
	var out []string
	for _, n := range op.PackageNames() {
		out = append(out, fam+":"+n)
	}
	if op.Manager == shell.Apk {
		if v, ok := op.FlagValue("--virtual", "-t"); ok {
			out = append(out, fam+":"+v)
		}
	}
	return out
}

// toolInfo describes a package of debugging or build tools.
type toolInfo struct {
	bins  []string
	build bool // a compiler or build tool, used implicitly by native builds
	vcs   bool // git, used implicitly by dependency installs
}

var toolPackages = map[string]toolInfo{
	"vim": {bins: []string{"vim", "vi"}}, "vim-tiny": {bins: []string{"vi", "vim"}}, "vim-nox": {bins: []string{"vim", "vi"}},
	"nano": {bins: []string{"nano"}}, "emacs": {bins: []string{"emacs"}}, "emacs-nox": {bins: []string{"emacs"}},
	"curl": {bins: []string{"curl"}}, "wget": {bins: []string{"wget"}},
	"git":             {bins: []string{"git"}, vcs: true},
	"build-essential": {bins: []string{"gcc", "g++", "make", "cc", "c++"}, build: true},
	"build-base":      {bins: []string{"gcc", "g++", "make", "cc", "c++"}, build: true},
	"gcc":             {bins: []string{"gcc", "cc"}, build: true}, "g++": {bins: []string{"g++", "c++"}, build: true},
	"gcc-c++": {bins: []string{"g++", "c++"}, build: true}, "clang": {bins: []string{"clang"}, build: true},
	"make": {bins: []string{"make"}, build: true}, "cmake": {bins: []string{"cmake"}, build: true},
	"openssh-client": {bins: []string{"ssh", "scp", "sftp"}}, "openssh-clients": {bins: []string{"ssh", "scp", "sftp"}},
	"openssh": {bins: []string{"ssh", "scp", "sftp", "sshd"}}, "telnet": {bins: []string{"telnet"}},
	"net-tools": {bins: []string{"netstat", "ifconfig", "route"}}, "iputils-ping": {bins: []string{"ping"}},
	"iputils": {bins: []string{"ping"}}, "procps": {bins: []string{"ps", "top", "pgrep", "pkill", "free", "watch"}},
	"procps-ng": {bins: []string{"ps", "top", "pgrep", "pkill", "free", "watch"}}, "htop": {bins: []string{"htop"}},
	"strace": {bins: []string{"strace"}}, "gdb": {bins: []string{"gdb"}}, "tcpdump": {bins: []string{"tcpdump"}},
	"dnsutils": {bins: []string{"dig", "nslookup", "host"}}, "bind-tools": {bins: []string{"dig", "nslookup", "host"}},
	"bind-utils": {bins: []string{"dig", "nslookup", "host"}}, "less": {bins: []string{"less"}}, "man-db": {bins: []string{"man"}},
}

func toolPackage(name string) (toolInfo, bool) {
	t, ok := toolPackages[strings.ToLower(name)]
	return t, ok
}

// removedAfter reports whether packages of an install op are removed
// later in the same script, by name or by apk virtual group: pkg alone,
// or any of them when pkg is "".
func removedAfter(rs *edit.Script, op *shell.PackageOp, pkg string) bool {
	fam := managerFamily(op.Manager)
	keys := map[string]bool{}
	if pkg != "" {
		keys[fam+":"+pkg] = true
		if op.Manager == shell.Apk {
			if v, ok := op.FlagValue("--virtual", "-t"); ok {
				keys[fam+":"+v] = true
			}
		}
	} else {
		for _, k := range packageKeys(op) {
			keys[k] = true
		}
	}
	for _, o := range rs.PackageOps() {
		if o.Action != shell.ActionRemove || o.Command.Index < op.Command.Index {
			continue
		}
		for _, pk := range o.Packages {
			if keys[managerFamily(o.Manager)+":"+pk.Name] {
				return true
			}
		}
	}
	return false
}
