package intent

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// The tables the analyses read. They are data: extend them without
// touching the logic. Each is checked by a few rows in tables_test.go.

// initWrappers are programs that run another command as a proper PID 1
// (they forward signals and reap zombies) and are otherwise transparent.
var initWrappers = map[string]bool{
	"tini": true, "tini-static": true, "dumb-init": true, "catatonit": true, "docker-init": true,
}

// supervisors start and watch several services; they run as root and
// start each service as the user its configuration names.
var supervisors = map[string]bool{
	"supervisord": true, "s6-svscan": true, "s6-overlay": true, "runsvdir": true, "runit": true,
	"runit_bootstrap": true, "my_init": true, "systemd": true, "init": true,
}

// privilegeDroppers (table T1) are daemons whose master process starts as
// root, binds its ports and opens its files, then runs its workers or
// itself as an unprivileged user of its own configuration. A USER in the
// Dockerfile breaks them (they cannot bind below 1024 or write their pid
// and cache directories) and gains nothing.
var privilegeDroppers = map[string]bool{
	"nginx": true, "openresty": true, "httpd": true, "httpd-foreground": true, "apache2": true,
	"apache2-foreground": true, "apache2ctl": true, "apachectl": true, "lighttpd": true,
	"php-fpm": true, "postfix": true, "master": true, "sshd": true, "dropbear": true,
	"slapd": true, "radiusd": true, "freeradius": true, "distccd": true, "crond": true, "cron": true,
	"rsyslogd": true, "dovecot": true, "exim": true, "exim4": true, "cupsd": true, "smbd": true,
	"nmbd": true, "vsftpd": true, "proftpd": true, "pure-ftpd": true, "named": true, "dnsmasq": true,
	"haproxy": true, "squid": true, "mysqld": true, "mariadbd": true, "mysqld_safe": true,
	"postgres": true, "postmaster": true, "unbound": true, "ntpd": true, "chronyd": true,
	"inetd": true, "xinetd": true, "avahi-daemon": true, "dbus-daemon": true,
}

// isPrivilegeDropper reports whether a program is in table T1, versioned
// names included (php-fpm8.2, php-fpm83).
func isPrivilegeDropper(name string) bool {
	if privilegeDroppers[name] || supervisors[name] {
		return true
	}
	return strings.HasPrefix(name, "php-fpm") || strings.HasPrefix(name, "php") && strings.HasSuffix(name, "-fpm")
}

// userFlags (table T2b) are the options with which a daemon switches to
// an unprivileged user itself after starting as root.
var userFlags = map[string][]string{
	"slapd": {"-u"}, "named": {"-u"}, "dnsmasq": {"-u", "--user"}, "openvpn": {"--user"},
	"ntpd": {"-u"}, "chronyd": {"-u"}, "memcached": {"-u", "--user"}, "tor": {"--User"},
	"unbound": {}, "squid": {}, "distccd": {"--user"}, "redis-server": {}, "mongod": {},
	"privoxy": {"--user"}, "openssl": {}, "pdns_server": {"--setuid"}, "lighttpd": {},
}

// repls (table T3) are interpreters and shells that, started without a
// script, give an interactive prompt: the CMD of language base images
// and of toolboxes.
var repls = map[string]bool{
	"python": true, "python2": true, "python3": true, "ipython": true, "php": true, "node": true,
	"nodejs": true, "irb": true, "ruby": true, "bash": true, "sh": true, "ash": true, "dash": true,
	"zsh": true, "fish": true, "ksh": true, "mksh": true, "pwsh": true, "powershell": true, "ghci": true,
	"iex": true, "erl": true, "clisp": true, "sbcl": true, "lua": true, "luajit": true, "R": true,
	"julia": true, "jshell": true, "scala": true, "perl": true, "deno": true, "bun": true,
	"racket": true, "guile": true, "ocaml": true, "swift": true, "groovysh": true, "tclsh": true,
}

// isREPLName reports whether name is in T3 or a versioned interpreter
// (python3.12, php8, ruby3.3).
func isREPLName(name string) bool {
	if repls[name] {
		return true
	}
	for _, pre := range []string{"python", "php", "ruby", "lua", "perl"} {
		if rest, ok := strings.CutPrefix(name, pre); ok && rest != "" && strings.Trim(rest, "0123456789.") == "" {
			return true
		}
	}
	return false
}

