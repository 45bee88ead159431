package intent

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Port is one port the final image exposes.
type Port struct {
	// Number is the port; 0 when it is given by a variable without a
	// known value.
	Number int
	// Raw is the port as written ("${PORT}/tcp").
	Raw string
	// UDP is true for a /udp port.
	UDP bool
	// Expose is the EXPOSE instruction.
	Expose *dockerfile.Instruction
}

// ports reads the EXPOSE instructions of the final chain, with ARG and
// ENV defaults substituted.
func (img *Image) ports() []Port {
	vars := map[string]string{}
	for _, in := range img.in.File.GlobalArgs {
		for _, a := range in.Args {
			k, v, ok := strings.Cut(a, "=")
			if ok {
				vars[k] = dockerfile.TrimQuotes(v)
			}
		}
	}
	lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
	var out []Port
	for _, in := range img.Instructions() {
		switch in.Cmd {
		case "arg":
			for _, a := range in.Args {
				if k, v, ok := strings.Cut(a, "="); ok {
					val, _ := dockerfile.ExpandArgs(dockerfile.TrimQuotes(v), lookup)
					vars[k] = val
				}
			}
		case "env":
			for _, kv := range in.Pairs() {
				val, _ := dockerfile.ExpandArgs(dockerfile.TrimQuotes(kv[1]), lookup)
				vars[kv[0]] = val
			}
		case "expose":
			for _, a := range in.Args {
				raw := dockerfile.TrimQuotes(a)
				val, unresolved := dockerfile.ExpandArgs(raw, lookup)
				for _, w := range strings.Fields(val) {
					num, proto, _ := strings.Cut(w, "/")
					lo, _, _ := strings.Cut(num, "-")
					n, err := strconv.Atoi(lo)
					if unresolved || err != nil || n <= 0 || n > 65535 {
						n = 0
					}
					out = append(out, Port{Number: n, Raw: raw, UDP: strings.EqualFold(proto, "udp"), Expose: in})
				}
				if strings.TrimSpace(val) == "" {
					out = append(out, Port{Raw: raw, Expose: in})
				}
			}
		}
	}
	return out
}

// Protocol is what a port speaks.
type Protocol struct {
	// Name is "http", "https", "grpc", "fastcgi", "redis", "postgres",
	// "mysql", "mongodb", "ssh", "smtp", "dns", "ldap", "socks", "proxy",
	// "tor", "mqtt", "amqp", "memcached", "zookeeper", "kafka",
	// "cassandra", "stun", "ftp", "imap", "pop3", "tcp" (unknown).
	Name string
	// Sure is true when the program says so, false when only the port
	// number's convention does.
	Sure bool
}

// HTTP reports whether the protocol is HTTP or HTTPS.
func (pr Protocol) HTTP() bool { return pr.Name == "http" || pr.Name == "https" }

// portProtocols (table T6) are the protocols of well-known ports.
var portProtocols = map[int]string{
	21: "ftp", 22: "ssh", 25: "smtp", 465: "smtp", 587: "smtp", 53: "dns", 110: "pop3", 995: "pop3",
	143: "imap", 993: "imap", 389: "ldap", 636: "ldap", 1812: "radius", 1813: "radius", 1883: "mqtt", 8883: "mqtt",
	2181: "zookeeper", 3306: "mysql", 3478: "stun", 4222: "nats", 5432: "postgres", 5672: "amqp", 6379: "redis",
	7000: "cassandra", 7001: "cassandra", 9042: "cassandra", 9050: "socks", 9150: "socks", 9092: "kafka",
	11211: "memcached", 27017: "mongodb", 50051: "grpc", 1080: "socks", 3128: "proxy", 8118: "proxy",
	443: "https", 8443: "https",
}

// httpPorts are ports that speak HTTP by convention (not for sure).
var httpPorts = map[int]bool{80: true, 8080: true, 8000: true, 3000: true, 5000: true, 8081: true, 4000: true,
	8888: true, 8008: true, 9090: true, 9000: false, 8082: true, 5050: true, 8181: true, 8090: true}

