package plan

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Base changes: a base past its end of life moved to the supported
// successor of its family (MoveBase, SD103), and a distribution that
// installs Python with its package manager moved to the official
// python image (PythonImage, SD101). Both are planned on the whole file
// before the other rewrites (edit.Fix.Order -1): what a build stage or a
// runtime stage needs depends on the base.

// BaseMove is a change of base image MoveBase writes.
type BaseMove struct {
	// From and To are the images, as written and as they become.
	From, To string
	// Distribution is true when the move changes the operating system
	// release (Debian, Ubuntu, Alpine), whose package names and
	// versions change with it; false for a language image (python,
	// node, golang) or a replacement of a deprecated image of the same
	// version (openjdk → eclipse-temurin).
	Distribution bool
	// Language names the language of a language image ("python",
	// "node", "golang"), "" otherwise.
	Language string
	// Names are the words that name the old release (its version and
	// codename): a build that writes them (an apt source, a download)
	// is bound to it.
	Names []string
	// ExternallyManaged: the new release's system Python refuses pip
	// installs outside a virtual environment (PEP 668) and the old
	// one's did not.
	ExternallyManaged bool
	// MajorJump is how many major versions a Node.js move skips (24
	// from 18: 6).
	MajorJump int
	// Why says what ended and what the new base is supported until,
	// for the fix's message.
	Why string
}

// MoveBase changes the base of st (the root of the final image's chain)
// from mv.From to mv.To. It declines, with the reason, when the build may
// not work on the new release:
//
//   - a RUN names the old release (an apt source, a PPA, a download for
//     "focal"), adds apt sources or keys, or installs .deb files;
//   - for a distribution: a package is pinned to a version (the old
//     release's), or its name carries a version (libssl1.1,
//     openjdk-11-jre, gcc-9: names that change between releases); pip
//     installs into the system Python and the new release refuses that
//     (PEP 668);
//   - for Python: a package pinned to a version (which may have no build
//     for the new Python); for Node.js: package.json's engines ask for
//     another version.
func MoveBase(src Input, st *dockerfile.Stage, mv BaseMove) *edit.Fix {
	p := newPass(src)
	if st == nil || mv.To == "" || mv.To == st.BaseRaw || dockerfile.HasVariable(st.BaseRaw) {
		return nil
	}
	stages := descendants(p.File, st)
	if why := releaseBound(p, stages, mv.Names); why != "" {
		return edit.Decline(why)
	}
	// A language image moves its distribution too: what the build
	// installs must keep its name there as well.
	if why := distroPackagesKnown(p, stages, mv.To); why != "" {
		return edit.Decline(why)
	}
	if mv.Distribution {
		if why := distroPackagesPortable(p, stages); why != "" {
			return edit.Decline(why)
		}
		if mv.ExternallyManaged {
			if why := systemPip(p, stages); why != "" {
				return edit.Decline(why + ", which " + mv.To + "'s Python refuses outside a virtual environment (PEP 668)")
			}
		}
	}
	switch mv.Language {
	case "python":
		if why := pinnedPython(p, stages); why != "" {
			return edit.Decline(why)
		}
	case "node":
		if mv.MajorJump > 2 {
			return edit.Decline(fmt.Sprintf("%s skips %d major versions of Node.js, whose breaking changes (OpenSSL 3, removed APIs, engines checks) older build tools and dependencies do not survive", mv.To, mv.MajorJump))
		}
		if why := nodeEngines(p); why != "" {
			return edit.Decline(why)
		}
	}
	if strings.HasPrefix(mv.To, "eclipse-temurin:") || strings.Contains(mv.To, "/eclipse-temurin:") {
		for _, s := range stages {
			for _, in := range s.Instructions {
				if strings.Contains(in.Original, "/usr/lib/jvm") || in.Cmd == "env" && strings.Contains(in.Original, "JAVA_HOME") {
					return edit.Decline(fmt.Sprintf("line %d names the Java installation's path, which eclipse-temurin keeps elsewhere (/opt/java/openjdk)", in.StartLine))
				}
			}
		}
	}
	pos, end, ok := baseSpan(p.File, st)
	if !ok {
		return edit.Decline("the base image's reference cannot be located in the FROM line")
	}
	return &edit.Fix{
		Message:    fmt.Sprintf("move the base from %s to %s: %s", st.BaseRaw, mv.To, mv.Why),
		Unsafe:     true,
		Structural: true,
		Order:      -1,
		Edits:      []edit.TextEdit{{Pos: pos, End: end, NewText: mv.To}},
	}
}

