package rules

import (
	"maps"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD403 reports debugging and build tools installed in the final image
// and never used there.
var SD403 = &Rule{
	ID:        "SD403",
	Name:      "unused-tools",
	Severity:  vocab.Warning,
	Category:  vocab.Size,
	Checklist: vocab.SizeMinimalPackages,
	Doc: Doc{
		Summary: "Debugging or build tools are installed in the final image and nothing there uses them.",
		Why: "Editors (vim, nano), network and debugging tools (curl, wget, telnet, net-tools, " +
			"procps, strace, tcpdump), git, ssh clients and compilers (gcc, make, " +
			"build-essential) are handy in a shell but the application does not run them: they " +
			"add size and attack surface (curl and git are favourite tools of an intruder). " +
			"A tool counts as used when a later command of the same RUN or a later RUN of the " +
			"image runs it, when CMD, ENTRYPOINT or HEALTHCHECK mention it (curl in a " +
			"HEALTHCHECK is a use), when a native build follows (compilers before pip, npm or " +
			"gem installs; git before go, npm, bundle or composer installs), or when the same " +
			"RUN removes it again, when the container runs it once started (its entrypoint and " +
			"start scripts, scripts it copies in, a Compose healthcheck or command of the service " +
			"built from it), when the program runs it itself (aws pages with less, travis and " +
			"buildkitd run git, sshd runs git-shell), when a comment says why it is there (for " +
			"a health check, for debugging), or when a later build links its library (curl's " +
			"libcurl). Base images, toolchains, devcontainers, interactive images and debug " +
			"targets are not judged: their tools are the point. Build tools that are used and kept are size.multi_stage's " +
			"business (SD404); tools removed in a later RUN are SD402's. --no-install-recommends " +
			"is DL3015. Only the stages of the final image are checked. The unsafe fix splits the build " +
			"into a build stage and a runtime stage when the build uses what the runtime stage would leave " +
			"behind, and otherwise takes the unused tools out of the install (the install, or the RUN, " +
			"when nothing else is left in it).",
		Bad:  "RUN apt-get update && apt-get install -y --no-install-recommends python3 curl vim \\\n && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]",
		Good: "RUN apt-get update && apt-get install -y --no-install-recommends python3 \\\n && rm -rf /var/lib/apt/lists/*\nCMD [\"python3\", \"app.py\"]",
	},
	Check: func(p *Pass) error {
		img := imageOf(p)
		if img.Final == nil || img.Is(notAnApp) || img.Program.Unknown != "" || debugStage(img) {
			return nil
		}
		ins := finalInstructions(p.File)
		var entryWords []string
		for _, in := range ins {
			switch in.Cmd {
			case "cmd", "entrypoint", "healthcheck":
				entryWords = append(entryWords, wordsOf(in.Args)...)
			}
		}
		// What the container runs reads the scripts it copies in: it is
		// worked out only for a file that installs a tool.
		var runtime map[string]bool
		usedAtRun := func(tool toolInfo) bool {
			if runtime == nil {
				runtime = runtimeCommands(img)
			}
			return usedAtRunTime(tool, runtime)
		}
		for i, in := range ins {
			if in.Cmd != "run" {
				continue
			}
			var unused []string
			for _, rs := range p.Shell(in) {
				for _, op := range rs.PackageOps() {
					if op.Action != shell.ActionInstall || !isSystemManager(op.Manager) {
						continue
					}
					for _, pk := range op.Packages {
						tool, ok := toolPackage(pk.Name)
						if !ok {
							continue
						}
						if pk.Name == "procps" || pk.Name == "procps-ng" {
							if !startupVisible(img) {
								// ps, pgrep and pidof are what the wrapper
								// scripts of packaged programs call: unless
								// the start-up is in view, say nothing.
								continue
							}
						}
						if toolUsed(p, tool, pk.Name, op, rs, ins[i+1:], entryWords) || usedAtRun(tool) ||
							installedOnPurpose(p.File, in) || libraryFor(p, pk.Name, ins[i+1:]) {
							continue
						}
						unused = append(unused, pk.Name)
					}
				}
			}
			if len(unused) > 0 {
				unused = dedupeStrings(unused)
				fix := multiStageFix(p, p.File.FinalStage())
				if fix == nil || fix.Declined != "" {
					// No build stage can take them: leave them out.
					fix = plan.DropPackages(planInput{p}, in, unused)
				}
				p.ReportFix(in, fix, "%s %s installed in the final image but nothing uses %s (no later command, CMD, ENTRYPOINT, HEALTHCHECK, start-up script or %s itself runs %s): leave %s out, or install %s only in a build stage",
					vocab.JoinAnd(unused), plural(len(unused), "is", "are"), plural(len(unused), "it", "them"), programOrImage(img), plural(len(unused), "it", "them"),
					plural(len(unused), "it", "them"), plural(len(unused), "it", "them"))
			}
		}
		return nil
	},
}

// programOrImage names the image's program for messages.
func programOrImage(img *intent.Image) string {
	if img.Program.Name != "" {
		return img.Program.Name
	}
	return "the program"
}

// debugStage reports whether the final stage is a development, test or
// debugging target, where tools are the point.
func debugStage(img *intent.Image) bool {
	if img.Final == nil {
		return false
	}
	switch strings.ToLower(img.Final.Name) {
	case "dev", "development", "debug", "test", "tests", "testing", "dev-envs", "devcontainer", "ci", "e2e":
		return true
	}
	return false
}

// runtimeCommands returns the commands the container may run once
// started: those of its start-up (scripts followed, sh -c lines), of the
// scripts it copies in from the context, of the Compose services that
// build it (healthcheck, command, entrypoint), and the tools its programs
// run themselves (table T10).
func runtimeCommands(img *intent.Image) map[string]bool {
	out := map[string]bool{}
	for c := range img.Program.Commands {
		out[c] = true
	}
	var texts []string
	for _, sc := range img.Scripts() {
		for c := range sc.Commands {
			out[c] = true
		}
		if sc.Parsed == nil {
			texts = append(texts, sc.Text)
		}
	}
	for _, cs := range img.Compose() {
		texts = append(texts, cs.Healthcheck, cs.Command, cs.Entrypoint)
	}
	texts = append(texts, img.ComposeHealthchecks()...)
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(t, func(r rune) bool {
			return !(r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			out[w] = true
		}
	}
	for c := range maps.Clone(out) {
		for _, t := range intent.RunsItself(c) {
			out[t] = true
		}
	}
	return out
}

// usedAtRunTime reports whether the container runs one of the tool's
// commands once started.
func usedAtRunTime(tool toolInfo, runtime map[string]bool) bool {
	for _, b := range tool.bins {
		if runtime[b] {
			return true
		}
	}
	return false
}

// onPurposeRe finds comments that say why a tool is installed.
var onPurposeRe = lazyre.New(`(?i)\b(health|healthcheck|healthchecks|debug|debugging|needed|required|requires|need|used by|for the)\b`)

// installedOnPurpose reports whether a comment above the RUN (or inside
// it) says why a tool is installed: for a health check, for debugging,
// because something needs it.
func installedOnPurpose(f *dockerfile.File, in *dockerfile.Instruction) bool {
	var comments []string
	comments = append(comments, in.Comments...)
	for _, c := range f.Comments {
		if c.Line >= in.StartLine-2 && c.Line <= in.EndLine {
			comments = append(comments, c.Text)
		}
	}
	for _, c := range comments {
		if onPurposeRe.MatchString(c) {
			return true
		}
	}
	return false
}

// libraryFor reports whether a package that also provides a library
// (curl brings libcurl, openssl libssl) is needed by a later build that
// links against it.
func libraryFor(p *Pass, pkg string, later []*dockerfile.Instruction) bool {
	if pkg != "curl" && pkg != "openssl" {
		return false
	}
	for _, in := range later {
		if in.Cmd != "run" {
			continue
		}
		for _, rs := range p.Shell(in) {
			for _, c := range rs.Commands {
				if buildDriver(c) || c.Base() == "go" && c.HasArgs("build", "install") || c.Base() == "cargo" && c.HasArgs("build", "install") {
					return true
				}
			}
		}
	}
	return false
}

// nativeBuildRe finds commands that may compile native code or fetch VCS
// dependencies in RUN text that is not parsed.
var nativeBuildRe = lazyre.New(`(?i)\b(pip[0-9.]*|npm|yarn|pnpm|gem|bundle|go|cargo|composer|python[0-9.]*\s+setup\.py)\b`)

// toolUsed reports whether a tool installed by op is used after it: later
// in the same script, by a later instruction of the final image, or by
// CMD/ENTRYPOINT/HEALTHCHECK, or removed again in the same script.
func toolUsed(p *Pass, tool toolInfo, pkg string, op *shell.PackageOp, rs *edit.Script, later []*dockerfile.Instruction, entryWords []string) bool {
	bins := map[string]bool{}
	for _, b := range tool.bins {
		bins[b] = true
	}
	if _, ok := containsWord(entryWords, bins); ok {
		return true
	}
	after := func(c *shell.Command) bool { return c.Index > op.Command.Index }
	implicit := func(ops []*shell.PackageOp, ok func(*shell.PackageOp) bool) bool {
		for _, o := range ops {
			if !ok(o) {
				continue
			}
			if tool.build && (o.Manager == shell.Pip || o.Manager == shell.Npm || o.Manager == shell.Yarn || o.Manager == shell.Pnpm ||
				o.Manager == shell.Gem || o.Manager == shell.Bundle || o.Manager == shell.Cargo || o.Manager == shell.Go) && o.Action != shell.ActionRemove {
				return true
			}
			if tool.vcs && (o.Manager == shell.Go || o.Manager == shell.Npm || o.Manager == shell.Yarn || o.Manager == shell.Pnpm ||
				o.Manager == shell.Bundle || o.Manager == shell.Composer || o.Manager == shell.Cargo || o.Manager == shell.Pip && pipMayUseVCS(o)) && o.Action != shell.ActionRemove {
				return true
			}
		}
		return false
	}
	// Same script: used after, or removed after.
	for _, c := range rs.Commands {
		if after(c) && bins[c.Base()] {
			return true
		}
	}
	if implicit(rs.PackageOps(), func(o *shell.PackageOp) bool { return o.Command.Index > op.Command.Index }) {
		return true
	}
	if removedAfter(rs, op, pkg) {
		return true
	}
	if tool.build {
		for _, c := range rs.Commands {
			if after(c) && buildDriver(c) {
				return true
			}
		}
	}
	for _, in := range later {
		switch in.Cmd {
		case "run":
			if !isPOSIXRun(in) {
				words := wordsOf([]string{runText(in)})
				if _, ok := containsWord(words, bins); ok {
					return true
				}
				if (tool.build || tool.vcs) && nativeBuildRe.MatchString(runText(in)) {
					return true
				}
				continue
			}
			for _, rs2 := range p.Shell(in) {
				for _, c := range rs2.Commands {
					if bins[c.Base()] {
						return true
					}
					for _, a := range c.Args {
						if bins[baseName(a)] && (c.Base() == "sh" || c.Base() == "bash" || c.Base() == "xargs" || c.Base() == "find") {
							return true
						}
					}
				}
				if implicit(rs2.PackageOps(), func(*shell.PackageOp) bool { return true }) {
					return true
				}
				if tool.build {
					for _, c := range rs2.Commands {
						if buildDriver(c) {
							return true
						}
					}
				}
			}
		case "onbuild":
			words := wordsOf([]string{in.Original})
			if _, ok := containsWord(words, bins); ok {
				return true
			}
		}
	}
	return false
}

// buildDriver reports whether a command compiles native code with
// whatever compiler is installed (make, cmake, configure, a compiler).
func buildDriver(c *shell.Command) bool {
	switch c.Base() {
	case "make", "cmake", "ninja", "meson", "configure", "gcc", "cc", "g++", "c++", "clang", "clang++", "node-gyp":
		return true
	}
	return c.HasArgs("setup.py")
}

// pipMayUseVCS reports whether a pip install may clone repositories: a
// requirements file (whose lines are not read) or a VCS URL.
func pipMayUseVCS(op *shell.PackageOp) bool {
	if len(op.FlagValues("-r", "--requirement")) > 0 {
		return true
	}
	for _, pk := range op.Packages {
		if pk.URL || strings.Contains(pk.Raw, "git+") {
			return true
		}
	}
	return false
}

// containsWord reports whether the words include one whose base name is
// in names.
func containsWord(words []string, names map[string]bool) (string, bool) {
	for _, w := range words {
		if names[baseName(w)] {
			return baseName(w), true
		}
	}
	return "", false
}

// startupVisible reports whether everything the container runs at start
// can be read: its program is a script of the build context or a binary
// copied or built into the image, not a program a package installed,
// whose own wrapper scripts cannot be seen.
func startupVisible(img *intent.Image) bool {
	prog := img.Program
	if len(prog.Scripts) > 0 {
		return prog.Name == "" || !img.Tools.Installed[prog.Name]
	}
	return prog.Name != "" && (img.Tools.Copied[prog.Name] || !img.Tools.Installed[prog.Name] && strings.HasPrefix(prog.Path, "/") && !strings.HasPrefix(prog.Path, "/usr/"))
}