// shells are the POSIX-like shells a CMD or ENTRYPOINT may start.
var shells = map[string]bool{
	"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true, "mksh": true,
}

// rootTools (table T4) are programs that need root or capabilities a
// non-root user does not have: raw sockets, network and firewall
// configuration, kernel modules, block devices, tracing, container
// engines and the Docker socket.
var rootTools = map[string]bool{
	"tcpdump": true, "tshark": true, "dumpcap": true, "nmap": true, "masscan": true, "zmap": true,
	"iptables": true, "ip6tables": true, "nft": true, "shorewall": true, "shorewall6": true, "ip": true,
	"wg": true, "wg-quick": true, "openvpn": true, "strace": true, "ltrace": true, "bpftrace": true,
	"perf": true, "debootstrap": true, "gparted": true, "parted": true, "fdisk": true, "mount": true,
	"modprobe": true, "dockerd": true, "containerd": true, "buildkitd": true, "watchtower": true,
	"libvirtd": true, "virt-manager": true, "pcscd": true, "kubeadm": true, "iftop": true, "nethogs": true,
	"hping3": true, "arp-scan": true, "netdiscover": true, "airodump-ng": true, "ettercap": true,
	"cyclictest": true, "hwlatdetect": true, "dmidecode": true, "lshw": true, "smartctl": true,
	"tc": true, "brctl": true, "qemu-system-x86_64": true, "virtualbox": true, "VirtualBox": true,
	"mkosi": true, "losetup": true, "cryptsetup": true, "sysdig": true, "falco": true,
	"traceroute": true, "tcptraceroute": true, "mtr": true, "arping": true, "lkp": true,
}

// isRootTool reports whether a program is in T4, bcc's tools (*-bpfcc)
// and qemu system emulators included.
func isRootTool(name string) bool {
	return rootTools[name] || strings.HasSuffix(name, "-bpfcc") || strings.HasPrefix(name, "qemu-system-")
}

// rootOps are commands an entrypoint script runs that need root: when a
// script runs one of them and does not step down, the container must
// start as root.
var rootOps = map[string]bool{
	"mount": true, "umount": true, "iptables": true, "ip6tables": true, "nft": true, "sysctl": true,
	"modprobe": true, "insmod": true, "rmmod": true, "gpasswd": true, "setcap": true, "chown": true,
	"useradd": true, "adduser": true, "groupadd": true, "addgroup": true, "usermod": true, "groupmod": true,
	"pcscd": true, "libvirtd": true, "virtlogd": true, "dockerd": true, "containerd": true,
	"brctl": true, "tunctl": true, "mknod": true, "chroot": true, "update-ca-certificates": true,
	"apt-get": true, "apk": true, "dpkg-reconfigure": true, "ldconfig": true, "service": true,
	"rc-service": true, "dbus-daemon": true, "syslogd": true, "rsyslogd": true, "crond": true, "cron": true,
}

// nonRootBases (table T5) are base images that already run as an
// unprivileged user: a Dockerfile that builds on them without a USER of
// its own keeps that user.
var nonRootBases = []string{
	"grafana/k6", "grafana/grafana", "grafana/grafana-oss", "grafana/grafana-enterprise", "grafana/loki",
	"grafana/promtail", "grafana/tempo", "prom/", "quay.io/prometheus/", "bitnami/", "docker.io/bitnami/",
	"nginxinc/nginx-unprivileged", "cgr.dev/chainguard/", "docker.elastic.co/elasticsearch/",
	"docker.elastic.co/kibana/", "docker.elastic.co/logstash/", "opensearchproject/", "quay.io/keycloak/keycloak",
	"confluentinc/", "jenkins/jenkins", "sonarqube", "otel/opentelemetry-collector", "nodered/node-red",
	"gcr.io/kaniko-project/", "mcr.microsoft.com/playwright", "ghcr.io/linuxserver/", "linuxserver/",
	"eclipse-mosquitto", "neo4j", "traefik/whoami",
}