// programProtocols (table T6, by program) are what known servers speak on
// their main port.
var programProtocols = map[string]string{
	"redis-server": "redis", "valkey-server": "redis", "keydb-server": "redis", "postgres": "postgres",
	"mysqld": "mysql", "mariadbd": "mysql", "mongod": "mongodb", "sshd": "ssh", "dropbear": "ssh",
	"named": "dns", "dnsmasq": "dns", "unbound": "dns", "postfix": "smtp", "exim": "smtp", "master": "smtp",
	"slapd": "ldap", "php-fpm": "fastcgi", "memcached": "memcached", "tor": "tor", "privoxy": "proxy",
	"squid": "proxy", "mitmproxy": "proxy", "mitmdump": "proxy", "mosquitto": "mqtt", "rabbitmq-server": "amqp",
	"radiusd": "radius", "freeradius": "radius", "vsftpd": "ftp", "proftpd": "ftp", "dovecot": "imap",
	"zkServer.sh": "zookeeper", "distccd": "tcp", "coturn": "stun", "turnserver": "stun", "openvpn": "tcp",
	"coredns": "dns", "danted": "socks", "sockd": "socks",
}

// httpServers (table T8) are programs known to serve HTTP.
var httpServers = map[string]bool{
	"nginx": true, "openresty": true, "httpd": true, "apache2": true, "apache2-foreground": true, "httpd-foreground": true,
	"caddy": true, "traefik": true, "envoy": true, "gunicorn": true, "uvicorn": true, "hypercorn": true, "daphne": true,
	"waitress-serve": true, "puma": true, "unicorn": true, "rails": true, "next": true, "nuxt": true, "serve": true,
	"http-server": true, "prometheus": true, "alertmanager": true, "grafana": true, "grafana-server": true, "minio": true,
	"vault": true, "consul": true, "lighttpd": true, "jekyll": true, "hugo": true, "whoami": true, "httpbin": true,
	"httpbun": true, "cfssl": true, "nomad": true, "oauth2-proxy": true, "pomerium": true, "transfer.sh": true,
	"umami": true, "vaultwarden": true, "plexpy": true, "transmission-daemon": true, "jupyter": true, "jupyter-lab": true, "streamlit": true,
	"code-server": true, "registry": true, "kibana": true, "elasticsearch": true, "gitea": true, "sickbeard": true,
}

// healthPaths (table T7) are the health endpoints of known HTTP servers,
// with the port they serve it on by default (0: the exposed one).
var healthPaths = map[string]struct {
	path string
	port int
}{
	"prometheus": {"/-/healthy", 9090}, "alertmanager": {"/-/healthy", 9093}, "minio": {"/minio/health/live", 9000},
	"grafana": {"/api/health", 3000}, "grafana-server": {"/api/health", 3000}, "vault": {"/v1/sys/health", 8200},
	"consul": {"/v1/status/leader", 8500}, "elasticsearch": {"/_cluster/health", 9200}, "kibana": {"/api/status", 5601},
	"cfssl": {"/api/v1/cfssl/health", 8888}, "whoami": {"/health", 0}, "nomad": {"/v1/agent/health", 4646},
	"oauth2-proxy": {"/ping", 4180}, "caddy": {"/config/", 2019}, "registry": {"/v2/", 5000}, "umami": {"/api/heartbeat", 3000},
	"vaultwarden": {"/alive", 0}, "transmission-daemon": {"/transmission/web/", 9091},
}

// defaultRoot are servers whose / answers 2xx out of the box (a default
// page), so that probing / is not a guess.
var defaultRoot = map[string]bool{"httpbin": true, "httpbun": true}

// healthCommands (table T7) are programs with a health subcommand of
// their own, in exec form.
var healthCommands = map[string]string{
	"traefik": `["traefik", "healthcheck", "--ping"]`,
	"consul":  `["consul", "operator", "raft", "list-peers"]`,
}

