package intent

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/shell"
)

// Program is what a container of the image runs.
type Program struct {
	// Name is the base name of the program that finally runs
	// ("redis-server", "php-fpm", "java"); "" when it cannot be told.
	Name string
	// Path is the program as written ("/usr/local/bin/app").
	Path string
	// Args are its arguments: literal words, or the source text of words
	// that are not literal.
	Args []string
	// Via is the ENTRYPOINT or CMD the program comes from (the
	// ENTRYPOINT when both are set).
	Via *dockerfile.Instruction
	// Inherited is true when the file sets neither ENTRYPOINT nor CMD in
	// the final chain: the base image's apply.
	Inherited bool
	// Init is the init wrapper in front of the program ("tini",
	// "dumb-init", "s6-overlay"), or "".
	Init string
	// Scripts are the start-up scripts followed from ENTRYPOINT or CMD to
	// the program, outermost first.
	Scripts []*Script
	// Unknown is the path of a start-up script the image runs that is not
	// in the build context (so what it does cannot be seen), or "".
	Unknown string
	// StepsDown says how the start-up drops root before the program
	// runs ("gosu in docker-entrypoint.sh", "slapd -u"), or "".
	StepsDown string
	// RootOps are operations needing root that the start-up runs before
	// the program without stepping down first ("mount", "iptables").
	RootOps []string
	// Interactive is true when the program is a shell or an interpreter
	// with no script to run (a REPL), or an idle command (sleep
	// infinity): a container meant to be exec'ed into or built FROM.
	Interactive bool
	// EntryFile is the script or archive an interpreter runs
	// ("server.js", "app.py", "app.jar"), as written.
	EntryFile string
	// Commands are the names of every command the start-up runs (the
	// scripts followed and sh -c command lines), the program included.
	Commands map[string]bool
	// ShellForm is true when the program is started through a shell
	// command line (shell form or sh -c).
	ShellForm bool
}

// Known reports whether the program could be told.
func (p Program) Known() bool { return p.Name != "" }

// DropsPrivileges reports whether the program, its start-up scripts or
// its own configuration take it off root after starting: a step-down
// command, a daemon user flag, or a master process that runs its workers
// as another user (table T1).
func (p Program) DropsPrivileges() (string, bool) {
	if p.StepsDown != "" {
		return p.StepsDown, true
	}
	if isPrivilegeDropper(p.Name) {
		return p.Name + " starts as root and runs its workers as an unprivileged user", true
	}
	return "", false
}

// maxDepth bounds how many scripts and wrappers are followed.
const maxDepth = 8

// resolveProgram follows ENTRYPOINT and CMD to the program.
func (img *Image) resolveProgram() Program {
	p := Program{Commands: map[string]bool{}}
	ep, cmd := img.Entrypoint, img.Cmd
	switch {
	case ep != nil:
		p.Via = ep
	case cmd != nil:
		p.Via = cmd
	default:
		p.Inherited = true
		return p
	}
	var argv []string
	if ep != nil {
		argv = execArgv(ep)
		if ep.JSON && cmd != nil {
			argv = append(argv, execArgv(cmd)...)
		}
	} else {
		argv = execArgv(cmd)
		if bep := baseEntrypoint(img.Base); bep != "" && cmd.JSON {
			// CMD holds only the arguments of the base's ENTRYPOINT.
			argv = append([]string{bep}, argv...)
		}
	}
	if len(argv) > 0 && strings.HasPrefix(argv[0], "-") {
		// Options for an ENTRYPOINT the base image sets, which strata
		// does not know: the program cannot be told.
		return p
	}
	r := &resolver{img: img, p: &p}
	r.argv(argv, 0)
	return p
}

// execArgv returns the argv an ENTRYPOINT or CMD starts.
func execArgv(in *dockerfile.Instruction) []string {
	if in.JSON {
		out := make([]string, 0, len(in.Args))
		for _, a := range in.Args {
			out = append(out, a)
		}
		return out
	}
	text := strings.TrimSpace(strings.Join(in.Args, " "))
	if text == "" {
		return nil
	}
	sh := in.Shell
	if len(sh) == 0 {
		sh = dockerfile.DefaultShell()
	}
	return append(append([]string{}, sh...), text)
}

