package plan

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// What the build commands of a stage use: which of the distribution
// packages it installs a build stage needs, and which only the running
// container does (or nothing at all). A package counts as used by the
// build when a RUN runs one of its commands, or implicitly: a compiler,
// build tool or header package when something compiles or installs
// native dependencies, a version-control client when dependencies are
// fetched, a language's package manager when it runs.

// toolCommands are the commands of the debugging, network and build tool
// packages whose use the build can be judged by; packages not listed
// provide the command of their own name, if any.
var toolCommands = map[string][]string{
	"curl": {"curl"}, "wget": {"wget"}, "git": {"git"}, "subversion": {"svn"}, "mercurial": {"hg"},
	"vim": {"vim", "vi"}, "vim-tiny": {"vi", "vim"}, "nano": {"nano"}, "less": {"less"}, "htop": {"htop"},
	"strace": {"strace"}, "gdb": {"gdb"}, "tcpdump": {"tcpdump"}, "telnet": {"telnet"},
	"net-tools": {"netstat", "ifconfig", "route"}, "iputils-ping": {"ping"}, "dnsutils": {"dig", "nslookup", "host"},
	"bind-tools": {"dig", "nslookup", "host"}, "procps": {"ps", "top", "pgrep", "pkill", "free"},
	"openssh-client": {"ssh", "scp", "sftp"}, "unzip": {"unzip"}, "zip": {"zip"}, "jq": {"jq"},
	"gnupg": {"gpg"}, "dirmngr": {"dirmngr"}, "patch": {"patch"}, "xz-utils": {"xz", "unxz"}, "bzip2": {"bzip2"},
	"busybox": {"busybox"}, "file": {"file"}, "rsync": {"rsync"},
}

// debugTools are packages no build step uses unless it runs them.
var debugTools = map[string]bool{
	"vim": true, "vim-tiny": true, "nano": true, "less": true, "htop": true, "strace": true, "gdb": true,
	"tcpdump": true, "telnet": true, "net-tools": true, "iputils-ping": true, "dnsutils": true, "bind-tools": true,
	"procps": true, "openssh-client": true, "curl": true, "wget": true,
}

// compileTools are compilers, build systems and the packages that carry
// them: used whenever something compiles or installs native code.
var compileTools = map[string]bool{
	"gcc": true, "g++": true, "cpp": true, "clang": true, "make": true, "cmake": true, "ninja-build": true,
	"build-essential": true, "build-base": true, "alpine-sdk": true, "autoconf": true, "automake": true,
	"libtool": true, "pkg-config": true, "pkgconf": true, "musl-dev": true, "libc6-dev": true,
	"linux-headers": true, "python3-dev": true, "python-dev": true, "node-gyp": true, "patch": true,
}

// buildUse is what the build commands of a stage run, for usedByBuild.
type buildUse struct {
	cmds     map[string]bool // commands the RUNs run (base names), package managers' installs excluded
	compiles bool            // something compiles or installs native code
	fetches  bool            // dependencies are fetched (git may serve them)
}

// stageUse collects what the RUNs of st run besides installing
// distribution packages.
func stageUse(p *pass, st *dockerfile.Stage) buildUse {
	u := buildUse{cmds: map[string]bool{}}
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range p.Shell(in) {
			ops := map[*shell.Command]*shell.PackageOp{}
			for _, op := range rs.PackageOps() {
				ops[op.Command] = op
			}
			for _, c := range rs.Commands {
				if c.IsAssignment() {
					continue
				}
				op := ops[c]
				if op == nil || !systemManager(op.Manager) {
					u.cmds[c.Base()] = true
					for _, a := range c.Args {
						// sh -c "...", xargs X, find -exec X.
						if c.Is("sh", "bash", "xargs", "find", "env") {
							u.cmds[path.Base(a)] = true
						}
					}
				}
				switch {
				case c.Is("make", "gmake", "cmake", "ninja", "meson", "gcc", "cc", "g++", "c++", "clang", "clang++", "node-gyp") ||
					path.Base(c.Name) == "configure" || c.HasArgs("setup.py"):
					u.compiles = true
				case c.Is("go") && c.HasArgs("build", "install", "get", "run", "test", "generate"):
					// Modules missing from the cache are fetched, by
					// git for a private or direct one.
					u.compiles, u.fetches = true, true
				}
				if op == nil {
					continue
				}
				switch op.Manager {
				case shell.Pip:
					if op.Action == shell.ActionInstall || op.Action == shell.ActionDownload {
						// Native extensions may be built; only a
						// requirements file or a VCS URL clones.
						u.compiles = true
						u.fetches = u.fetches || len(op.FlagValues("-r", "--requirement")) > 0 || !namedPackages(op) ||
							strings.Contains(c.Text, "git+") || strings.Contains(c.Text, "hg+") || strings.Contains(c.Text, "svn+")
					}
				case shell.Npm, shell.Yarn, shell.Pnpm, shell.Gem, shell.Bundle, shell.Cargo, shell.Composer:
					if op.Action == shell.ActionInstall || op.Action == shell.ActionDownload {
						// Native extensions may be built, and VCS
						// dependencies cloned.
						u.compiles, u.fetches = true, true
					}
				case shell.Go:
					if op.Action == shell.ActionInstall || op.Action == shell.ActionDownload {
						u.fetches = true
					}
				}
			}
		}
	}
	return u
}

// usedByBuild reports whether the build needs the distribution package
// name (see the top of the file). A package the build cannot be judged
// to do without (a library, something unknown) counts as used unless
// runtimeOnly says the running container is what runs it.
func (u buildUse) usedByBuild(name string, runtimeCmds map[string]bool) bool {
	n, _, _ := strings.Cut(name, "=")
	if cmds, ok := toolCommands[n]; ok {
		for _, c := range cmds {
			if u.cmds[c] {
				return true
			}
		}
		switch n {
		case "git", "subversion", "mercurial":
			return u.fetches
		case "curl", "wget", "ca-certificates":
			// Fetching dependencies over HTTPS needs no curl, but a
			// build script may call it: only a known unused tool goes.
			return !debugTools[n]
		}
		if debugTools[n] || n == "jq" || n == "busybox" {
			return false
		}
		return true
	}
	if compileTools[n] || strings.HasSuffix(n, "-dev") || strings.HasSuffix(n, "-devel") {
		return u.compiles || u.cmds[n]
	}
	switch {
	case n == "python3-pip" || n == "py3-pip" || n == "python-pip":
		return u.cmds["pip"] || u.cmds["pip3"] || u.cmds["python3"] || u.cmds["python"]
	case n == "npm":
		return u.cmds["npm"] || u.cmds["npx"]
	case n == "yarnpkg":
		return u.cmds["yarn"] || u.cmds["yarnpkg"]
	case n == "golang" || n == "golang-go" || strings.HasPrefix(n, "golang-1"):
		return u.cmds["go"]
	case n == "maven":
		return u.cmds["mvn"]
	case n == "gradle":
		return u.cmds["gradle"]
	}
	// A program only the container runs (busybox for httpd, say), and
	// no build step: the build does without it.
	if runtimeCmds[n] && !u.cmds[n] && !strings.HasPrefix(n, "lib") {
		return false
	}
	return true
}
