package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
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
			"by default, this rule only looks at images that expose a port and start a command " +
			"of their own (CMD or ENTRYPOINT in the final stage chain). HEALTHCHECK NONE counts " +
			"as a decision. The message suggests a probe that fits the image (curl when it is " +
			"installed, busybox wget on alpine, the interpreter on python or node images, a " +
			"health subcommand on distroless and scratch, which have no shell). Kubernetes " +
			"ignores HEALTHCHECK: there, define probes instead.",
		Bad:  "EXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
		Good: "EXPOSE 8000\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\"]\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
	},
	Check: func(p *Pass) error {
		ins := finalInstructions(p.File)
		if lastOf(ins, "healthcheck") != nil || firstRunSpec(ins) == nil {
			return nil
		}
		var expose *dockerfile.Instruction
		for _, in := range ins {
			if in.Cmd == "expose" && len(in.Args) > 0 {
				expose = in
				break
			}
		}
		if expose == nil {
			return nil
		}
		port := strings.SplitN(dockerfile.TrimQuotes(expose.Args[0]), "/", 2)[0]
		if dockerfile.HasVariable(port) || port == "" {
			port = "<port>"
		}
		p.Report(expose, "the image serves port %s but has no HEALTHCHECK, so a hung server is never detected: add %s", port, healthProbe(p, port))
		return nil
	},
}

// healthProbe suggests a HEALTHCHECK that works with the tools of the
// final image.
func healthProbe(p *Pass, port string) string {
	chain := finalChain(p.File)
	root := chain[0].Base
	url := fmt.Sprintf("http://localhost:%s/", port)
	installs := map[string]bool{}
	for _, in := range finalInstructions(p.File) {
		if in.Cmd != "run" {
			continue
		}
		for _, op := range opsOf(p, in) {
			if op.Action == shell.ActionInstall {
				for _, n := range op.PackageNames() {
					installs[n] = true
				}
			}
		}
	}
	repo := officialRepo(root)
	switch {
	case installs["curl"]:
		return fmt.Sprintf("HEALTHCHECK CMD curl -fsS %s || exit 1", url)
	case installs["wget"] || repo == "alpine" || repo == "busybox" || strings.Contains(strings.ToLower(root.Tag), "alpine"):
		return fmt.Sprintf("HEALTHCHECK CMD wget -q --spider %s || exit 1", url)
	case repo == "python":
		return fmt.Sprintf(`HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('%s')"]`, url)
	case repo == "node":
		return fmt.Sprintf(`HEALTHCHECK CMD ["node", "-e", "fetch('%s').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`, url)
	case root.Scratch || isDistroless(root):
		return "a HEALTHCHECK in exec form that runs a health subcommand of the program (the image has no shell or curl)"
	}
	return fmt.Sprintf("HEALTHCHECK CMD curl -fsS %s || exit 1 (install curl, or probe with a tool the image has)", url)
}