// resolver follows one start-up.
type resolver struct {
	img *Image
	p   *Program
}

// argv resolves a command given as an argument vector.
func (r *resolver) argv(argv []string, depth int) {
	p := r.p
	for len(argv) > 0 && depth <= maxDepth {
		w := argv[0]
		name := baseName(w)
		p.Commands[name] = true
		switch {
		case initWrappers[name]:
			p.Init = name
			argv = skipOptions(argv[1:], nil)
			continue
		case w == "/init" && len(argv) >= 1:
			// s6-overlay's /init: a supervisor that runs CMD too.
			p.Init = "s6-overlay"
			p.Name, p.Path, p.Args = "s6-overlay", w, argv[1:]
			return
		case name == "env":
			argv = skipOptions(argv[1:], map[string]bool{"-u": true, "--unset": true, "-C": true, "--chdir": true})
			for len(argv) > 0 && strings.Contains(argv[0], "=") && !strings.HasPrefix(argv[0], "-") {
				argv = argv[1:]
			}
			continue
		case name == "exec" || name == "nohup" || name == "stdbuf" || name == "chronic":
			argv = skipOptions(argv[1:], nil)
			continue
		case name == "nice" || name == "ionice" || name == "taskset" || name == "numactl" || name == "prlimit":
			argv = skipOptions(argv[1:], map[string]bool{"-n": true, "-c": true, "-p": true})
			if name == "taskset" && len(argv) > 0 {
				argv = argv[1:]
			}
			continue
		case name == "sudo" && len(argv) > 1:
			rest, user := sudoArgs(argv[1:])
			if user != "" && !isRootName(user) {
				p.StepsDown = "sudo -u " + user
			}
			argv = rest
			continue
		}
		if how, rest, ok := stepDownArgv(argv); ok {
			if p.StepsDown == "" {
				p.StepsDown = how
			}
			if len(rest) == 0 {
				return
			}
			argv = rest
			continue
		}
		if shells[name] {
			r.shellArgv(name, argv[1:], depth)
			return
		}
		if rel, text, ok := r.img.contextFile(w); ok {
			if interp := shebangInterpreter(text); interp != "" && !shells[interp] {
				p.Name, p.Path, p.Args, p.EntryFile = interp, w, argv[1:], rel
				return
			}
			if isShellText(rel, text) {
				r.script(parseScript(rel, w, text), argv[1:], depth+1)
				return
			}
		}
		if known, ok := baseScripts[name]; ok && !r.img.copiedFromContext(w) {
			r.knownScript(known, argv, depth)
			return
		}
		if name == "docker-entrypoint.sh" && len(p.Scripts) == 0 && StepDownBase(r.img.Base) && !r.img.copiedFromStage(w) {
			// The base image's own entrypoint, which steps down.
			if p.StepsDown == "" {
				p.StepsDown = "the " + repoName(r.img.Base) + " image's docker-entrypoint.sh"
			}
			if len(argv) > 1 {
				r.argv(argv[1:], depth+1)
				return
			}
		}
		if javaLaunchers[name] {
			// A Java distribution's launcher: it runs java.
			p.Commands["java"] = true
			r.program(w, argv[1:])
			return
		}
		if len(p.Scripts) == 0 && looksLikeScript(w) && !r.img.builtInStage(w) {
			p.Unknown = w
		}
		r.program(w, argv[1:])
		return
	}
}