// stepDownBases (table T5b) are external images whose own ENTRYPOINT
// starts as root and steps down to the service's user (or runs a master
// that does): a Dockerfile that sets only CMD keeps that ENTRYPOINT.
var stepDownBases = map[string]string{
	"redis": "gosu redis", "valkey/valkey": "setpriv to valkey", "postgres": "gosu postgres",
	"mysql": "gosu mysql", "mariadb": "gosu mysql", "mongo": "gosu mongodb", "rabbitmq": "gosu rabbitmq",
	"cassandra": "gosu cassandra", "zookeeper": "gosu zookeeper", "nextcloud": "www-data for apache/php-fpm",
	"wordpress": "www-data for apache/php-fpm", "nginx": "nginx workers", "httpd": "daemon workers",
	"memcached": "USER memcache", "couchdb": "gosu couchdb", "elasticsearch": "USER elasticsearch",
	"ghost": "gosu node", "drupal": "www-data for apache", "joomla": "www-data for apache",
	"haproxy": "USER haproxy", "influxdb": "gosu influxdb", "solr": "USER solr", "tomcat": "",
	"odoo": "USER odoo", "sonarqube": "USER sonarqube", "jenkins": "USER jenkins", "matomo": "www-data",
	"mediawiki": "www-data", "friendica": "www-data", "postfixadmin": "www-data", "node-red": "USER node-red",
}

// interpreters run a script file given as their first operand.
var interpreters = map[string]bool{
	"python": true, "python2": true, "python3": true, "node": true, "nodejs": true, "ruby": true,
	"perl": true, "php": true, "bun": true, "deno": true, "ts-node": true, "tsx": true, "lua": true,
	"Rscript": true,
}

// toolchainPrograms are compilers and build tools: an image whose program
// is one of them is a toolchain, not an application.
var toolchainPrograms = map[string]bool{
	"go": true, "cargo": true, "rustc": true, "mvn": true, "mvnw": true, "gradle": true, "gradlew": true,
	"make": true, "cmake": true, "gcc": true, "g++": true, "cc": true, "clang": true, "xcaddy": true,
	"protoc": true, "buf": true, "bazel": true, "bazelisk": true, "ninja": true, "meson": true, "sbt": true,
	"dotnet-sdk": true, "msbuild": true, "javac": true, "tsc": true, "ant": true, "lein": true,
}

// toolchainBases are the images of compilers and SDKs.
var toolchainBases = map[string]bool{
	"golang": true, "rust": true, "gcc": true, "maven": true, "gradle": true, "buildpack-deps": true,
	"openjdk": true, "clojure": true, "haskell": true, "swift": true, "sbt": true, "mcr.microsoft.com/dotnet/sdk": true,
	"dart": true, "elixir": true, "erlang": true, "crystallang/crystal": true, "nimlang/nim": true,
}

// toolchainStageNames are stage and directory names of code generators
// and build images.
var toolchainStageNames = map[string]bool{
	"builder": true, "build": true, "genproto": true, "codegen": true, "tools": true, "protogen": true,
	"generator": true, "compiler": true, "toolchain": true, "sdk": true,
}

// devStageNames are the names of a final stage meant for development
// environments (Docker Dev Environments, devcontainers).
var devStageNames = map[string]bool{
	"dev-envs": true, "dev-env": true, "devcontainer": true, "dev": true, "development": true, "devenv": true,
}

// testRunners are programs that run a test suite and exit.
var testRunners = map[string]bool{
	"pytest": true, "py.test": true, "cypress": true, "playwright": true, "ginkgo": true, "jest": true,
	"mocha": true, "vitest": true, "karma": true, "phpunit": true, "rspec": true, "tox": true, "nox": true,
	"newman": true, "robot": true, "behave": true,
}

// artifactExtensions are files an export-only scratch stage carries.
var artifactExtensions = []string{".apk", ".aab", ".ipa", ".zip", ".tar", ".tgz", ".tar.gz", ".tar.xz",
	".jar", ".war", ".deb", ".rpm", ".msi", ".exe", ".dmg", ".whl", ".wasm"}

