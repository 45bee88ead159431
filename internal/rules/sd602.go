package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/vocab"
)

// SD602 reports a served port without a HEALTHCHECK.
var SD602 = &Rule{
	ID:        "SD602",
	Name:      "port-without-healthcheck",
	Severity:  vocab.Info,
	Category:  vocab.Performance,
	Checklist: vocab.PerformanceHealthcheck,
	Doc: Doc{
		Summary: "The final image exposes a port and runs a command but has no HEALTHCHECK.",
		Why: "EXPOSE says the image serves on a port. Without a HEALTHCHECK, Docker, Compose and " +
			"Swarm only know that the process is alive: a server that hangs, deadlocks or lost " +
			"its database keeps receiving traffic, and `depends_on: condition: service_healthy` " +
			"cannot work. Unlike DL3057, which asks every image for a health check and is off " +
			"by default, this rule only looks at application images that expose a TCP port and " +
			"serve by default (not --help, not a TUI, not a base image, toolchain, devcontainer, " +
			"test runner, generated official image or Windows image), and not when a Compose " +
			"file beside it defines the service's healthcheck. HEALTHCHECK NONE counts as a " +
			"decision. The suggested probe speaks the port's protocol: the service's own client " +
			"(redis-cli ping, pg_isready, mysqladmin ping, grpc_health_probe when the image has " +
			"it, promtool check healthy), an HTTP request only for servers known to speak HTTP " +
			"(on their health path: /-/healthy, /minio/health/live ...), with curl, busybox wget " +
			"or the image's interpreter, whichever the image has; a TCP check (nc -z) for other " +
			"protocols; never an HTTP probe on a FastCGI, RESP or SSH port, and never a tool the " +
			"image lacks. Kubernetes ignores HEALTHCHECK: there, define probes instead.",
		Bad:  "EXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
		Good: "EXPOSE 8000\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\"]\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
	},
	Check: func(p *Pass) error {
		ins := finalInstructions(p.File)
		if lastOf(ins, "healthcheck") != nil || firstRunSpec(ins) == nil {
			return nil
		}
		img := imageOf(p)
		if img.Is(notAnApp|intent.RoleTestRunner) || img.Generated || !servesByDefault(img) {
			return nil
		}
		for _, cs := range img.Compose() {
			if cs.HealthcheckSet {
				return nil // the Compose file defines the service's health check
			}
		}
		pt, ok := img.MainPort()
		if !ok {
			return nil
		}
		if pt.Number == 0 {
			with := ""
			if pr := img.ProtocolOf(pt); pr.Name == "grpc" && (img.Tools.Has["grpc_health_probe"] || img.Tools.Copied["grpc_health_probe"]) {
				with = " (gRPC: grpc_health_probe, which the image has, can probe it)"
			}
			p.Report(pt.Expose, "the image serves port %s (set at build or run time) but has no HEALTHCHECK, so a hung server is never detected: add a HEALTHCHECK that probes the port the server listens on%s", pt.Raw, with)
			return nil
		}
		pr := img.ProtocolOf(pt)
		probe, _ := img.Probe(pt)
		what := ""
		switch {
		case pr.Name == "tcp":
		case pr.Sure || pr.Name != "http":
			what = " (" + strings.ToUpper(pr.Name) + ")"
		}
		p.Report(pt.Expose, "the image serves port %d%s but has no HEALTHCHECK, so a hung server is never detected: add %s", pt.Number, what, probe)
		return nil
	},
}

// serveVerbs are subcommands without which a program does not serve: a
// CMD that does not name one prints usage or runs once.
var serveVerbs = map[string][]string{
	"cfssl": {"serve"}, "consul": {"agent"}, "vault": {"server"}, "nomad": {"agent"}, "minio": {"server", "gateway"},
	"caddy": {"run", "file-server", "reverse-proxy"}, "registry": {"serve"},
}

// tuis are interactive programs that expose a port but are used from a
// terminal (a health check on their port says nothing).
var tuis = map[string]bool{"mitmproxy": true, "htop": true, "weechat": true, "irssi": true}

// servesByDefault reports whether the container's default command runs a
// server: not --help or version, not a TUI, not a tool whose server mode
// is a subcommand the command does not give.
func servesByDefault(img *intent.Image) bool {
	prog := img.Program
	if hasArg(prog.Args, "--help", "-h", "help", "--version", "version", "-v") || tuis[prog.Name] {
		return false
	}
	if verbs, ok := serveVerbs[prog.Name]; ok && len(verbs) > 0 && verbs[0] != "" {
		return hasArg(prog.Args, verbs...)
	}
	return true
}
