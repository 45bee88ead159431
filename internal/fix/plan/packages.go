package plan

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// packageOps returns the package-manager invocations of a RUN.
func packageOps(p *pass, in *dockerfile.Instruction) []*shell.PackageOp {
	var out []*shell.PackageOp
	for _, rs := range p.Shell(in) {
		out = append(out, rs.PackageOps()...)
	}
	return out
}

// systemPackages returns the distribution packages a stage installs, in
// order and without repeats, and the manager that installs them ("" when
// none, or when several distribution managers are mixed).
func systemPackages(p *pass, st *dockerfile.Stage) ([]string, shell.Manager) {
	var names []string
	seen := map[string]bool{}
	var mgr shell.Manager
	for _, in := range st.Instructions {
		if in.Cmd != "run" {
			continue
		}
		for _, op := range packageOps(p, in) {
			if op.Action != shell.ActionInstall || !systemManager(op.Manager) {
				continue
			}
			m := op.Manager
			if m == shell.Apt || m == shell.Aptitude {
				m = shell.AptGet
			}
			if mgr != "" && mgr != m {
				return nil, ""
			}
			mgr = m
			for _, pk := range op.Packages {
				if !pk.Literal || pk.Local || pk.URL {
					continue
				}
				n := pk.Name
				if pk.Version != "" {
					n = pk.Raw
				}
				if !seen[n] {
					seen[n] = true
					names = append(names, n)
				}
			}
		}
	}
	return names, mgr
}

// buildOnly are distribution packages that build an application but are
// not needed to run it: compilers, build systems, version control,
// downloaders, language package managers and headers.
var buildOnly = map[string]bool{
	"gcc": true, "g++": true, "cpp": true, "clang": true, "make": true, "cmake": true,
	"ninja-build": true, "build-essential": true, "build-base": true, "alpine-sdk": true,
	"autoconf": true, "automake": true, "libtool": true, "pkg-config": true, "pkgconf": true,
	"git": true, "subversion": true, "mercurial": true, "curl": true, "wget": true,
	"unzip": true, "zip": true, "patch": true, "gnupg": true, "dirmngr": true,
	"python3-pip": true, "python-pip": true, "py3-pip": true, "python3-venv": true,
	"python3-wheel": true, "python3-dev": true, "python-dev": true,
	"npm": true, "yarnpkg": true, "node-gyp": true,
	"golang": true, "golang-go": true, "go": true, "rustc": true, "cargo": true,
	"maven": true, "gradle": true, "ant": true, "musl-dev": true, "linux-headers": true,
	"software-properties-common": true, "apt-transport-https": true,
}

// devRuntime maps a library's development package (headers, for the
// build) to the package of the shared library a program built against
// it loads at run time, where the name is the same across the releases
// of Debian and Ubuntu (libpq-dev) or Alpine (postgresql-dev). A -dev
// package not listed here stays in the runtime stage: it depends on its
// library, whatever that is called in the release.
var devRuntime = map[shell.Manager]map[string]string{
	shell.AptGet: {
		"libpq-dev": "libpq5", "zlib1g-dev": "zlib1g", "libxml2-dev": "libxml2", "libxslt1-dev": "libxslt1.1",
		"libyaml-dev": "libyaml-0-2", "libsqlite3-dev": "libsqlite3-0", "libmariadb-dev": "libmariadb3",
		"libmariadb-dev-compat": "libmariadb3", "default-libmysqlclient-dev": "libmariadb3", "libjpeg-dev": "libjpeg62-turbo",
		"libjpeg62-turbo-dev": "libjpeg62-turbo", "libpng-dev": "libpng16-16", "libfreetype6-dev": "libfreetype6",
		"libcurl4-openssl-dev": "libcurl4", "libgmp-dev": "libgmp10", "libbz2-dev": "libbz2-1.0", "liblzma-dev": "liblzma5",
		"libpcre3-dev": "libpcre3",
	},
	shell.Apk: {
		"libxml2-dev": "libxml2", "libxslt-dev": "libxslt", "libffi-dev": "libffi", "postgresql-dev": "libpq",
		"libpq-dev": "libpq", "zlib-dev": "zlib", "jpeg-dev": "libjpeg-turbo", "libjpeg-turbo-dev": "libjpeg-turbo",
		"yaml-dev": "yaml", "sqlite-dev": "sqlite-libs", "mariadb-dev": "mariadb-connector-c",
		"mariadb-connector-c-dev": "mariadb-connector-c", "libpng-dev": "libpng", "freetype-dev": "freetype",
		"curl-dev": "libcurl", "gmp-dev": "gmp", "pcre-dev": "pcre",
	},
}

// runtimePackage returns the package to install in a runtime stage for
// a package the build stage installs: the package itself, a JRE for a
// JDK, the shared library of a development package (see devRuntime),
// or "" for a build-only package.
func runtimePackage(name string, m shell.Manager) string {
	n, _, _ := strings.Cut(name, "=")
	if r, ok := devRuntime[m][n]; ok {
		return r
	}
	switch {
	case buildOnly[n], strings.HasPrefix(n, "golang-"), strings.HasSuffix(n, "-dbg"), strings.HasSuffix(n, "-doc"),
		strings.HasSuffix(n, "-whl"): // Debian's wheels of pip, setuptools and wheel, for making virtualenvs

		return ""
	case n == "default-jdk" || n == "default-jdk-headless":
		return "default-jre-headless"
	case strings.HasPrefix(n, "openjdk-") && (strings.HasSuffix(n, "-jdk") || strings.HasSuffix(n, "-jdk-headless")):
		return strings.TrimSuffix(strings.TrimSuffix(n, "-headless"), "-jdk") + "-jre-headless"
	case strings.HasPrefix(n, "openjdk") && !strings.Contains(n, "-"):
		return n + "-jre-headless" // apk: openjdk17
	}
	return name
}

// installLine returns a RUN that installs pkgs with manager m without
// recommended packages and without leaving caches behind.
func installLine(run string, m shell.Manager, pkgs []string) string {
	list := strings.Join(pkgs, " ")
	switch m {
	case shell.AptGet:
		return run + " apt-get update && apt-get install -y --no-install-recommends " + list + " && rm -rf /var/lib/apt/lists/*"
	case shell.Apk:
		return run + " apk add --no-cache " + list
	case shell.Dnf, shell.Yum:
		return run + " " + string(m) + " install -y --setopt=install_weak_deps=False " + list + " && " + string(m) + " clean all"
	case shell.Microdnf:
		return run + " microdnf install -y --setopt=install_weak_deps=0 " + list + " && microdnf clean all"
	case shell.Zypper:
		return run + " zypper --non-interactive install --no-recommends " + list + " && zypper clean --all"
	}
	return ""
}

// systemManager reports whether m installs distribution packages.
func systemManager(m shell.Manager) bool {
	switch m {
	case shell.AptGet, shell.Apt, shell.Aptitude, shell.Apk, shell.Yum, shell.Dnf, shell.Microdnf, shell.Zypper:
		return true
	}
	return false
}