// ProtocolOf tells what port pt of the image speaks.
func (img *Image) ProtocolOf(pt Port) Protocol {
	name := img.serverName()
	if pt.UDP {
		if pr, ok := portProtocols[pt.Number]; ok {
			return Protocol{Name: pr}
		}
		return Protocol{Name: "udp"}
	}
	if img.grpc() {
		return Protocol{Name: "grpc", Sure: true}
	}
	if name == "minio" && pt.Number == 9001 {
		return Protocol{Name: "http", Sure: true}
	}
	if pr, ok := programProtocols[name]; ok || strings.HasPrefix(name, "php-fpm") {
		if !ok {
			pr = "fastcgi"
		}
		// A server of another protocol that also exposes a web port
		// (rabbitmq's management on 15672).
		if conv, ok := portProtocols[pt.Number]; ok && conv != pr {
			return Protocol{Name: conv}
		}
		if httpPorts[pt.Number] && pr != "fastcgi" && pr != "proxy" {
			return Protocol{Name: "http"}
		}
		return Protocol{Name: pr, Sure: true}
	}
	if pr, ok := portProtocols[pt.Number]; ok {
		return Protocol{Name: pr, Sure: pr == "https" && img.httpServer()}
	}
	if img.httpServer() {
		return Protocol{Name: "http", Sure: true}
	}
	if httpPorts[pt.Number] {
		return Protocol{Name: "http"}
	}
	return Protocol{Name: "tcp"}
}

// serverName returns the program's name or, when an entrypoint script
// that cannot be seen starts it, the program CMD names (entrypoint
// scripts usually end with exec "$@").
func (img *Image) serverName() string {
	p := img.Program
	if p.Unknown != "" && img.Cmd != nil && img.Cmd.JSON && len(img.Cmd.Args) > 0 && !strings.HasPrefix(img.Cmd.Args[0], "-") {
		return baseName(img.Cmd.Args[0])
	}
	return p.Name
}

// httpServer reports whether the program is known to serve HTTP.
func (img *Image) httpServer() bool {
	p := img.Program
	if name := img.serverName(); httpServers[name] || strings.HasPrefix(name, "apache2") {
		return true
	}
	args := " " + strings.Join(p.Args, " ") + " "
	switch {
	case p.Name == "php" && strings.Contains(args, " -S "):
		return true
	case (p.Name == "flask" || p.Name == "python" || p.Name == "python3") && strings.Contains(args, " run"):
		return true
	case strings.Contains(args, "manage.py runserver") || strings.Contains(args, " runserver "):
		return true
	case p.Name == "npm" || p.Name == "yarn" || p.Name == "pnpm" || p.Name == "node" || p.Name == "bun":
		return img.webFramework("express", "fastify", "koa", "http.createServer", "next", "nuxt", "hapi", "@nestjs", "sinatra")
	case p.Name == "ruby" || p.Name == "bundle" || p.Name == "rackup":
		return img.webFramework("sinatra", "rails", "rack", "puma", "WEBrick")
	case p.Name == "python" || p.Name == "python3":
		return img.webFramework("flask", "fastapi", "django", "aiohttp", "tornado", "bottle", "http.server", "uvicorn", "gunicorn")
	case p.Name == "java":
		return img.webFramework("spring-boot", "springframework.boot", "jetty", "undertow", "micronaut", "quarkus", "sparkjava", "ktor")
	case p.Name == "dotnet":
		return img.webFramework("Microsoft.AspNetCore", "Microsoft.NET.Sdk.Web") || img.projectFileNames(".csproj", "Microsoft.AspNetCore", "Microsoft.NET.Sdk.Web")
	}
	return false
}

// webFramework reports whether the build context's manifests or the
// program's entry file name a web framework.
func (img *Image) webFramework(names ...string) bool {
	files := []string{"package.json", "requirements.txt", "pyproject.toml", "Gemfile", "pom.xml", "build.gradle",
		"build.gradle.kts", "Pipfile", "setup.py"}
	if e := img.Program.EntryFile; e != "" {
		files = append(files, strings.TrimPrefix(path.Clean(e), "/"))
	}
	for _, f := range files {
		if t, ok := img.ctx.read(f); ok {
			for _, n := range names {
				if strings.Contains(t, n) {
					return true
				}
			}
		}
	}
	return false
}

