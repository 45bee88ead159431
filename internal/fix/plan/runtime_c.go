package plan

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/shell"
)

// C and C++ programs: the binary a compiler writes with -o, or a program
// make builds in the copied source, linked -static so that it runs on
// scratch.

// isCCompiler reports whether name is a C or C++ compiler driver.
func isCCompiler(name string) bool {
	switch name {
	case "gcc", "cc", "clang", "g++", "c++", "clang++", "musl-gcc":
		return true
	}
	return strings.HasPrefix(name, "gcc-") || strings.HasPrefix(name, "g++-") || strings.HasPrefix(name, "clang-")
}

// cOutput returns the binary a compiler command links with -o (not an
// object file compiled with -c).
func cOutput(c *shell.Command, rs *edit.Script, in *dockerfile.Instruction) (buildOutput, bool) {
	o, has := c.FlagValue("-o")
	if !has || c.HasArgs("-c") {
		return buildOutput{}, false
	}
	return buildOutput{dockerfile.ResolvePath(c.Dir, o), c, rs, in, "c"}, true
}

// cStatic links the C programs of the build static: -static on every
// compiler command of outs that links without it, LDFLAGS=-static on
// every make run (which must not set other LDFLAGS). It describes what
// it did.
func cStatic(b *build, outs, makes []buildOutput) (string, []edit.TextEdit, bool) {
	f := b.p.File
	var edits []edit.TextEdit
	for _, o := range outs {
		if o.kind != "c" || o.cmd.HasFlag("-static") {
			continue
		}
		e, ok := insertAt(f, o, o.cmd.NameWord.End.Offset, " -static")
		if !ok {
			return "", nil, false
		}
		edits = append(edits, e)
	}
	for _, o := range makes {
		set, ok := makeLinksStatic(o.cmd)
		if !ok {
			return "", nil, false
		}
		if set {
			continue
		}
		e, ok := insertAt(f, o, o.cmd.End.Offset, " LDFLAGS=-static")
		if !ok {
			return "", nil, false
		}
		edits = append(edits, e)
	}
	return "linked -static", edits, true
}

// makeLinksStatic reports whether a make command already sets
// LDFLAGS=...-static; ok is false when it sets LDFLAGS without -static,
// which an added LDFLAGS would override.
func makeLinksStatic(c *shell.Command) (set, ok bool) {
	for _, a := range c.Args {
		if strings.HasPrefix(a, "LDFLAGS=") {
			set = strings.Contains(a, "-static")
			if !set {
				return false, false
			}
		}
	}
	return set, true
}
