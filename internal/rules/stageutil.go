package rules

import (
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

// Stages: the final image's stage chain and instructions, its user,
// Windows stages, and the global ARGs the FROM lines read.

// finalUser returns the USER instruction in force in the image the build
// produces: the last USER of the final stage or, when it has none, of
// the stages it is built FROM. It returns nil when no USER is set.
func finalUser(f *dockerfile.File) *dockerfile.Instruction {
	st := f.FinalStage()
	if st == nil {
		return nil
	}
	for _, s := range st.Chain() {
		var last *dockerfile.Instruction
		for _, in := range s.Instructions {
			if in.Cmd == "user" {
				last = in
			}
		}
		if last != nil {
			return last
		}
	}
	return nil
}

// rootBase returns the image at the bottom of st's stage chain: the
// external image (or scratch) the chain starts from.
func rootBase(st *dockerfile.Stage) dockerfile.ImageRef {
	chain := st.Chain()
	return chain[len(chain)-1].Base
}

// isWindowsStage reports whether a stage evidently builds a Windows image:
// the file uses the backtick escape, a SHELL runs PowerShell or cmd, or
// the base image is one of Microsoft's Windows images.
func isWindowsStage(f *dockerfile.File, st *dockerfile.Stage) bool {
	if f.Escape == '`' {
		return true
	}
	for _, s := range st.Chain() {
		for _, in := range s.Instructions {
			if in.Cmd == "shell" && len(in.Shell) > 0 && !isPOSIXShell(in.Shell[0]) {
				return true
			}
		}
		b := strings.ToLower(s.Base.Raw)
		if strings.Contains(b, "windows/") || strings.Contains(b, "nanoserver") || strings.Contains(b, "servercore") {
			return true
		}
	}
	return false
}

// isPOSIXShell reports whether argv0 names a POSIX-style shell.
func isPOSIXShell(argv0 string) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(argv0, `\`, "/")))
	base = strings.TrimSuffix(base, ".exe")
	switch base {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox", "yash":
		return true
	}
	return false
}

// globalArgValues returns the default values of the ARGs declared before
// the first FROM.
func globalArgValues(f *dockerfile.File) map[string]string {
	vals := map[string]string{}
	for _, in := range f.GlobalArgs {
		for _, a := range in.Args {
			k, v, _ := strings.Cut(a, "=")
			vals[k] = dockerfile.TrimQuotes(v)
		}
	}
	return vals
}

// expandGlobal expands build arguments in s with the defaults of the
// global ARGs; ok is false when a variable has no value.
func expandGlobal(f *dockerfile.File, s string) (string, bool) {
	vals := globalArgValues(f)
	out, unresolved := dockerfile.ExpandArgs(s, func(name string) (string, bool) {
		v, ok := vals[name]
		return v, ok
	})
	return out, !unresolved
}

// firstRunSpec and lastRunSpec return the first and last CMD or
// ENTRYPOINT among ins.
func firstRunSpec(ins []*dockerfile.Instruction) *dockerfile.Instruction {
	for _, in := range ins {
		if in.Cmd == "cmd" || in.Cmd == "entrypoint" {
			return in
		}
	}
	return nil
}

// finalChain returns the stages whose content makes up the final image,
// the external base first and the final stage last.
func finalChain(f *dockerfile.File) []*dockerfile.Stage {
	st := f.FinalStage()
	if st == nil {
		return nil
	}
	chain := st.Chain()
	out := make([]*dockerfile.Stage, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i])
	}
	return out
}

// finalInstructions returns the instructions of the final image's stage
// chain in build order (ONBUILD wrappers left out).
func finalInstructions(f *dockerfile.File) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, st := range finalChain(f) {
		for _, in := range st.Instructions {
			if in.Cmd != "onbuild" {
				out = append(out, in)
			}
		}
	}
	return out
}

// lastOf returns the last instruction of the given kind in ins.
func lastOf(ins []*dockerfile.Instruction, cmd string) *dockerfile.Instruction {
	var last *dockerfile.Instruction
	for _, in := range ins {
		if in.Cmd == cmd {
			last = in
		}
	}
	return last
}

// rootStage returns the first stage of st's chain of FROM <stage>.
func rootStage(st *dockerfile.Stage) *dockerfile.Stage {
	for n := 0; st != nil && st.BaseStage != nil && n < 64; n++ {
		st = st.BaseStage
	}
	return st
}

// plainBase reports whether an image is scratch or a distribution image,
// which sets no WORKDIR and no ENTRYPOINT of its own.
func plainBase(ref dockerfile.ImageRef) bool {
	if ref.Scratch {
		return true
	}
	switch path.Base(ref.Repository) {
	case "debian", "ubuntu", "alpine", "busybox", "fedora", "centos", "rockylinux", "almalinux",
		"amazonlinux", "oraclelinux", "archlinux", "photon", "ubi", "ubi-minimal", "ubi8", "ubi9", "leap", "tumbleweed":
		return true
	}
	return false
}

// isWindowsImage reports whether an image reference names one of
// Microsoft's Windows base images.
func isWindowsImage(ref dockerfile.ImageRef) bool {
	b := strings.ToLower(ref.Raw)
	return strings.Contains(b, "windows/") || strings.Contains(b, "nanoserver") || strings.Contains(b, "servercore")
}