// programTools (table T10) are commands a program runs by itself: a tool
// installed for them is used even though no line of the Dockerfile runs
// it.
var programTools = map[string][]string{
	"aws":              {"less", "groff", "more"},
	"psql":             {"less", "more"},
	"mysql":            {"less", "more"},
	"git":              {"less", "ssh", "vi", "vim", "nano"},
	"man":              {"less", "groff", "more"},
	"mutt":             {"vim", "vi", "nano", "less"},
	"neomutt":          {"vim", "vi", "nano", "less"},
	"crontab":          {"vim", "vi", "nano"},
	"travis":           {"git"},
	"bundle":           {"git"},
	"bundler":          {"git"},
	"composer":         {"git", "unzip"},
	"go":               {"git", "gcc", "cc", "make"},
	"npm":              {"git", "make", "gcc", "g++"},
	"npx":              {"git"},
	"yarn":             {"git"},
	"pnpm":             {"git"},
	"pip":              {"git"},
	"pip3":             {"git"},
	"xcaddy":           {"git", "go"},
	"buildkitd":        {"git", "ssh"},
	"buildctl":         {"git"},
	"clair":            {"git"},
	"helm":             {"git"},
	"ansible":          {"ssh", "scp", "sftp", "git"},
	"ansible-playbook": {"ssh", "scp", "sftp", "git"},
	"sshd":             {"git", "git-shell", "git-upload-pack"},
	"debootstrap":      {"wget", "curl"},
	"unixbench":        {"make", "gcc", "cc"},
	"dkms":             {"make", "gcc", "cc"},
	"lkp":              {"make", "gcc", "cc", "wget", "curl", "git", "ps", "pgrep", "pkill"},
	"code":             {"git", "ssh"},
	"atom":             {"git", "ssh"},
	"subl":             {"git", "ssh"},
	"sublime_text":     {"git", "ssh"},
	"vscode":           {"git", "ssh"},
	"gcloud":           {"ssh", "scp", "git"},
	"az":               {"ssh", "git"},
	"terraform":        {"git", "ssh"},
	"packer":           {"ssh"},
	"vagrant":          {"ssh", "rsync", "curl", "gcc", "cc", "make"},
	"gparted":          {"ps", "pidof"},
	"gitiles":          {"git"},
	"certbot":          {"curl"},
	"pcscd":            {"pgrep", "ps"},
	"ykman":            {"pgrep", "ps"},
	"kubectl":          {"less"},
	"hub":              {"git"},
	"gh":               {"git"},
	"glab":             {"git"},
	"cargo":            {"git", "gcc", "cc", "make"},
	"rustup":           {"curl", "git"},
	"mvn":              {"git"},
	"gradle":           {"git"},
	"tig":              {"git", "less"},
	"lazygit":          {"git"},
	"mc":               {"vim", "vi", "less"},
	"ranger":           {"vim", "vi", "less"},
	"weechat":          {"less"},
	"irssi":            {"less"},
	"docker":           {"git", "ssh"},
	"jq":               {},
}

// packageCommands (table T9) maps a distribution package to the commands
// it provides, where they differ from the package's name.
var packageCommands = map[string][]string{
	"procps":          {"ps", "pgrep", "pkill", "pidof", "top", "free", "watch", "sysctl", "uptime", "kill"},
	"procps-ng":       {"ps", "pgrep", "pkill", "pidof", "top", "free", "watch", "sysctl", "uptime", "kill"},
	"openssh-client":  {"ssh", "scp", "sftp", "ssh-keyscan", "ssh-agent", "ssh-add", "ssh-keygen"},
	"openssh-clients": {"ssh", "scp", "sftp", "ssh-keyscan", "ssh-agent", "ssh-add", "ssh-keygen"},
	"openssh":         {"ssh", "scp", "sftp", "sshd", "ssh-keyscan", "ssh-keygen"},
	"openssh-server":  {"sshd", "ssh-keygen"},
	"build-essential": {"gcc", "g++", "cc", "c++", "make"},
	"build-base":      {"gcc", "g++", "cc", "c++", "make"},
	"gcc":             {"gcc", "cc"}, "g++": {"g++", "c++"}, "gcc-c++": {"g++", "c++"},
	"net-tools":    {"netstat", "ifconfig", "route", "arp"},
	"iproute2":     {"ip", "ss", "tc"},
	"iputils-ping": {"ping"}, "iputils": {"ping"},
	"dnsutils": {"dig", "nslookup", "host"}, "bind-tools": {"dig", "nslookup", "host"},
	"bind-utils": {"dig", "nslookup", "host"}, "bind9-dnsutils": {"dig", "nslookup", "host"},
	"vim": {"vim", "vi"}, "vim-tiny": {"vi", "vim"}, "vim-nox": {"vim", "vi"},
	"emacs-nox": {"emacs"}, "man-db": {"man"},
	"netcat": {"nc", "netcat"}, "netcat-openbsd": {"nc", "netcat"}, "netcat-traditional": {"nc", "netcat"},
	"ncat": {"nc", "ncat"}, "nmap-ncat": {"nc", "ncat"},
	"postgresql-client": {"psql", "pg_isready", "pg_dump"}, "mysql-client": {"mysql", "mysqladmin"},
	"mariadb-client": {"mysql", "mysqladmin", "mariadb"}, "default-mysql-client": {"mysql", "mysqladmin"},
	"redis-tools": {"redis-cli"}, "redis": {"redis-cli", "redis-server"}, "redis-server": {"redis-server", "redis-cli"},
	"postgresql": {"postgres", "psql", "pg_isready"}, "mariadb-server": {"mariadbd", "mysqladmin", "mysql"},
	"default-mysql-server": {"mysqld", "mysqladmin", "mysql"}, "mysql-server": {"mysqld", "mysqladmin", "mysql"},
	"python3": {"python3"}, "python3-pip": {"pip3", "pip"}, "py3-pip": {"pip3", "pip"}, "python3-minimal": {"python3"},
	"nodejs": {"node", "nodejs"}, "npm": {"npm", "npx"}, "openjdk-17-jre": {"java"},
	"golang-go": {"go"}, "golang": {"go"}, "rustc": {"rustc"}, "cargo": {"cargo"},
	"coreutils": {"env", "timeout"}, "util-linux": {"runuser", "setpriv", "su", "mount"},
	"shadow": {"useradd", "groupadd", "su"}, "passwd": {"useradd", "groupadd"},
	"ca-certificates": {}, "tzdata": {},
	"grpc-health-probe": {"grpc_health_probe"},
	"libcap2-bin":       {"setcap", "getcap", "capsh"}, "libcap": {"setcap", "getcap", "capsh"},
	"gosu": {"gosu"}, "su-exec": {"su-exec"}, "tini": {"tini"}, "dumb-init": {"dumb-init"},
}

