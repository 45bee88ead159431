package intent

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Tools are the commands the final image has.
type Tools struct {
	// Family is the base's kind: "scratch", "distroless", "busybox"
	// (alpine and busybox images: busybox applets), "debian" (Debian,
	// Ubuntu and the slim language images on them), "rhel", "micro"
	// (ubi-micro and similar: no package manager, no user tools), or ""
	// when the base is an image strata knows nothing about.
	Family string
	// Has holds the commands the image is known to have: from the base,
	// installed by a package manager, or copied in.
	Has map[string]bool
	// Installed holds the commands the Dockerfile installs itself.
	Installed map[string]bool
	// Copied holds the commands copied in from another stage or image
	// (COPY --from), which a package list does not show.
	Copied map[string]bool
}

// Known reports whether the base's contents are known, so that a
// command missing from Has is really missing.
func (t Tools) Known() bool { return t.Family != "" }

// Have reports whether the image has cmd (false also when unknown).
func (t Tools) Have(cmd string) bool { return t.Has[cmd] }

// busyboxApplets are the commands of a busybox-based image (alpine,
// busybox) that probes and users reach for.
var busyboxApplets = []string{"sh", "ash", "wget", "nc", "ps", "top", "pgrep", "pkill", "vi", "less", "tar",
	"gzip", "adduser", "addgroup", "su", "ping", "nslookup", "netstat", "ifconfig", "ip", "kill", "grep", "sed", "awk"}

// debianCommands are the commands of a Debian or Ubuntu image (slim
// variants included) that probes and fixes reach for.
var debianCommands = []string{"sh", "bash", "dash", "useradd", "groupadd", "adduser", "addgroup", "su", "runuser",
	"setpriv", "mount", "perl", "apt-get", "grep", "sed", "awk", "kill", "tar", "gzip"}

// languageImages maps official language images to the commands they add.
var languageImages = map[string][]string{
	"python": {"python", "python3", "pip", "pip3"}, "pypy": {"pypy", "pypy3", "pip"},
	"node": {"node", "npm", "npx", "yarn", "corepack"}, "ruby": {"ruby", "gem", "bundle", "irb"},
	"php": {"php", "pecl", "pear", "curl", "docker-php-ext-install"}, "golang": {"go"}, "rust": {"cargo", "rustc"},
	"perl": {"perl", "cpanm"}, "openjdk": {"java", "javac"}, "eclipse-temurin": {"java"},
	"amazoncorretto": {"java"}, "maven": {"mvn", "java"}, "gradle": {"gradle", "java"}, "elixir": {"elixir", "mix", "iex"},
	"erlang": {"erl"}, "julia": {"julia"}, "r-base": {"R"}, "haskell": {"ghc", "stack"}, "swift": {"swift"},
	"dart": {"dart"}, "nginx": {"nginx"}, "httpd": {"httpd"}, "redis": {"redis-cli", "redis-server"},
	"postgres": {"psql", "pg_isready", "postgres"}, "mysql": {"mysql", "mysqladmin"}, "mariadb": {"mariadb", "mysqladmin", "healthcheck.sh"},
	"mongo": {"mongosh"}, "rabbitmq": {"rabbitmq-diagnostics"}, "caddy": {"caddy", "wget"},
	"traefik": {"traefik"}, "memcached": {"memcached"}, "buildpack-deps": {"curl", "wget"},
}