// program records the program that finally runs.
func (r *resolver) program(w string, args []string) {
	p := r.p
	w = strings.Trim(w, `"'`)
	name := baseName(w)
	if strings.Contains(name, "$") {
		name = ""
	}
	p.Name, p.Path, p.Args = name, w, args
	p.Interactive = interactive(name, args)
	if p.StepsDown == "" {
		for _, fl := range userFlags[name] {
			if u, ok := flagValue(args, fl); ok && !isRootName(u) {
				p.StepsDown = name + " " + fl + " " + u
			}
		}
	}
	if interpreters[name] || isREPLName(name) && name != "php" || name == "java" {
		p.EntryFile = entryFile(name, args)
	}
	if name == "php" {
		p.EntryFile = entryFile(name, args)
	}
	if !p.Interactive || p.Name == "" {
		return
	}
	// A REPL whose entry file is named is not interactive.
	if p.EntryFile != "" {
		p.Interactive = false
	}
}

// shellArgv resolves "sh -c TEXT args..." and "sh SCRIPT args...".
func (r *resolver) shellArgv(name string, rest []string, depth int) {
	p := r.p
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			rest = rest[i+1:]
			break
		}
		if strings.HasPrefix(a, "-") || strings.HasPrefix(a, "+") {
			if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") && i+1 < len(rest) {
				text := rest[i+1]
				p.ShellForm = true
				sc := parseScript("", "", text)
				r.script(sc, rest[min(i+2, len(rest)):], depth+1)
				return
			}
			if a == "-o" || a == "+o" {
				i++
			}
			continue
		}
		rest = rest[i:]
		r.argv(rest, depth+1)
		if p.Name == "" && p.Unknown == "" && looksLikeScript(rest[0]) {
			p.Unknown = rest[0]
		}
		return
	}
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		r.argv(rest, depth+1)
		return
	}
	// A shell with nothing to run: interactive.
	p.Name, p.Path, p.Args, p.Interactive = name, name, rest, true
}

// script follows a start-up script run with positional arguments args:
// it records what the script does and resolves the program it ends by
// running.
func (r *resolver) script(sc *Script, args []string, depth int) {
	p := r.p
	if sc == nil {
		return
	}
	if sc.Path != "" {
		p.Scripts = append(p.Scripts, sc)
	}
	for c := range sc.Commands {
		p.Commands[c] = true
	}
	if sc.StepsDown != "" && p.StepsDown == "" {
		where := ""
		if sc.Path != "" {
			where = " in " + path.Base(sc.Path)
		}
		p.StepsDown = sc.StepsDown + where
	}
	if p.StepsDown == "" {
		p.RootOps = appendNew(p.RootOps, sc.RootOps...)
	}
	last := sc.last
	if last == nil {
		return
	}
	if last.passThrough {
		if len(args) == 0 {
			return // no CMD: the program is whatever the user passes
		}
		r.argv(args, depth+1)
		return
	}
	argv := substitute(last.argv, args)
	if len(argv) == 0 {
		return
	}
	if last.suText != "" {
		r.script(parseScript("", "", last.suText), nil, depth+1)
		return
	}
	r.argv(argv, depth+1)
}

// knownScript follows an entrypoint script that a base image provides.
func (r *resolver) knownScript(k baseScript, argv []string, depth int) {
	p := r.p
	switch k.kind {
	case "passthrough":
		if len(argv) > 1 {
			r.argv(argv[1:], depth+1)
			return
		}
		r.program(argv[0], nil)
	case "master":
		r.program(k.program, argv[1:])
	case "stepdown":
		if p.StepsDown == "" {
			p.StepsDown = k.how
		}
		if len(argv) > 1 {
			r.argv(argv[1:], depth+1)
			return
		}
		r.program(argv[0], nil)
	}
}

// baseScript describes an entrypoint script an official base image
// provides.
type baseScript struct {
	kind    string // passthrough, master, stepdown
	program string // the program a master script execs
	how     string // how a step-down script drops root
}

// baseScripts are entrypoint and start scripts that official images put
// on PATH (the Dockerfile names them without copying them).
var baseScripts = map[string]baseScript{
	"docker-php-entrypoint": {kind: "passthrough"},
	"apache2-foreground":    {kind: "master", program: "apache2"},
	"httpd-foreground":      {kind: "master", program: "httpd"},
	"nginx-debug":           {kind: "master", program: "nginx"},
}