// pythonPackages are the distribution packages of the Python
// interpreter and its tools, which the official python image has.
var pythonPackages = map[string]bool{
	"python3": true, "python3-pip": true, "python3-venv": true, "python3-dev": true, "python3-setuptools": true,
	"python3-wheel": true, "python3-distutils": true, "python-is-python3": true, "python3-minimal": true,
	"python3-full": true, "libpython3-dev": true,
}

// PythonImage is SD101's fix for an image that installs Python with the
// distribution's package manager on a Debian or Ubuntu base: the base
// becomes image (the official python image, python:X.Y-slim) and the
// Python packages leave the installs (pip, venv and the headers come
// with it). version is the Python the new image has; distroVersion the
// one the distribution's package had ("" when unknown). It declines when
// the image would not run the same way:
//
//   - Python libraries come from the distribution (python3-flask): the
//     python image's interpreter does not see them;
//   - a specific interpreter build is installed (python3.11, deadsnakes),
//     or a path of the distribution's Python is used (/usr/lib/python3,
//     dist-packages);
//   - another package may not exist on the image's Debian (see
//     MoveBase) or the build adds apt sources;
//   - the Python version changes and pip installs pinned versions.
func PythonImage(src Input, st *dockerfile.Stage, image, version, distroVersion, why string) *edit.Fix {
	p := newPass(src)
	f := p.File
	if st == nil || image == "" || dockerfile.HasVariable(st.BaseRaw) || st.Base.Digest != "" {
		return nil
	}
	stages := descendants(f, st)
	if len(stages) != 1 {
		return edit.Decline("other stages are built on this base")
	}
	drop := map[string]bool{}
	var dropped []string
	for _, in := range st.Instructions {
		if in.Cmd == "env" || in.Cmd == "arg" {
			for _, kv := range in.Pairs() {
				if strings.Contains(kv[1], "/usr/lib/python") || strings.Contains(kv[1], "dist-packages") {
					return edit.Decline(fmt.Sprintf("%s %s names the distribution's Python", strings.ToUpper(in.Cmd), kv[0]))
				}
			}
		}
		if in.Cmd != "run" {
			continue
		}
		if strings.Contains(in.Original, "/usr/lib/python") || strings.Contains(in.Original, "dist-packages") {
			return edit.Decline(fmt.Sprintf("the RUN on line %d uses the distribution's Python directories", in.StartLine))
		}
		for _, op := range packageOps(p, in) {
			if !systemManager(op.Manager) || op.Action != shell.ActionInstall {
				continue
			}
			if op.Manager != shell.AptGet && op.Manager != shell.Apt {
				return edit.Decline("the base is not Debian or Ubuntu")
			}
			for _, n := range op.PackageNames() {
				switch {
				case pythonPackages[n]:
					if !drop[n] {
						drop[n] = true
						dropped = append(dropped, n)
					}
				case strings.HasPrefix(n, "python3.") || strings.HasPrefix(n, "python3-") || strings.HasPrefix(n, "python-"):
					return edit.Decline(fmt.Sprintf("%s comes from the distribution's Python packages, which the python image's interpreter does not load", n))
				}
			}
		}
	}
	if !drop["python3"] && !drop["python3-minimal"] && !drop["python3-full"] {
		return edit.Decline("the image does not install the python3 package")
	}
	if why := releaseBound(p, stages, nil); why != "" {
		return edit.Decline(why)
	}
	if why := distroPackagesPortable(p, stages); why != "" {
		return edit.Decline(why)
	}
	if version != distroVersion {
		if why := pinnedPython(p, stages); why != "" {
			return edit.Decline(why)
		}
	}
	pos, end, ok := baseSpan(f, st)
	if !ok {
		return edit.Decline("the base image's reference cannot be located in the FROM line")
	}
	edits := []edit.TextEdit{{Pos: pos, End: end, NewText: image}}
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		e, why := removePackages(p, in, drop)
		if why != "" {
			return edit.Decline(why)
		}
		edits = append(edits, e...)
	}
	change := "Python " + version
	if distroVersion != "" && distroVersion != version {
		change = fmt.Sprintf("Python %s instead of %s", version, distroVersion)
	}
	msg := fmt.Sprintf("build on %s instead of %s: the official image has %s with pip on a slim Debian, so %s %s the installs", image, st.BaseRaw, change, vocab.JoinAnd(dropped), plural(len(dropped), "leaves", "leave"))
	if why != "" {
		msg += "; " + why
	}
	return &edit.Fix{Message: msg, Unsafe: true, Structural: true, Order: -1, Edits: edits}
}

