package plan

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// How a base image creates users. The table of bases is data: extend it
// when a base is missing rather than guessing.

// debianBased are official images built on Debian or Ubuntu (their
// non-alpine variants), which have shadow's useradd.
var debianBased = map[string]bool{
	"debian": true, "ubuntu": true, "python": true, "node": true, "ruby": true, "golang": true, "openjdk": true,
	"eclipse-temurin": true, "php": true, "perl": true, "rust": true, "buildpack-deps": true, "maven": true,
	"gradle": true, "nginx": true, "httpd": true, "redis": true, "postgres": true, "mariadb": true, "mongo": true,
	"elixir": true, "erlang": true, "haskell": true, "julia": true, "r-base": true, "swift": true, "clojure": true,
	"groovy": true, "sapmachine": true, "pypy": true, "gcc": true, "neurodebian": true,
	"rabbitmq": true, "memcached": true, "tomcat": true, "jetty": true, "wordpress": true, "nextcloud": true,
	"ghost": true, "drupal": true, "joomla": true,
}

// rhelBased are distributions whose full images have shadow's useradd.
var rhelBased = map[string]bool{
	"fedora": true, "rockylinux": true, "almalinux": true, "centos": true, "ubi8": true, "ubi9": true, "ubi10": true, "ubi": true,
}

// userFamily tells how the image of st creates users: "useradd"
// (shadow's useradd: Debian, Ubuntu, RHEL), "adduser" (BusyBox: Alpine
// and BusyBox), "none" (no user tools: scratch, distroless, ubi-micro
// and minimal RHEL images without shadow-utils, where only a numeric
// USER works), or "" when the base is not known well enough to tell.
func userFamily(p *pass, st *dockerfile.Stage) string {
	chain := st.Chain()
	root := chain[len(chain)-1]
	b := root.Base
	if b.Scratch {
		return "none"
	}
	if b.Unresolved || root.BaseRaw == "" {
		return ""
	}
	repo := strings.ToLower(b.Repository)
	name := strings.ToLower(b.Name())
	tag := strings.ToLower(b.Tag)
	if strings.Contains(repo, "distroless") || repo == "chainguard/static" || strings.HasSuffix(name, "-micro") ||
		repo == "minio/minio" || strings.HasPrefix(tag, "micro") {
		return "none"
	}
	u := usersTools(p, chain)
	switch {
	case u.useradd:
		return "useradd"
	case u.apk:
		return "adduser"
	case u.apt:
		return "useradd"
	case u.microdnf || strings.HasSuffix(name, "-minimal") || strings.Contains(tag, "minimal"):
		if u.shadow {
			return "useradd"
		}
		if u.microdnf || rhelBased[strings.TrimSuffix(name, "-minimal")] {
			return "none"
		}
		return ""
	case u.rpm:
		return "useradd"
	case u.zypper:
		if u.shadow {
			return "useradd"
		}
		return ""
	}
	switch {
	case name == "alpine" || name == "busybox" || strings.Contains(tag, "alpine") || strings.Contains(tag, "busybox"):
		return "adduser"
	case b.Registry == "" && debianBased[name] && !strings.Contains(repo, "/"),
		rhelBased[name],
		strings.Contains(strings.ToLower(b.Registry), "mcr.microsoft.com") && (strings.HasPrefix(repo, "dotnet/") || strings.Contains(repo, "devcontainers/")):
		return "useradd"
	}
	return ""
}

// userTools is what a stage chain's RUNs say about its distribution.
type userTools struct {
	apt, apk, rpm, microdnf bool
	zypper                  bool // SUSE, whose container images lack shadow unless installed
	shadow                  bool // installs shadow-utils (useradd)
	useradd                 bool // runs useradd itself
}

// usersTools reads the chain's RUNs for package managers and useradd.
func usersTools(p *pass, chain []*dockerfile.Stage) userTools {
	var u userTools
	for _, s := range chain {
		for _, in := range s.Instructions {
			if in.Cmd != "run" {
				continue
			}
			for _, op := range packageOps(p, in) {
				switch op.Manager {
				case shell.Apk:
					u.apk = true
				case shell.AptGet, shell.Apt, shell.Aptitude:
					u.apt = true
				case shell.Dnf, shell.Yum:
					u.rpm = true
				case shell.Zypper:
					u.zypper = true
				case shell.Microdnf:
					u.microdnf = true
				}
				if op.Action == shell.ActionInstall {
					for _, n := range op.PackageNames() {
						if n == "shadow-utils" || n == "shadow" {
							u.shadow = true
						}
					}
				}
			}
			for _, rs := range p.Shell(in) {
				for _, c := range rs.Commands {
					if c.Is("useradd") {
						u.useradd = true
					}
				}
			}
		}
	}
	return u
}