// copiedFromContext reports whether imagePath is copied from the build
// context.
func (img *Image) copiedFromContext(imagePath string) bool {
	_, _, ok := img.contextFile(imagePath)
	return ok
}

// interactive reports whether a program started with args waits for a
// user: a shell or interpreter with no script or command, or an idle
// command.
func interactive(name string, args []string) bool {
	switch name {
	case "sleep":
		return len(args) == 1 && (args[0] == "infinity" || args[0] == "inf")
	case "tail":
		return len(args) > 0 && args[len(args)-1] == "/dev/null"
	}
	if !shells[name] && !isREPLName(name) {
		return false
	}
	for i, a := range args {
		switch a {
		case "-c", "-e", "-m", "-r", "--eval", "--command", "-S", "-f", "-x":
			return false
		case "-a", "-i", "-l", "--login", "-q", "--quiet", "-u", "-v", "--interactive", "-", "--version", "-V":
			continue
		}
		if strings.HasPrefix(a, "-") && i == 0 && len(a) > 2 && !strings.HasPrefix(a, "--") {
			if strings.ContainsAny(a[1:], "cem") {
				return false
			}
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		return false // a script operand
	}
	return true
}

// entryFile returns the file an interpreter or java runs.
func entryFile(name string, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case name == "java" && (a == "-jar") && i+1 < len(args):
			return args[i+1]
		case name == "java":
			if a == "-cp" || a == "-classpath" || a == "--class-path" || a == "-p" || a == "--module-path" {
				i++
				continue
			}
			if strings.HasPrefix(a, "-") {
				continue
			}
			return a
		case a == "-m" || a == "-c" || a == "-e" || a == "--eval" || a == "-r" && name != "node":
			return ""
		case a == "-r" || a == "--require" || a == "-W" || a == "-X" || a == "--import" || a == "--loader":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}

// skipOptions drops leading options (and "--"); valued names the options
// that take the next word as their value.
func skipOptions(argv []string, valued map[string]bool) []string {
	for len(argv) > 0 {
		a := argv[0]
		if a == "--" {
			return argv[1:]
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return argv
		}
		argv = argv[1:]
		if valued[a] && len(argv) > 0 {
			argv = argv[1:]
		}
	}
	return argv
}

// sudoArgs skips sudo's options and returns the command and the -u user.
func sudoArgs(argv []string) ([]string, string) {
	user := ""
	for len(argv) > 0 {
		a := argv[0]
		switch {
		case a == "--":
			return argv[1:], user
		case a == "-u" || a == "--user" || a == "-g" || a == "--group" || a == "-C" || a == "-D" || a == "-h":
			if len(argv) > 1 && (a == "-u" || a == "--user") {
				user = argv[1]
			}
			argv = argv[min(2, len(argv)):]
		case strings.HasPrefix(a, "--user="):
			user = strings.TrimPrefix(a, "--user=")
			argv = argv[1:]
		case strings.HasPrefix(a, "-u") && len(a) > 2:
			user = a[2:]
			argv = argv[1:]
		case strings.HasPrefix(a, "-"):
			argv = argv[1:]
		case strings.Contains(a, "="):
			argv = argv[1:]
		default:
			return argv, user
		}
	}
	return argv, user
}

// isRootName reports whether a user operand names root.
func isRootName(u string) bool {
	u, _, _ = strings.Cut(u, ":")
	return u == "root" || u == "0"
}

// stepDownArgv recognises a command that runs another command as an
// unprivileged user (table T2a), given as an argument vector. It returns
// how, and the command run.
func stepDownArgv(argv []string) (string, []string, bool) {
	name := baseName(argv[0])
	rest := argv[1:]
	switch name {
	case "gosu", "su-exec", "s6-setuidgid", "setuidgid":
		if len(rest) >= 1 && !isRootName(rest[0]) {
			return name + " " + rest[0], rest[1:], true
		}
	case "chpst":
		for i := 0; i < len(rest); i++ {
			a := rest[i]
			if a == "-u" && i+1 < len(rest) {
				if isRootName(rest[i+1]) {
					return "", nil, false
				}
				return "chpst -u " + rest[i+1], skipOptions(rest[i+2:], map[string]bool{"-U": true, "-e": true, "-n": true, "-l": true, "-L": true, "-m": true, "-d": true, "-o": true, "-p": true, "-f": true, "-c": true, "-u": true}), true
			}
		}
	case "setpriv":
		user := ""
		i := 0
		for ; i < len(rest); i++ {
			a := rest[i]
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "--reuid") {
				user = v
				continue
			}
			if a == "--reuid" && i+1 < len(rest) {
				user = rest[i+1]
				i++
				continue
			}
			if !strings.HasPrefix(a, "-") {
				break
			}
			if (a == "--regid" || a == "--groups" || a == "--inh-caps" || a == "--bounding-set") && i+1 < len(rest) {
				i++
			}
		}
		if user != "" && !isRootName(user) {
			return "setpriv --reuid " + user, rest[i:], true
		}
	case "runuser":
		user := ""
		i := 0
		for ; i < len(rest); i++ {
			a := rest[i]
			if (a == "-u" || a == "--user") && i+1 < len(rest) {
				user = rest[i+1]
				i++
				continue
			}
			if a == "-l" || a == "--login" || a == "-" {
				continue
			}
			if a == "--" {
				i++
				break
			}
			if strings.HasPrefix(a, "-") {
				if (a == "-g" || a == "-G" || a == "-s" || a == "-c" || a == "-w") && i+1 < len(rest) {
					i++
				}
				continue
			}
			if user == "" {
				user = a
				continue
			}
			break
		}
		if user != "" && !isRootName(user) {
			return "runuser " + user, rest[min(i, len(rest)):], true
		}
	case "su":
		if u, ok := suUser(rest); ok {
			return "su " + u, nil, true
		}
	case "chroot":
		for _, a := range rest {
			if strings.HasPrefix(a, "--userspec=") && !isRootName(strings.TrimPrefix(a, "--userspec=")) {
				return "chroot --userspec", nil, true
			}
		}
	case "capsh":
		for _, a := range rest {
			if strings.HasPrefix(a, "--user=") && !isRootName(strings.TrimPrefix(a, "--user=")) {
				return "capsh --user", nil, true
			}
		}
	case "start-stop-daemon":
		for i, a := range rest {
			if (a == "-c" || a == "--chuid" || a == "-u" || a == "--user") && i+1 < len(rest) && !isRootName(rest[i+1]) {
				return "start-stop-daemon --chuid " + rest[i+1], nil, true
			}
			if strings.HasPrefix(a, "--chuid=") {
				return "start-stop-daemon --chuid", nil, true
			}
		}
	}
	return "", nil, false
}