// knownPackages are distribution packages checked to keep their names
// in the supported Debian (bookworm, trixie), Ubuntu (22.04, 24.04) and
// Alpine (3.22, 3.23) releases: tools, compilers, headers and runtimes
// common in images. A package outside the list may have been renamed or
// removed (Debian removes packages between releases), so a move of the
// base is not offered.
var knownPackages = map[string]bool{
	// Debian and Ubuntu.
	"ca-certificates": true, "curl": true, "wget": true, "git": true, "gnupg": true, "dirmngr": true, "unzip": true,
	"zip": true, "xz-utils": true, "bzip2": true, "tar": true, "gzip": true, "procps": true, "tzdata": true,
	"locales": true, "sudo": true, "less": true, "vim": true, "nano": true, "jq": true, "file": true,
	"openssh-client": true, "rsync": true, "make": true, "gcc": true, "g++": true, "cpp": true, "build-essential": true,
	"pkg-config": true, "autoconf": true, "automake": true, "libtool": true, "cmake": true, "ninja-build": true,
	"python3": true, "python3-pip": true, "python3-venv": true, "python3-dev": true, "python3-setuptools": true,
	"python3-wheel": true, "libpq-dev": true, "libffi-dev": true, "libssl-dev": true, "zlib1g-dev": true,
	"libxml2-dev": true, "libxslt1-dev": true, "libyaml-dev": true, "libjpeg-dev": true, "libpng-dev": true,
	"libsqlite3-dev": true, "default-libmysqlclient-dev": true, "libcurl4-openssl-dev": true, "nginx": true,
	"apache2": true, "nodejs": true, "npm": true, "default-jre-headless": true, "default-jdk-headless": true,
	"golang-go": true, "iproute2": true, "iputils-ping": true, "dnsutils": true, "netcat-openbsd": true, "tini": true,
	"dumb-init": true, "gosu": true, "openssl": true, "libc6-dev": true, "apt-transport-https": true,
	"software-properties-common": true, "lsb-release": true, "bash": true, "coreutils": true, "findutils": true,
	"grep": true, "sed": true, "gawk": true, "patch": true, "mariadb-client": true, "postgresql-client": true,
	"redis-tools": true, "sqlite3": true, "supervisor": true, "cron": true, "net-tools": true, "telnet": true,
	"htop": true, "strace": true, "gdb": true, "maven": true, "ruby": true, "ruby-dev": true, "php-cli": true,
	"perl": true, "libpq5": true,
	// Alpine.
	"xz": true, "build-base": true, "pkgconf": true, "py3-pip": true, "openssl-dev": true, "zlib-dev": true,
	"libxslt-dev": true, "yaml-dev": true, "jpeg-dev": true, "libjpeg-turbo-dev": true, "sqlite-dev": true,
	"mariadb-dev": true, "postgresql-dev": true, "curl-dev": true, "go": true, "su-exec": true, "musl-dev": true,
	"linux-headers": true, "openssh": true, "redis": true, "sqlite": true, "shadow": true, "git-lfs": true,
}

// distroPackagesKnown says which distribution package the stages install
// that the knownPackages table does not vouch for ("" when all are
// known): after the move to image, its name may not exist.
func distroPackagesKnown(p *pass, stages []*dockerfile.Stage, image string) string {
	for _, s := range stages {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				if !systemManager(op.Manager) || op.Action != shell.ActionInstall {
					continue
				}
				for _, pk := range op.Packages {
					switch {
					case !pk.Literal:
						return fmt.Sprintf("the RUN on line %d installs packages named by a variable", in.StartLine)
					case !knownPackages[pk.Name]:
						return fmt.Sprintf("%s is not among the packages strata knows to keep their name in %s's release (distributions rename and remove packages between releases)", pk.Name, image)
					}
				}
			}
		}
	}
	return ""
}

