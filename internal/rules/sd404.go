package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD404 reports compiling in the final image.
var SD404 = &Rule{
	ID:        "SD404",
	Name:      "compile-in-final-image",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeMultiStage,
	Doc: Doc{
		Summary: "The final image compiles the application: the compiler, SDK and build cache ship with it.",
		Why: "A single-stage build that runs go build, gcc or make, mvn, gradle or ant, cargo build, " +
			"dotnet publish, npm run build, or pip installs that compile against build-essential " +
			"leaves the whole toolchain, the sources and the intermediate files in the image the " +
			"application runs from: often ten times its size, and compilers an intruder can " +
			"use. A multi-stage build compiles in a builder stage and copies only the result " +
			"(COPY --from=build) into a slim runtime stage. A build is not reported when the " +
			"same RUN removes its toolchain afterwards (apk add --virtual .build-deps ... && " +
			"apk del .build-deps, a $buildDeps list installed and purged, the official images' " +
			"apt-mark auto + apt-get purge --auto-remove idiom), or when dev dependencies are " +
			"pruned after npm run build. Toolchains, base images, devcontainers, and images " +
			"that compile when they run (an entrypoint that builds a kernel module, BCC and " +
			"bpftrace) are not judged; a test runner's build is reported as info. " +
			"Only the stages of the final image are checked, once per image. For a " +
			"single-stage file an unsafe fix splits it into a build stage and a runtime stage.",
		Bad:  "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]",
		Good: "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]",
	},
	Check: func(p *Pass) error {
		img := imageOf(p)
		if img.Is(intent.RoleToolchain|intent.RoleBase|intent.RoleDevcontainer|intent.RoleTemplate|intent.RoleInteractive) ||
			compilesAtRunTime(img) || debugStage(img) {
			return nil
		}
		ins := finalInstructions(p.File)
		compilersFrom := 0 // line where a kept compiler was installed
		for i, in := range ins {
			if in.Cmd != "run" {
				continue
			}
			if !isPOSIXRun(in) {
				if in.JSON {
					continue
				}
				if m := nonPOSIXCompileRe.FindString(runText(in)); m != "" {
					p.Report(in, "%s compiles in the final image: the SDK ships with the result; build in a separate stage and COPY --from it only the output", strings.TrimSpace(m))
					return nil
				}
				continue
			}
			for _, rs := range p.Shell(in) {
				if what, c := compileIn(rs, compilersFrom); what != "" {
					if removesToolchainAfter(rs, c) || prunedLater(p, c, rs, ins[i:]) {
						continue
					}
					if img.Is(intent.RoleTestRunner) {
						p.ReportUncertain(in, "%s compiles in the final image of a test runner (%s): its toolchain may be needed when the tests run; if not, build in a separate stage", what, img.Reason(intent.RoleTestRunner))
						return nil
					}
					multi := ""
					if len(p.File.Stages) == 1 {
						multi = " (a single-stage build)"
					}
					p.ReportFix(in, multiStageFix(p, p.File.FinalStage()), "%s compiles in the final image%s: the toolchain, sources and build files ship with the program; build in a separate stage and COPY --from it only the result into a slim runtime stage", what, multi)
					return nil
				}
				// Remember compilers installed and kept.
				for _, op := range rs.PackageOps() {
					if op.Action != shell.ActionInstall || !isSystemManager(op.Manager) {
						continue
					}
					for _, n := range op.PackageNames() {
						if t, ok := toolPackage(n); ok && t.build && !removedAfter(rs, op, n) {
							compilersFrom = in.StartLine
						}
					}
				}
			}
		}
		return nil
	},
}

var nonPOSIXCompileRe = lazyre.New(`(?i)\b(dotnet\s+(build|publish)|msbuild|go\s+build|cargo\s+build|mvnw?(\.cmd)?\s+\S*(package|install|compile|verify)|gradlew?(\.bat)?\s+\S*(build|assemble|jar)|npm\s+run\s+build|javac)\b`)

// compileIn returns a description of the first compile in a script and
// its command. compilersFrom is the line where compilers kept in the
// image were installed (0 if none), which makes pip/gem/npm installs
// native builds.
func compileIn(rs *edit.Script, compilersFrom int) (string, *shell.Command) {
	for _, c := range rs.Commands {
		b := c.Base()
		switch {
		case b == "go" && (c.HasArgs("build") || c.HasArgs("install")) && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
			return "go " + c.Args[0], c
		case b == "cargo" && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "install"):
			return "cargo " + c.Args[0], c
		case b == "gcc" || b == "g++" || b == "cc" || b == "c++" || b == "clang" || b == "clang++" || b == "make" || b == "cmake" || b == "ninja" || b == "javac" || b == "rustc":
			return b, c
		case b == "mvn" || b == "mvnw" || b == "gradle" || b == "gradlew" || b == "ant":
			return b, c
		case b == "dotnet" && len(c.Args) > 0 && (c.Args[0] == "build" || c.Args[0] == "publish"):
			return "dotnet " + c.Args[0], c
		case (b == "npm" || b == "pnpm") && len(c.Args) > 1 && c.Args[0] == "run" && strings.Contains(c.Args[1], "build"),
			(b == "yarn" || b == "pnpm") && len(c.Args) > 0 && c.Args[0] == "build",
			b == "yarn" && len(c.Args) > 1 && c.Args[0] == "run" && strings.Contains(c.Args[1], "build"):
			return strings.Join(append([]string{b}, c.Args[:min(2, len(c.Args))]...), " "), c
		}
	}
	// Native installs with compilers present (installed earlier in the
	// image, or in this script and not removed).
	local := false
	for _, op := range rs.PackageOps() {
		if op.Action == shell.ActionInstall && isSystemManager(op.Manager) {
			for _, n := range op.PackageNames() {
				if t, ok := toolPackage(n); ok && t.build {
					local = true
				}
			}
		}
		if (compilersFrom > 0 || local) && op.Action == shell.ActionInstall &&
			(op.Manager == shell.Pip || op.Manager == shell.Gem || op.Manager == shell.Bundle) {
			return op.Program + " " + op.Verb + " (with build tools installed)", op.Command
		}
	}
	return "", nil
}

