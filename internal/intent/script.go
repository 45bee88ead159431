package intent

import (
	"strings"

	"github.com/stratatools/strata/internal/shell"
)

// Script is a shell script of the build context that the image runs (an
// entrypoint, a start, health-check or helper script), or a sh -c
// command line, as far as the rules need it.
type Script struct {
	// Path is the context-relative path ("<<NAME" for a COPY heredoc,
	// "" for a command line).
	Path string
	// At is where the image holds it ("" when not known).
	At string
	// Text is the script's text (the first 256 KiB).
	Text string
	// Parsed is the parsed script; nil when it is not shell or does not
	// parse.
	Parsed *shell.Script
	// Commands are the names of the commands the script runs, wrappers
	// (gosu, exec) included.
	Commands map[string]bool
	// StepsDown says how the script drops root ("gosu redis",
	// "su-exec app", "su www-data", "runuser app"), or "".
	StepsDown string
	// RootOps are commands needing root that the script runs outside a
	// check for root (mount, iptables, chown, useradd, pcscd ...).
	RootOps []string

	last *launch
}

// launch is the command a script ends by running.
type launch struct {
	// passThrough: the script ends with exec "$@" (or re-executes
	// itself: exec gosu user "$0" "$@"), so it runs its arguments.
	passThrough bool
	// argv is the command otherwise (words as written).
	argv []string
	// suText is the -c command line when the launch is su/runuser -c.
	suText string
}

// noops are commands that do not start a program worth naming as what a
// script runs.
var noops = map[string]bool{
	"echo": true, "printf": true, "set": true, "export": true, "cd": true, ":": true, "true": true,
	"false": true, "exit": true, "return": true, "test": true, "[": true, "[[": true, "shift": true,
	"local": true, "unset": true, "trap": true, "umask": true, "ulimit": true, "source": true, ".": true,
	"wait": true, "declare": true, "readonly": true, "cat": true, "rm": true, "mkdir": true,
	"chmod": true, "chown": true, "ln": true, "cp": true, "mv": true, "sed": true, "touch": true,
	"envsubst": true, "find": true, "grep": true, "id": true, "whoami": true,
}

// parseScript reads a shell script (rel is its context path, at its
// path in the image; both "" for a command line).
func parseScript(rel, at, text string) *Script {
	sc := &Script{Path: rel, At: at, Text: text, Commands: map[string]bool{}}
	parsed, err := shell.Parse(text)
	if err != nil {
		return sc
	}
	sc.Parsed = parsed
	sc.Commands = scriptCommands(parsed)
	checksRoot := strings.Contains(text, "id -u") || strings.Contains(text, "EUID") || strings.Contains(text, "$UID") ||
		strings.Contains(text, "${UID") || strings.Contains(text, "id -un")
	var lastExec, lastCmd *shell.Command
	for _, c := range parsed.Commands {
		if c.InCmdSubst {
			continue
		}
		if how := commandStepsDown(c); how != "" && sc.StepsDown == "" {
			sc.StepsDown = how
		}
		if op := rootOp(c); op != "" && !(checksRoot && (c.InBranch || c.InCondition || c.InFunction)) {
			sc.RootOps = appendNew(sc.RootOps, op)
		}
		if c.InCondition || c.IsAssignment() {
			continue
		}
		if hasWrapper(c, "exec") {
			lastExec = c
			continue
		}
		if c.Name != "" && noops[c.Base()] {
			continue
		}
		if c.InPipeline() && c.PipeStage > 0 {
			continue
		}
		lastCmd = c
	}
	// The script runs what it execs last; a command after that exec at
	// the top level (the exec was in a branch) runs instead.
	launchCmd := lastExec
	if lastCmd != nil && (launchCmd == nil || lastCmd.Pos.Offset > launchCmd.Pos.Offset &&
		!lastCmd.InBranch && !lastCmd.InFunction && !lastCmd.InLoop) {
		launchCmd = lastCmd
	}
	if launchCmd != nil {
		sc.last = launchOf(launchCmd)
	}
	return sc
}

// hasWrapper reports whether c runs through wrapper w (exec, gosu).
func hasWrapper(c *shell.Command, w string) bool {
	for _, x := range c.Wrappers {
		if x == w {
			return true
		}
	}
	return false
}

// launchOf describes the command c runs.
func launchOf(c *shell.Command) *launch {
	raw := c.NameWord.Raw
	if c.Name == "" {
		switch positionalRef(raw) {
		case "$@", "$*", "$0", "@", "$1":
			return &launch{passThrough: true}
		}
	}
	name := c.Name
	if name == "" {
		name = raw
	}
	argv := []string{name}
	for _, w := range c.ArgWords {
		if w.Literal {
			argv = append(argv, w.Value)
		} else {
			argv = append(argv, w.Raw)
		}
	}
	l := &launch{argv: argv}
	if b := c.Base(); b == "su" || b == "runuser" {
		if v, ok := c.FlagValue("-c", "--command"); ok {
			l.suText = v
		}
	}
	return l
}

// commandStepsDown returns how a script command runs something as an
// unprivileged user, or "".
func commandStepsDown(c *shell.Command) string {
	for i, w := range c.Prefix {
		if !w.Literal {
			continue
		}
		switch baseName(w.Value) {
		case "gosu", "su-exec":
			if i+1 < len(c.Prefix) && !isRootName(c.Prefix[i+1].Value) {
				return baseName(w.Value) + " " + c.Prefix[i+1].Value
			}
		}
	}
	if c.Sudo {
		for i, a := range c.SudoArgs {
			if (a == "-u" || a == "--user") && i+1 < len(c.SudoArgs) && !isRootName(c.SudoArgs[i+1]) {
				return "sudo -u " + c.SudoArgs[i+1]
			}
		}
	}
	if c.Name == "" {
		return ""
	}
	argv := append([]string{c.Name}, c.Args...)
	if how, _, ok := stepDownArgv(argv); ok {
		return how
	}
	return ""
}

// rootOp returns the privileged operation a command performs, or "".
func rootOp(c *shell.Command) string {
	b := c.Base()
	switch {
	case b == "":
		return ""
	case b == "ip":
		if len(c.Args) > 0 {
			switch c.Args[0] {
			case "link", "addr", "address", "route", "rule", "tuntap", "netns":
				return "ip " + c.Args[0]
			}
		}
		return ""
	case b == "sysctl":
		if c.HasFlag("-w") || len(c.Args) > 0 && strings.Contains(c.Args[len(c.Args)-1], "=") {
			return "sysctl -w"
		}
		return ""
	case b == "make":
		for _, a := range c.Args {
			if strings.Contains(a, "install") {
				return "make " + a
			}
		}
		return ""
	case b == "chown":
		return "chown"
	case rootOps[b]:
		return b
	}
	return ""
}