// releaseBound says why the stages' build is bound to the base's release
// ("" when it is not): a RUN that adds apt sources or keys, a PPA, a
// .deb installed from a file, or a word naming the old release.
func releaseBound(p *pass, stages []*dockerfile.Stage, names []string) string {
	for _, s := range stages {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			text := in.Original
			for _, w := range []string{"add-apt-repository", "ppa:", "/etc/apt/sources", "apt-key", "dpkg -i", "/etc/apk/repositories"} {
				if strings.Contains(text, w) {
					return fmt.Sprintf("the RUN on line %d configures the package manager for this release (%s)", in.StartLine, w)
				}
			}
			for _, n := range names {
				if n != "" && containsWord(text, n) {
					return fmt.Sprintf("the RUN on line %d names the release (%s)", in.StartLine, n)
				}
			}
		}
	}
	return ""
}

// containsWord reports whether w occurs in text not as part of a longer
// word or version ("focal" in ".../focal/...", "20.04" but not "120.04").
func containsWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		a, b := i+j, i+j+len(w)
		before := a == 0 || !wordByte(text[a-1])
		after := b == len(text) || !wordByte(text[b])
		if before && after {
			return true
		}
		i = a + 1
	}
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

// versionedName reports whether a package name carries a version that
// changes between releases: a dotted version (libssl1.1, python3.8,
// lua5.3), a number of its own (openjdk-11-jre, gcc-9,
// postgresql-client-12), a library's soname number (libicu66, libffi7,
// libasound2, whose names also changed with the 64-bit time_t
// transition), or a Python 2 package (python-bs4).
func versionedName(n string) bool {
	for i := 1; i+1 < len(n); i++ {
		if n[i] == '.' && isDigit(n[i-1]) && isDigit(n[i+1]) {
			return true
		}
	}
	for _, seg := range strings.Split(n, "-") {
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			return true
		}
	}
	if strings.HasPrefix(n, "lib") && strings.ContainsAny(n, "0123456789") && !strings.HasSuffix(n, "-dev") {
		return true
	}
	return strings.HasPrefix(n, "python-") && n != "python-is-python3"
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// portableNames are packages whose names carry a digit but stay the
// same across Debian and Ubuntu releases.
var portableNames = map[string]bool{
	"python3": true, "libc6": true, "libc6-dev": true, "zlib1g": true, "zlib1g-dev": true, "libxml2": true,
	"libxml2-dev": true, "libsqlite3-dev": true, "libbz2-dev": true, "libx11-dev": true, "libpq5": true,
	"g++": true, "py3-pip": true, "libffi-dev": true, "libyaml-dev": true, "libxslt1-dev": true, "libjpeg-dev": true,
	"libpng-dev": true, "libgdbm-dev": true, "liblzma-dev": true, "libncurses-dev": true, "libgmp-dev": true,
	"libmariadb-dev": true, "default-libmysqlclient-dev": true, "libsasl2-dev": true, "libldap2-dev": true,
	"libxmlsec1-dev": true, "libcurl4-openssl-dev": true, "libmagic1": true, "libgomp1": true, "netcat-openbsd": true,
	"libpcre2-dev": true, "libgeos-dev": true, "libproj-dev": true, "gdal-bin": true, "libgdal-dev": true,
}

// distroPackagesPortable says which installed package ties the build to
// its release ("" when none does): one pinned to a version, or with a
// version in its name.
func distroPackagesPortable(p *pass, stages []*dockerfile.Stage) string {
	for _, s := range stages {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				if !systemManager(op.Manager) || op.Action != shell.ActionInstall {
					continue
				}
				for _, pk := range op.Packages {
					switch {
					case pk.Local || pk.URL:
						return fmt.Sprintf("the RUN on line %d installs a package file (%s) built for this release", in.StartLine, pk.Raw)
					case pk.Version != "":
						return fmt.Sprintf("%s is pinned to a version of this release (%s)", pk.Name, pk.Raw)
					case !pk.Literal:
						return fmt.Sprintf("the RUN on line %d installs a package named by a variable", in.StartLine)
					case versionedName(pk.Name) && !portableNames[pk.Name] && !strings.HasPrefix(pk.Name, "python3-") && !strings.HasPrefix(pk.Name, "py3-"):
						return fmt.Sprintf("%s carries a version in its name, which changes between releases", pk.Name)
					}
				}
			}
		}
	}
	return ""
}