// tools works out what the final image has.
func (img *Image) tools() Tools {
	t := Tools{Has: map[string]bool{}, Installed: map[string]bool{}, Copied: map[string]bool{}}
	add := func(m map[string]bool, cmds ...string) {
		for _, c := range cmds {
			m[c] = true
			t.Has[c] = true
		}
	}
	t.Family = baseFamily(img.Base)
	switch t.Family {
	case "busybox":
		add(t.Has, busyboxApplets...)
	case "debian":
		add(t.Has, debianCommands...)
	case "rhel":
		add(t.Has, "sh", "bash", "useradd", "groupadd", "su", "runuser", "setpriv", "curl")
	case "micro":
		add(t.Has, "sh", "bash")
	}
	repo := repoName(img.Base)
	tag := strings.ToLower(img.Base.Tag)
	if cmds, ok := languageImages[repo]; ok {
		add(t.Has, cmds...)
		full := !strings.Contains(tag, "slim") && !strings.Contains(tag, "alpine")
		if full && (repo == "python" || repo == "node" || repo == "ruby" || repo == "golang" || repo == "buildpack-deps" || repo == "rust" || repo == "perl") {
			add(t.Has, "curl", "wget", "git", "ssh", "gcc", "make")
		}
	}
	if strings.Contains(repo, "grpc-health-probe") || strings.Contains(repo, "grpc_health_probe") {
		add(t.Has, "grpc_health_probe")
	}
	for _, in := range img.Instructions() {
		switch in.Cmd {
		case "run":
			img.runTools(in, &t, add)
		case "copy", "add":
			for _, c := range copiedCommands(in) {
				add(t.Copied, c)
			}
			for _, c := range binCopies(in) {
				add(t.Copied, c)
			}
		}
	}
	return t
}

// runTools records what a RUN installs and removes.
func (img *Image) runTools(in *dockerfile.Instruction, t *Tools, add func(map[string]bool, ...string)) {
	for _, sc := range img.shellOf(in) {
		if PurgesOwnInstalls(sc) {
			// Everything the RUN installed is removed at its end.
			continue
		}
		groups := map[string][]string{}
		for _, op := range sc.PackageOps() {
			switch {
			case op.Action == shell.ActionInstall && isSystem(op.Manager):
				var cmds []string
				for _, n := range op.PackageNames() {
					cmds = append(cmds, commandsOf(n)...)
				}
				add(t.Installed, cmds...)
				if op.Manager == shell.Apk {
					if v, ok := op.FlagValue("--virtual", "-t"); ok {
						groups[v] = append(groups[v], cmds...)
					}
				}
			case op.Action == shell.ActionInstall && (op.Manager == shell.Pip || op.Manager == shell.Npm || op.Manager == shell.Gem || op.Manager == shell.Go || op.Manager == shell.Cargo):
				for _, n := range op.PackageNames() {
					b := baseName(n)
					b, _, _ = strings.Cut(b, "@")
					if b != "" && !strings.Contains(b, ".") {
						add(t.Installed, b)
					}
				}
			case op.Action == shell.ActionRemove && isSystem(op.Manager):
				for _, n := range op.PackageNames() {
					for _, c := range append(commandsOf(n), groups[n]...) {
						delete(t.Installed, c)
						delete(t.Has, c)
					}
				}
			}
		}
		// Downloads into a bin directory: curl -o /usr/local/bin/x.
		for _, c := range sc.Find("curl", "wget") {
			if v, ok := c.FlagValue("-o", "--output", "-O", "--output-document"); ok && strings.Contains(v, "/bin/") {
				add(t.Installed, path.Base(v))
			}
		}
	}
}

// isSystem reports whether a package manager installs distribution
// packages.
func isSystem(m shell.Manager) bool {
	switch m {
	case shell.AptGet, shell.Apt, shell.Aptitude, shell.Apk, shell.Yum, shell.Dnf, shell.Microdnf, shell.Zypper:
		return true
	}
	return false
}

// probeTools are the commands a health check may use, looked for in COPY
// patterns.
var probeTools = []string{"curl", "wget", "nc", "grpc_health_probe", "grpc-health-probe", "promtool", "redis-cli", "pg_isready", "mysqladmin"}