// suUser returns the user su switches to: the first operand that is not
// an option or an option's value (su - user, su -p user -s /bin/sh -c
// cmd, su user -c cmd).
func suUser(args []string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-" || a == "-l" || a == "--login" || a == "-p" || a == "-m" || a == "--preserve-environment" || a == "-P" || a == "--pty":
		case a == "-c" || a == "--command" || a == "-s" || a == "--shell" || a == "-g" || a == "--group" || a == "-G" || a == "--supp-group" || a == "-w" || a == "--whitelist-environment":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			if isRootName(a) {
				return "", false
			}
			return a, true
		}
	}
	return "", false
}

// substitute expands "$@", "$*", "$1".. and "$0" in argv with the
// positional arguments args.
func substitute(argv []string, args []string) []string {
	var out []string
	for _, w := range argv {
		switch positionalRef(w) {
		case "$@", "$*", "${@}":
			out = append(out, args...)
			continue
		case "$1", "${1}":
			if len(args) > 0 {
				out = append(out, args[0])
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

// looksLikeScript reports whether a program path names a start-up script
// (so that not finding it in the context matters).
func looksLikeScript(w string) bool {
	b := strings.ToLower(baseName(w))
	if strings.HasSuffix(b, ".sh") || strings.HasSuffix(b, ".bash") || strings.Contains(b, "entrypoint") {
		return true
	}
	stem, _, _ := strings.Cut(strings.TrimPrefix(b, "docker-"), ".")
	for _, k := range []string{"start", "run", "boot", "launch", "entry", "startup", "init"} {
		if stem == k || strings.HasPrefix(stem, k+"-") || strings.HasPrefix(stem, k+"_") {
			return k != "init" || strings.Contains(stem, "-") || strings.Contains(stem, "_")
		}
	}
	return false
}

// shebangInterpreter returns the interpreter a script's #! line names
// (through /usr/bin/env), or "".
func shebangInterpreter(text string) string {
	if !strings.HasPrefix(text, "#!") {
		return ""
	}
	line, _, _ := strings.Cut(text[2:], "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return ""
	}
	prog := baseName(fields[0])
	if prog == "env" {
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "-") {
				return baseName(f)
			}
		}
		return ""
	}
	if prog == "busybox" && len(fields) > 1 {
		return baseName(fields[1])
	}
	return prog
}

// isShellText reports whether a context file is a shell script: a POSIX
// shell #! line, or none and a shell file name.
func isShellText(rel, text string) bool {
	if interp := shebangInterpreter(text); interp != "" {
		return shells[interp]
	}
	b := strings.ToLower(path.Base(rel))
	return strings.HasSuffix(b, ".sh") || strings.HasSuffix(b, ".bash") || strings.HasPrefix(rel, "<<")
}

// appendNew appends the values of add not yet in xs.
func appendNew(xs []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, x := range xs {
			if x == a {
				found = true
				break
			}
		}
		if !found {
			xs = append(xs, a)
		}
	}
	return xs
}

// scriptCommands returns the commands of a parsed shell text.
func scriptCommands(sc *shell.Script) map[string]bool {
	out := map[string]bool{}
	for _, c := range sc.Commands {
		if c.Name != "" {
			out[c.Base()] = true
		}
		for _, w := range c.Wrappers {
			out[w] = true
		}
	}
	return out
}

// flagValue returns the value of option name in args (-u user, --user
// user, --user=user).
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok && strings.HasPrefix(name, "--") {
			return v, true
		}
	}
	return "", false
}