// projectFileNames reports whether a project file of the build context
// (its name ending with ext, searched in the whole tree) names one of
// names.
func (img *Image) projectFileNames(ext string, names ...string) bool {
	for _, m := range img.ctx.byExt(ext) {
		if t, ok := img.ctx.read(m); ok {
			for _, n := range names {
				if strings.Contains(t, n) {
					return true
				}
			}
		}
	}
	return false
}

// grpc reports whether the program serves gRPC: grpc_health_probe is in
// the image, or the program's arguments say so.
func (img *Image) grpc() bool {
	if img.Tools.Has["grpc_health_probe"] || img.Tools.Copied["grpc_health_probe"] {
		return true
	}
	for _, a := range img.Program.Args {
		if strings.Contains(strings.ToLower(a), "grpc") {
			return true
		}
	}
	return false
}

// MainPort picks the port a health check should probe: the one the
// program's arguments or environment name, else the program's known
// health port, else the lowest TCP port. ok is false when the image
// exposes no TCP port.
func (img *Image) MainPort() (Port, bool) {
	var tcp []Port
	for _, pt := range img.Ports {
		if !pt.UDP {
			tcp = append(tcp, pt)
		}
	}
	if len(tcp) == 0 {
		return Port{}, false
	}
	named := map[int]bool{}
	args := strings.Join(img.Program.Args, " ")
	server := img.serverName()
	for _, pt := range tcp {
		if pt.Number > 0 && strings.Contains(args, strconv.Itoa(pt.Number)) {
			named[pt.Number] = true
		}
	}
	if hp, ok := healthPaths[server]; ok && hp.port > 0 {
		for _, pt := range tcp {
			if pt.Number == hp.port {
				return pt, true
			}
		}
	}
	sort.SliceStable(tcp, func(i, j int) bool {
		a, b := tcp[i], tcp[j]
		if named[a.Number] != named[b.Number] {
			return named[a.Number]
		}
		if (a.Number == 0) != (b.Number == 0) {
			return a.Number != 0
		}
		// Prefer a port whose protocol is HTTP for sure.
		ha, hb := img.ProtocolOf(a).HTTP(), img.ProtocolOf(b).HTTP()
		if ha != hb {
			return ha
		}
		return a.Number < b.Number
	})
	return tcp[0], true
}