// systemPip says which RUN installs into the system Python with pip,
// outside a virtual environment and without --break-system-packages (""
// for none).
func systemPip(p *pass, stages []*dockerfile.Stage) string {
	for _, s := range stages {
		venv := false
		for _, in := range s.Instructions {
			if in.Cmd == "env" {
				for _, kv := range in.Pairs() {
					if kv[0] == "VIRTUAL_ENV" || kv[0] == "PIP_BREAK_SYSTEM_PACKAGES" || kv[0] == "PATH" && strings.Contains(kv[1], "venv") {
						venv = true
					}
				}
			}
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				if op.Manager != shell.Pip || op.Action != shell.ActionInstall || venv || venvOf(op) != "" ||
					op.HasFlag("--break-system-packages", "--user", "-t", "--target", "--prefix", "--root") {
					continue
				}
				return fmt.Sprintf("the RUN on line %d installs with pip into the system Python", in.StartLine)
			}
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Commands {
					if isVenvCreate(c) {
						venv = true
					}
				}
			}
		}
	}
	return ""
}

// pinnedPython says which pip install pins a version ("" for none):
// packages written NAME==VERSION, or requirement files that pin (or
// cannot be read).
func pinnedPython(p *pass, stages []*dockerfile.Stage) string {
	r, canRead := p.Context.(contextReader)
	for _, s := range stages {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				if op.Manager != shell.Pip || op.Action != shell.ActionInstall {
					continue
				}
				for _, pk := range op.Packages {
					if pk.Version != "" && (pk.Op == "==" || pk.Op == "===") {
						return fmt.Sprintf("pip installs %s, which may have no build for the new Python", pk.Raw)
					}
				}
				for _, req := range op.FlagValues("-r", "--requirement", "-c", "--constraint") {
					rel := pipRequirementPath(in, op, req)
					if !canRead || rel == "" {
						return fmt.Sprintf("pip installs from %s, which cannot be read to check its pins", req)
					}
					data, err := r.ReadFile(rel, 1<<20)
					if err != nil {
						return fmt.Sprintf("pip installs from %s, which cannot be read to check its pins", req)
					}
					for _, line := range strings.Split(string(data), "\n") {
						line = strings.TrimSpace(line)
						if strings.Contains(line, "==") && !strings.HasPrefix(line, "#") {
							return fmt.Sprintf("%s pins %s, which may have no build for the new Python", req, line)
						}
					}
				}
			}
		}
	}
	return ""
}

// pipRequirementPath returns the context-relative path of a requirement
// file a pip install reads, when a COPY of the stage brought it from
// the context: the file's path in the image resolved against the COPY
// destination ("" when it cannot be told).
func pipRequirementPath(in *dockerfile.Instruction, op *shell.PackageOp, req string) string {
	abs := dockerfile.ResolvePath(op.Command.Dir, req)
	if abs == "" {
		return ""
	}
	for _, c := range in.Stage.Instructions {
		if c == in {
			break
		}
		if c.Cmd != "copy" && c.Cmd != "add" || !copiesFromContext(c) {
			continue
		}
		dest := copyDest(c)
		if rel, ok := under(dest, abs); ok && copiesWholeContext(c) {
			return rel
		}
		for _, s := range c.Args[:len(c.Args)-1] {
			s = dockerfile.TrimQuotes(s)
			if path.Base(s) == path.Base(abs) && (abs == dest || abs == path.Join(dest, path.Base(s))) {
				return path.Clean(s)
			}
		}
	}
	return ""
}

// nodeEngines says why package.json's engines rule out a move of the
// Node.js major version ("" when they do not).
func nodeEngines(p *pass) string {
	r, ok := p.Context.(contextReader)
	if !ok {
		return ""
	}
	data, err := r.ReadFile("package.json", 1<<20)
	if err != nil {
		return ""
	}
	var pkg struct {
		Engines map[string]string `json:"engines"`
	}
	if json.Unmarshal(data, &pkg) != nil {
		return "package.json cannot be read to check its engines"
	}
	if v, ok := pkg.Engines["node"]; ok {
		return fmt.Sprintf("package.json asks for node %q", v)
	}
	return ""
}