// positionalRef returns a word with its quotes and braces removed, so
// that "${@}" reads $@.
func positionalRef(w string) string {
	return strings.NewReplacer(`"`, "", "{", "", "}", "").Replace(w)
}

// EntryText returns the text of the file the program's interpreter runs
// (server.js, app.py), read from the build context.
func (img *Image) EntryText() (string, bool) {
	e := img.Program.EntryFile
	if e == "" {
		return "", false
	}
	if rel, t, ok := img.contextFile(e); ok && !strings.HasPrefix(rel, "<<") {
		return t, true
	}
	// WORKDIR-relative entry files copied with the whole context.
	if !path.IsAbs(e) {
		if t, ok := img.ctx.read(path.Clean(e)); ok {
			return t, true
		}
	}
	return "", false
}

// baseEntrypoint returns the program a base image's own ENTRYPOINT runs
// when a Dockerfile sets only CMD (the distroless language images), or "".
func baseEntrypoint(ref dockerfile.ImageRef) string {
	r := repoName(ref)
	if !strings.HasPrefix(r, "gcr.io/distroless/") {
		return ""
	}
	name := path.Base(r)
	switch {
	case strings.HasPrefix(name, "nodejs"):
		return "/nodejs/bin/node"
	case strings.HasPrefix(name, "python3"):
		return "/usr/bin/python3"
	case strings.HasPrefix(name, "java"):
		return "/usr/bin/java"
	}
	return ""
}