// compilesAtRunTime reports whether the container compiles when it runs:
// its start-up runs a compiler or build tool (a kernel module built by
// the entrypoint, benchmarks that build themselves), or it runs BCC or
// bpftrace, which compile eBPF programs with clang and LLVM.
func compilesAtRunTime(img *intent.Image) bool {
	for c := range img.Program.Commands {
		switch {
		case c == "make" || c == "gcc" || c == "cc" || c == "clang" || c == "go" || c == "cargo" || c == "dkms" || c == "cmake",
			c == "bpftrace" || strings.HasSuffix(c, "-bpfcc") || c == "lkp":
			return true
		}
	}
	for _, op := range img.Program.RootOps {
		if strings.HasPrefix(op, "make ") {
			return true
		}
	}
	for _, t := range intent.RunsItself(img.Program.Name) {
		if t == "make" || t == "gcc" {
			return true
		}
	}
	if strings.Contains(strings.ToLower(img.Base.Repository), "bcc") {
		return true
	}
	// BCC and bpftrace compile eBPF programs with the clang and LLVM the
	// image builds them with.
	for _, in := range img.Instructions() {
		if in.Cmd != "run" {
			continue
		}
		t := strings.ToLower(strings.Join(in.Args, " "))
		if strings.Contains(t, "iovisor/bcc") || strings.Contains(t, "bpfcc") || strings.Contains(t, "bpftrace") {
			return true
		}
	}
	return false
}

// removesToolchainAfter reports whether the script removes build tools
// after command c: a compiler package by name, an apk virtual group the
// script installed, a list of packages held in a variable
// ($buildDeps), or everything it installed (the apt-mark auto idiom).
func removesToolchainAfter(rs *edit.Script, c *shell.Command) bool {
	if intent.PurgesOwnInstalls(rs.Script) {
		return true
	}
	groups := map[string]bool{}
	for _, op := range rs.PackageOps() {
		if op.Manager == shell.Apk && op.Action == shell.ActionInstall {
			if v, ok := op.FlagValue("--virtual", "-t"); ok {
				groups[v] = true
			}
		}
	}
	for _, op := range rs.PackageOps() {
		if op.Action != shell.ActionRemove || !isSystemManager(op.Manager) || op.Command.Index <= c.Index {
			continue
		}
		for _, pk := range op.Packages {
			if t, ok := toolPackage(pk.Name); ok && t.build || groups[pk.Name] || !pk.Literal && installsVariable(rs, pk.Raw) {
				return true
			}
		}
	}
	return false
}

// installsVariable reports whether the script installed the packages a
// variable holds ($buildDeps, ${BUILD_DEPS}): removing the same variable
// removes what it installed.
func installsVariable(rs *edit.Script, raw string) bool {
	v := strings.Trim(raw, `"'`)
	if !strings.HasPrefix(v, "$") {
		return false
	}
	for _, op := range rs.PackageOps() {
		if op.Action != shell.ActionInstall {
			continue
		}
		for _, pk := range op.Packages {
			if !pk.Literal && strings.Trim(pk.Raw, `"'`) == v {
				return true
			}
		}
	}
	return false
}

// prunedLater reports whether a JavaScript build's dev dependencies are
// pruned after it (npm prune, a production reinstall, removing
// node_modules).
func prunedLater(p *Pass, c *shell.Command, rs *edit.Script, rest []*dockerfile.Instruction) bool {
	b := c.Base()
	if b != "npm" && b != "yarn" && b != "pnpm" {
		return false
	}
	check := func(cmds []*shell.Command, from int) bool {
		for _, x := range cmds {
			if x.Index <= from {
				continue
			}
			xb := x.Base()
			if (xb == "npm" || xb == "pnpm") && x.HasArgs("prune") {
				return true
			}
			if (xb == "npm" || xb == "yarn" || xb == "pnpm") && (x.HasFlag("--production", "--omit") || x.HasArgs("--only=production", "--prod")) {
				return true
			}
		}
		return false
	}
	if check(rs.Commands, c.Index) {
		return true
	}
	for _, in := range rest[1:] {
		if in.Cmd != "run" {
			continue
		}
		for _, r := range p.Shell(in) {
			if check(r.Commands, -1) {
				return true
			}
		}
	}
	return false
}
