package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/lazyre"
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
		Summary: "A Node.js or Python process, or an npm/yarn/pnpm wrapper, runs as PID 1 without an init (tini, dumb-init).",
		Why: "PID 1 is special in Linux: the kernel does not apply default signal handlers to it, " +
			"and it inherits every orphaned process. node and python do not install SIGTERM " +
			"handlers of their own, so as PID 1 they ignore `docker stop`, which waits 10 " +
			"seconds and kills them without a clean shutdown, and they do not reap zombie " +
			"children. npm, yarn and pnpm start scripts add a wrapper that does not forward " +
			"signals either. A tiny init as PID 1 forwards signals and reaps zombies: " +
			"ENTRYPOINT [\"tini\", \"--\"] or [\"dumb-init\", \"--\"], or `docker run --init`. " +
			"Programs that handle PID 1's duties are left alone: masters that stop gracefully " +
			"and reap their workers (gunicorn, uvicorn, puma, php-fpm, nginx), the JVM (shutdown " +
			"hooks), Ruby (bundle exec ruby traps TERM), .NET, and a node or python entry file " +
			"that installs a SIGTERM handler (process.on('SIGTERM'), signal.signal). Only " +
			"application images are checked (not REPLs, base images, devcontainers, test " +
			"runners or Windows images); an ENTRYPOINT script is assumed to handle this itself, " +
			"and a Compose service with init: true counts.",
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
		img := imageOf(p)
		prog := img.Program
		if img.Is(notAnApp|intent.RoleTestRunner) || prog.Init != "" || len(prog.Scripts) > 0 && prog.Scripts[0].Path != "" || prog.Unknown != "" {
			return nil
		}
		name := prog.Name
		if name == "" || !pid1Servers[name] && !isPythonName(name) {
			return nil
		}
		if started := startedProgram(spec); started == "" {
			return nil // an init or supervisor starts it
		}
		for _, cs := range img.Compose() {
			if cs.Init {
				return nil // compose runs it with init: true
			}
		}
		if name == "node" || name == "nodejs" || isPythonName(name) {
			// Whether the program handles SIGTERM is in its entry file:
			// without it (cloned or downloaded in a RUN, a module run
			// with -m) the rule cannot tell, and says nothing.
			text, ok := img.EntryText()
			if !ok || handlesSIGTERM(text, name) {
				return nil
			}
			// The handler may sit in a module the entry file imports.
			re, exts := sigtermPythonRe, []string{".py"}
			if name == "node" || name == "nodejs" {
				re, exts = sigtermNodeRe, []string{".js", ".mjs", ".cjs", ".ts"}
			}
			if img.SourceMatches(re.Regexp(), exts...) {
				return nil
			}
		}
		p.Report(spec, "%s runs as PID 1 (%s): %s, so docker stop waits 10 s and kills it; start it under an init: ENTRYPOINT [\"tini\", \"--\"] (or dumb-init), or docker run --init",
			name, strings.ToUpper(spec.Cmd), pid1Reason(name))
		return nil
	},
}

// pid1Reason says what goes wrong with the program as PID 1.
func pid1Reason(name string) string {
	switch name {
	case "npm", "npx", "yarn", "pnpm":
		return name + " is a wrapper that does not pass SIGTERM on to the app it starts, nor reap its zombies"
	case "nodemon", "flask":
		return name + " forks the app as a child and neither forwards SIGTERM reliably nor reaps zombies"
	}
	return "it installs no SIGTERM handler of its own (the kernel gives PID 1 none) and does not reap zombie children"
}

// handlesSIGTERM reports whether the program's entry file installs a
// SIGTERM handler, or starts a server library that does (uvicorn.run,
// aiohttp's run_app).
func handlesSIGTERM(text, name string) bool {
	if name == "node" || name == "nodejs" {
		return sigtermNodeRe.MatchString(text)
	}
	return sigtermPythonRe.MatchString(text)
}

var (
	sigtermNodeRe   = lazyre.New("process\\.(on|once|addListener)\\(\\s*['\"`]SIG(TERM|INT)['\"`]")
	sigtermPythonRe = lazyre.New(`signal\.signal\(\s*(signal\.)?SIGTERM|add_signal_handler\(\s*(signal\.)?SIGTERM|uvicorn\.run\(|uvicorn\.Server\(|web\.run_app\(`)
)

// pid1Servers are programs that do not handle PID 1's duties: wrappers
// that do not forward signals, and runtimes without a default SIGTERM
// handler. Masters that handle SIGTERM and reap their workers (gunicorn,
// uvicorn, puma, php-fpm, nginx), the JVM (shutdown hooks), Ruby (which
// traps TERM and INT) and .NET are left out.
var pid1Servers = map[string]bool{
	"node": true, "nodejs": true, "npm": true, "yarn": true, "pnpm": true, "npx": true, "ts-node": true,
	"tsx": true, "nodemon": true, "flask": true,
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
