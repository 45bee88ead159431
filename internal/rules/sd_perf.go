package rules

import (
	"fmt"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// Checklist rules about run-time behaviour (SD6xx).

// SD601 reports a Node.js, Python, Ruby or Java server running as PID 1
// without an init process.
var SD601 = &Rule{
	ID:        "SD601",
	Name:      "no-init-process",
	Severity:  vocab.Info,
	Category:  vocab.Performance,
	Checklist: PerformanceInitSystem,
	Doc: Doc{
		Summary: "A Node.js, Python, Ruby or Java process runs as PID 1 without an init (tini, dumb-init).",
		Why: "PID 1 is special in Linux: the kernel does not apply default signal handlers to it, " +
			"and it inherits every orphaned process. node and python do not install SIGTERM " +
			"handlers of their own, so as PID 1 they ignore `docker stop`, which waits 10 " +
			"seconds and kills them without a clean shutdown; none of these runtimes reap " +
			"zombie children (a worker or a subprocess that exits). npm start and yarn start add " +
			"a wrapper that does not forward signals either. A tiny init as PID 1 forwards " +
			"signals and reaps zombies: ENTRYPOINT [\"tini\", \"--\"] or [\"dumb-init\", \"--\"], " +
			"or `docker run --init` where you control how the container is started. Only the " +
			"command of the final image is checked; an ENTRYPOINT script is assumed to handle " +
			"this itself; Windows images are skipped.",
		Bad:  "CMD [\"node\", \"server.js\"]",
		Good: "RUN apk add --no-cache tini\nENTRYPOINT [\"/sbin/tini\", \"--\"]\nCMD [\"node\", \"server.js\"]",
	},
	Check: func(p *Pass) error {
		st := p.File.FinalStage()
		if st == nil || isWindowsStage(p.File, st) {
			return nil
		}
		ins := finalInstructions(p.File)
		var spec *dockerfile.Instruction
		if ep := lastOf(ins, "entrypoint"); ep != nil {
			spec = ep
		} else if cmd := lastOf(ins, "cmd"); cmd != nil {
			spec = cmd
		}
		if spec == nil {
			return nil
		}
		prog := startedProgram(spec)
		if prog == "" || !pid1Servers[prog] && !isPythonName(prog) {
			return nil
		}
		p.Report(spec, "%s runs as PID 1 (%s): it does not reap zombies and ignores SIGTERM unless it handles it, so docker stop kills it after 10 s; start it under an init: ENTRYPOINT [\"tini\", \"--\"] (or dumb-init), or docker run --init",
			prog, strings.ToUpper(spec.Cmd))
		return nil
	},
}

// pid1Servers are programs that should not run as PID 1 without an init.
var pid1Servers = map[string]bool{
	"node": true, "nodejs": true, "npm": true, "yarn": true, "pnpm": true, "npx": true, "ts-node": true,
	"gunicorn": true, "uvicorn": true, "hypercorn": true, "daphne": true, "flask": true, "celery": true,
	"java": true, "ruby": true, "rails": true, "puma": true, "unicorn": true, "rackup": true, "bundle": true,
}

func isPythonName(s string) bool {
	if s == "python" || s == "python3" || s == "python2" {
		return true
	}
	rest, ok := strings.CutPrefix(s, "python")
	return ok && versionRe.MatchString(rest)
}

// initPrograms run a child as a proper PID 1 (or manage processes).
var initPrograms = map[string]bool{
	"tini": true, "tini-static": true, "dumb-init": true, "catatonit": true, "docker-init": true, "init": true,
	"s6-svscan": true, "runsvdir": true, "supervisord": true, "pm2-runtime": true, "my_init": true,
}

// startedProgram returns the base name of the program a CMD or
// ENTRYPOINT starts, looking through sh -c, exec, env and VAR=value; an
// init program is returned as "" (nothing to report), and so is any
// program that is not recognised as a wrapper or a server.
func startedProgram(in *dockerfile.Instruction) string {
	var words []string
	if in.JSON {
		words = append(words, in.Args...)
	} else {
		words = wordsOf(in.Args)
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		b := baseName(w)
		switch {
		case initPrograms[b]:
			return ""
		case strings.Contains(w, "=") && !strings.HasPrefix(w, "-"):
			continue // VAR=value
		case b == "exec" || b == "env" || b == "nice" || b == "nohup":
			continue
		case b == "sh" || b == "bash" || b == "ash" || b == "dash":
			if i+1 < len(words) && words[i+1] == "-c" && i+2 < len(words) {
				rest := wordsOf(words[i+2:])
				words = append(words[:i+2:i+2], rest...)
				i++
				continue
			}
			return ""
		case strings.HasPrefix(w, "-"):
			continue
		}
		return b
	}
	return ""
}

// SD602 reports a served port without a HEALTHCHECK.
var SD602 = &Rule{
	ID:        "SD602",
	Name:      "port-without-healthcheck",
	Severity:  vocab.Info,
	Category:  vocab.Performance,
	Checklist: PerformanceHealthcheck,
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
