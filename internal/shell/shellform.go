package shell

import "strings"

// posixShells are program names whose -c argument is POSIX-family shell
// text; nonPOSIXShells run something else. Both are read-only.
var posixShells = map[string]bool{
	"sh": true, "bash": true, "dash": true, "ash": true, "ksh": true, "ksh93": true, "mksh": true,
	"pdksh": true, "zsh": true, "yash": true, "posh": true, "lksh": true, "oksh": true, "hush": true,
}

var nonPOSIXShells = map[string]bool{
	"powershell": true, "pwsh": true, "cmd": true, "command": true, "fish": true, "csh": true,
	"tcsh": true, "nu": true, "xonsh": true, "elvish": true, "rc": true, "es": true,
}

// shellProgram normalises an argv element to a lower-case program name:
// last path element (/ or \ separated) without an .exe suffix.
func shellProgram(s string) string {
	s = strings.ToLower(baseName(s))
	return strings.TrimSuffix(s, ".exe")
}

// shellIndex finds the shell program in a SHELL argv. Leading wrappers
// such as "/usr/bin/env bash", "busybox sh" or "conda run -n env bash -c"
// are skipped by looking for the first known shell name. It returns -1
// when no known shell is found.
func shellIndex(shell []string) (int, bool) {
	for i, a := range shell {
		p := shellProgram(a)
		if posixShells[p] {
			return i, true
		}
		if nonPOSIXShells[p] {
			return i, false
		}
		if strings.EqualFold(a, "-c") || strings.EqualFold(a, "/c") || strings.EqualFold(a, "-command") {
			break
		}
	}
	return -1, false
}

// IsPOSIXShell reports whether RUN text executed by the Dockerfile SHELL
// argv shell is POSIX-family shell that Parse should analyse. An empty
// argv is the Linux default ["/bin/sh", "-c"] and is POSIX. sh, bash,
// dash, ash, ksh, mksh, zsh and similar are POSIX; powershell, pwsh, cmd,
// fish, csh and anything unrecognised are not.
func IsPOSIXShell(shell []string) bool {
	if len(shell) == 0 {
		return true
	}
	_, posix := shellIndex(shell)
	return posix
}

// ShellHasPipefail reports whether a POSIX SHELL argv turns on pipefail
// before its -c argument: ["/bin/bash", "-o", "pipefail", "-c"],
// ["/bin/bash", "-eo", "pipefail", "-c"], ["bash", "-euxo", "pipefail",
// "-c"]; a later "+o pipefail" turns it off again.
func ShellHasPipefail(shell []string) bool {
	i, posix := shellIndex(shell)
	if !posix {
		return false
	}
	args := shell[i+1:]
	for j, a := range args {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsRune(a[1:], 'c') {
			args = args[:j]
			break
		}
	}
	on, _ := setOption(args, "pipefail")
	return on
}

// Shebang returns the interpreter argv of a "#!" first line of src (a RUN
// heredoc body such as "#!/usr/bin/env python3\n..."), or nil when src has
// none. Pass it to IsPOSIXShell to decide whether the body is shell.
func Shebang(src string) []string {
	line, ok := strings.CutPrefix(src, "#!")
	if !ok {
		return nil
	}
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil
	}
	return f
}