// copiedCommands returns the executables a COPY --from (or ADD of a URL)
// puts into a bin directory or names as a program.
func copiedCommands(in *dockerfile.Instruction) []string {
	if len(in.Args) < 2 {
		return nil
	}
	_, from := in.Flag("from")
	if in.Cmd == "copy" && !from {
		return nil
	}
	dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
	srcs := in.Args[:len(in.Args)-1]
	var out []string
	if !strings.HasSuffix(dest, "/") && len(srcs) == 1 {
		out = append(out, path.Base(dest))
	}
	for _, s := range srcs {
		b := path.Base(strings.SplitN(dockerfile.TrimQuotes(s), "?", 2)[0])
		if strings.ContainsAny(b, "*?[") {
			// A pattern (cur*, minio*): the probe tools it matches.
			for _, t := range probeTools {
				if ok, _ := path.Match(b, t); ok {
					out = append(out, t)
				}
			}
			b = strings.TrimRight(b, "*")
		}
		if b != "" && b != "." && b != "/" {
			out = append(out, b)
		}
	}
	// grpc-health-probe is installed under either name.
	for _, o := range out {
		if o == "grpc-health-probe" || o == "grpc_health_probe" {
			out = append(out, "grpc_health_probe", "grpc-health-probe")
			break
		}
	}
	return out
}

// baseFamily classifies an external base image.
func baseFamily(ref dockerfile.ImageRef) string {
	if ref.Scratch {
		return "scratch"
	}
	repo := repoName(ref)
	tag := strings.ToLower(ref.Tag)
	name := path.Base(repo)
	switch {
	case strings.Contains(repo, "distroless") || strings.HasPrefix(repo, "cgr.dev/chainguard/static"):
		return "distroless"
	case strings.Contains(repo, "ubi-micro") || strings.HasSuffix(repo, "/ubi8-micro") || strings.HasSuffix(repo, "/ubi9-micro") ||
		repo == "minio/minio":
		return "micro"
	case name == "alpine" || strings.HasPrefix(name, "busybox") || strings.Contains(tag, "alpine") || strings.Contains(tag, "busybox"):
		return "busybox"
	case name == "debian" || name == "ubuntu" || strings.Contains(tag, "bookworm") || strings.Contains(tag, "bullseye") ||
		strings.Contains(tag, "trixie") || strings.Contains(tag, "buster") || strings.Contains(tag, "jammy") ||
		strings.Contains(tag, "noble") || strings.Contains(tag, "focal") || strings.Contains(tag, "slim"):
		return "debian"
	case name == "fedora" || name == "centos" || name == "rockylinux" || name == "almalinux" || strings.HasPrefix(name, "ubi") ||
		name == "amazonlinux" || name == "oraclelinux":
		return "rhel"
	}
	if _, ok := languageImages[repo]; ok {
		// Official language images are Debian unless tagged otherwise.
		return "debian"
	}
	return ""
}

// PurgesOwnInstalls reports whether a script removes at its end every
// package it installed with apt: the official images' idiom that records
// the manually installed packages (apt-mark showmanual), installs build
// dependencies, builds, marks everything auto (apt-mark auto '.*'),
// restores the recorded list and purges the rest (apt-get purge
// --auto-remove, apt-get autoremove).
func PurgesOwnInstalls(sc *shell.Script) bool {
	auto := -1
	for _, c := range sc.Commands {
		if c.Is("apt-mark") && c.HasArgs("auto") {
			auto = c.Index
		}
	}
	if auto < 0 {
		return false
	}
	for _, op := range sc.PackageOps() {
		if op.Command.Index <= auto || op.Manager != shell.AptGet && op.Manager != shell.Apt {
			continue
		}
		if op.Action == shell.ActionRemove && (op.Verb == "autoremove" || op.HasFlag("--auto-remove", "--autoremove")) {
			return true
		}
	}
	return false
}

// binCopies returns the files a COPY from the build context puts into a
// bin directory (COPY .build/promtool /bin/promtool).
func binCopies(in *dockerfile.Instruction) []string {
	if len(in.Args) < 2 {
		return nil
	}
	if _, from := in.Flag("from"); from {
		return nil
	}
	dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
	if !strings.Contains(dest, "/bin/") && !strings.HasSuffix(dest, "/bin") {
		return nil
	}
	srcs := in.Args[:len(in.Args)-1]
	if !strings.HasSuffix(dest, "/") && !strings.HasSuffix(dest, "/bin") && len(srcs) == 1 {
		return []string{path.Base(dest)}
	}
	var out []string
	for _, s := range srcs {
		if b := path.Base(dockerfile.TrimQuotes(s)); b != "." && !strings.ContainsAny(b, "*?[$") {
			out = append(out, b)
		}
	}
	return out
}