// Probe suggests a HEALTHCHECK for port pt that works with the tools the
// image has. exact is false when the suggestion is advice in words (no
// tool in the image can do it, or the protocol is unknown).
func (img *Image) Probe(pt Port) (probe string, exact bool) {
	pr := img.ProtocolOf(pt)
	t := img.Tools
	port := strconv.Itoa(pt.Number)
	if pt.Number == 0 {
		port = "PORT"
	}
	shellless := t.Family == "scratch" || t.Family == "distroless"
	name := img.serverName()
	if c, ok := healthCommands[name]; ok {
		return "HEALTHCHECK CMD " + c, true
	}
	if name == "prometheus" && (t.Has["promtool"] || t.Copied["promtool"]) && pt.Number == 9090 {
		return `HEALTHCHECK CMD ["` + img.copiedPath("promtool") + `", "check", "healthy"]`, true
	}
	switch {
	case pr.HTTP():
		scheme, insecure := "http", ""
		if pr.Name == "https" {
			scheme, insecure = "https", "k"
		}
		p := "/"
		if hp, ok := healthPaths[name]; ok {
			p = hp.path
			if hp.port > 0 && name == "caddy" {
				port = strconv.Itoa(hp.port)
			}
		}
		url := fmt.Sprintf("%s://localhost:%s%s", scheme, port, p)
		guess := ""
		if p == "/" && !defaultRoot[name] {
			guess = " (point it at a path the app answers with 2xx: / is a guess)"
		}
		switch {
		case t.Has["curl"] || t.Copied["curl"]:
			return fmt.Sprintf("HEALTHCHECK CMD curl -fsS%s %s || exit 1%s", insecure, url, guess), true
		case t.Has["wget"] || t.Copied["wget"]:
			return fmt.Sprintf("HEALTHCHECK CMD wget -q --spider %s || exit 1%s", url, guess), true
		case t.Has["python3"] || t.Has["python"]:
			py := "python3"
			if !t.Has["python3"] {
				py = "python"
			}
			return fmt.Sprintf(`HEALTHCHECK CMD ["%s", "-c", "import urllib.request; urllib.request.urlopen('%s', timeout=3)"]%s`, py, url, guess), true
		case t.Has["node"]:
			return fmt.Sprintf(`HEALTHCHECK CMD ["node", "-e", "fetch('%s').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]%s`, url, guess), true
		case shellless:
			return "an exec-form HEALTHCHECK with a static probe copied from a build stage (the image has no shell, curl or wget) that requests " + url + guess, false
		}
		return "a HEALTHCHECK that requests " + url + " with a tool the image has (it installs neither curl nor wget)" + guess, false
	case pr.Name == "grpc":
		for _, n := range []string{"grpc_health_probe", "grpc-health-probe"} {
			if t.Has[n] || t.Copied[n] {
				bin := img.copiedPath(n)
				return fmt.Sprintf(`HEALTHCHECK CMD ["%s", "-addr=localhost:%s"]`, bin, port), true
			}
		}
		return "a gRPC health check: copy grpc_health_probe into the image and run HEALTHCHECK CMD [\"/bin/grpc_health_probe\", \"-addr=localhost:" + port + "\"] (the server must implement grpc.health.v1)", false
	case pr.Name == "redis":
		if t.Has["redis-cli"] {
			return fmt.Sprintf(`HEALTHCHECK CMD [ "$(redis-cli -h 127.0.0.1 -p %s ping)" = PONG ] || exit 1`, port), true
		}
	case pr.Name == "postgres":
		if t.Has["pg_isready"] {
			return fmt.Sprintf("HEALTHCHECK CMD pg_isready -h 127.0.0.1 -p %s || exit 1", port), true
		}
	case pr.Name == "mysql":
		if t.Has["mysqladmin"] {
			return fmt.Sprintf("HEALTHCHECK CMD mysqladmin ping -h 127.0.0.1 -P %s || exit 1", port), true
		}
	case pr.Name == "mongodb":
		if t.Has["mongosh"] {
			return `HEALTHCHECK CMD mongosh --quiet --eval 'db.adminCommand("ping")' || exit 1`, true
		}
	case pr.Name == "fastcgi":
		return "a FastCGI probe (cgi-fcgi -bind -connect 127.0.0.1:" + port + " with php-fpm's ping.path set, as php-fpm-healthcheck does): port " + port + " speaks FastCGI, not HTTP", false
	}
	what := pr.Name
	if what == "tcp" {
		what = "a protocol strata does not know"
	}
	if t.Has["nc"] {
		return fmt.Sprintf("HEALTHCHECK CMD nc -z 127.0.0.1 %s || exit 1 (port %s speaks %s: a TCP check)", port, port, what), true
	}
	return fmt.Sprintf("a check that port %s accepts connections (it speaks %s; the image has no nc for nc -z)", port, what), false
}

// copiedPath returns where a COPY --from put the named binary, or the
// name.
func (img *Image) copiedPath(name string) string {
	for _, in := range img.Instructions() {
		if in.Cmd != "copy" || len(in.Args) < 2 {
			continue
		}
		dest := dockerfile.TrimQuotes(in.Args[len(in.Args)-1])
		for _, s := range in.Args[:len(in.Args)-1] {
			b := path.Base(dockerfile.TrimQuotes(s))
			if b == name || path.Base(dest) == name {
				if strings.HasSuffix(dest, "/") {
					return path.Join(dest, b)
				}
				return dest
			}
		}
	}
	return name
}