// commandsOf returns the commands a package provides.
func commandsOf(pkg string) []string {
	if c, ok := packageCommands[pkg]; ok {
		return c
	}
	return []string{pkg}
}

// NeedsRoot reports whether a program needs root or capabilities a
// non-root user lacks (table T4).
func NeedsRoot(program string) bool { return isRootTool(program) }

// NonRootBase reports whether an external base image already runs as an
// unprivileged user (table T5).
func NonRootBase(ref dockerfile.ImageRef) bool {
	r := repoName(ref)
	if strings.Contains(path.Base(r), "busybox") {
		return false // quay.io/prometheus/busybox runs as root
	}
	for _, b := range nonRootBases {
		if r == strings.TrimSuffix(b, "/") || strings.HasSuffix(b, "/") && strings.HasPrefix(r, b) {
			return true
		}
	}
	return false
}

// StepDownBase reports whether an external base image's own ENTRYPOINT
// starts as root and drops to the service's user, or runs a master that
// does (table T5b). It holds only while the Dockerfile sets no
// ENTRYPOINT of its own.
func StepDownBase(ref dockerfile.ImageRef) bool {
	r := repoName(ref)
	if _, ok := stepDownBases[r]; ok {
		return true
	}
	if r == "php" {
		t := strings.ToLower(ref.Tag)
		return strings.Contains(t, "apache") || strings.Contains(t, "fpm")
	}
	return false
}

// RunsItself returns the commands a program runs by itself (table T10):
// a tool installed for them is used though no line runs it.
func RunsItself(program string) []string { return programTools[program] }

// javaLaunchers are the start scripts of Java distributions (they exec
// java with the distribution's class path).
var javaLaunchers = map[string]bool{
	"zkServer.sh": true, "catalina.sh": true, "kafka-server-start.sh": true, "connect-distributed.sh": true,
	"connect-standalone.sh": true, "zookeeper-server-start.sh": true,
}

// conditionalStepDownBases are external images whose own ENTRYPOINT
// steps down only when the container is configured to (minio's
// docker-entrypoint.sh with MINIO_USERNAME and MINIO_GROUPNAME): a
// Dockerfile that keeps that ENTRYPOINT may or may not run as root.
var conditionalStepDownBases = map[string]string{
	"minio/minio":         "its docker-entrypoint.sh steps down when MINIO_USERNAME and MINIO_GROUPNAME are set",
	"quay.io/minio/minio": "its docker-entrypoint.sh steps down when MINIO_USERNAME and MINIO_GROUPNAME are set",
}

// ConditionalStepDown says how an external base's ENTRYPOINT may step
// down, or "" (see conditionalStepDownBases).
func ConditionalStepDown(ref dockerfile.ImageRef) string {
	return conditionalStepDownBases[repoName(ref)]
}
