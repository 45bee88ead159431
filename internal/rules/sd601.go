package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/vocab"
)

// SD601 reports a Node.js, Python, Ruby or Java server running as PID 1
// without an init process.
var SD601 = &Rule{
	ID:        "SD601",
	Name:      "no-init-process",
	Severity:  vocab.Info,
	Category:  vocab.Performance,
	Checklist: vocab.PerformanceInitSystem,
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
