package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/lazyre"
	"github.com/stratatools/strata/internal/shell"
	"github.com/stratatools/strata/internal/vocab"
)

// SD202 reports the whole build context copied before a dependency
// install in the same stage.
var SD202 = &Rule{
	ID:        "SD202",
	Name:      "copy-before-install",
	Severity:  vocab.Warning,
	Category:  vocab.Cache,
	Checklist: vocab.LayersCacheDeps,
	Doc: Doc{
		Summary: "The whole build context is copied before the dependencies are installed.",
		Why: "A COPY layer is invalidated when any copied file changes, and so is every layer " +
			"after it. With `COPY . .` above `pip install -r requirements.txt` (or npm ci, go mod " +
			"download, mvn package, bundle install, cargo build, composer install, dotnet " +
			"restore, apt-get install, ...), editing one source file downloads and installs " +
			"every dependency again. Copy the dependency manifest alone, install, then copy the " +
			"rest: the install layer is then rebuilt only when the manifest changes. System " +
			"packages (apt-get, apk, ...) installed after the COPY should move above it; they " +
			"are reported only in stages the final image is built from, since a tool installed " +
			"late in a side stage (a test or scan stage built with --target) is usually meant " +
			"that way. The finding " +
			"is on the COPY and names the manifests found in the build context. An install " +
			"after the whole context is not reported when the same tool already installed from " +
			"a manifest before the COPY (the usual `pip install .` or `go build` that follows), " +
			"and a Go build is not reported when the context has no go.sum (no third-party " +
			"modules) or a vendor directory. An unsafe fix moves the COPY below the installs " +
			"and copies the manifests first.",
		Bad:  "WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt",
		Good: "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .",
	},
	Check: func(p *Pass) error {
		if img := imageOf(p); !img.ContextConfident || img.Is(intent.RoleTemplate) {
			return nil // the build context is assembled elsewhere: what COPY . sends is unknown
		}
		type hit struct {
			copy     sdItem
			installs []depInstall
		}
		var order []*dockerfile.Instruction
		hits := map[*dockerfile.Instruction]*hit{}
		needed := neededStages(p.File)
		sdSequences(p.File, func(st *dockerfile.Stage, seq []sdItem, own func(sdItem) bool) {
			var copyIt *sdItem
			before := map[string]bool{} // ecosystems installed before the COPY
			for i, it := range seq {
				switch {
				case copyIt == nil && copiesWholeContext(it.in):
					copyIt = &seq[i]
				case it.in.Cmd == "run":
					for _, d := range dependencyInstalls(p, it) {
						if copyIt == nil {
							// A manifest install before the COPY: later
							// installs of the tool are the usual
							// `pip install .`. System installs have no
							// manifest.
							if d.eco != "system" {
								before[d.eco] = true
							}
							continue
						}
						if before[d.eco] || !own(it) || (d.eco == "go" && !goHasModules(p.Context)) {
							continue
						}
						if d.eco == "system" && !needed[it.outer.Stage] && it.in == it.outer {
							continue
						}
						if sideStage(st) && copyIt.outer.Stage != st {
							// A development or test target built FROM the
							// production stage installs its own tools:
							// moving them above the COPY would put them
							// into production.
							continue
						}
						h := hits[copyIt.outer]
						if h == nil {
							h = &hit{copy: *copyIt}
							hits[copyIt.outer] = h
							order = append(order, copyIt.outer)
						}
						if !containsInstall(h.installs, d) {
							h.installs = append(h.installs, d)
						}
					}
				}
			}
		})
		for _, c := range order {
			h := hits[c]
			first := h.installs[0]
			more := ""
			lines := map[int]bool{}
			for _, d := range h.installs {
				lines[d.line] = true
			}
			if n := len(lines) - 1; n > 0 {
				more = fmt.Sprintf(" and %d more %s", n, plural(n, "RUN", "RUNs"))
			}
			p.ReportFix(h.copy.outer, plan.ManifestsFirst(planInput{p}, h.copy.outer), "%s%s copies the whole build context before the install on line %d (%s)%s: any source change re-runs it; %s",
				triggerPrefix(h.copy.in, h.copy.outer), h.copy.in.Keyword, first.line, first.text, more, manifestAdvice(p.Context, h.installs))
		}
		return nil
	},
}

// depInstall is one dependency install found in a RUN.
type depInstall struct {
	eco  string // python, node, go, maven, gradle, ruby, rust, php, dotnet, system
	text string // the command, shortened
	line int
	// manifests are the files the install reads, most specific first.
	manifests []string
}

func containsInstall(ds []depInstall, d depInstall) bool {
	for _, x := range ds {
		if x.line == d.line && x.text == d.text {
			return true
		}
	}
	return false
}

// ecosystemManifests lists, per ecosystem, the dependency manifests to
// copy before installing.
var ecosystemManifests = map[string][]string{
	"python": {"requirements*.txt", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock", "uv.lock", "setup.py", "setup.cfg"},
	"npm":    {"package.json", "package-lock.json", "npm-shrinkwrap.json"},
	"yarn":   {"package.json", "yarn.lock", ".yarnrc.yml"},
	"pnpm":   {"package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"},
	"go":     {"go.mod", "go.sum"},
	"maven":  {"pom.xml"},
	"gradle": {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties"},
	"ruby":   {"Gemfile", "Gemfile.lock"},
	"rust":   {"Cargo.toml", "Cargo.lock"},
	"php":    {"composer.json", "composer.lock"},
	"dotnet": {"*.csproj", "*.fsproj", "*.sln", "NuGet.Config"},
}

var ecosystemDefault = map[string]string{
	"python": "requirements.txt", "npm": "package*.json", "yarn": "package.json and yarn.lock",
	"pnpm": "package.json and pnpm-lock.yaml", "go": "go.mod and go.sum", "maven": "pom.xml",
	"gradle": "build.gradle and settings.gradle", "ruby": "Gemfile and Gemfile.lock",
	"rust": "Cargo.toml and Cargo.lock", "php": "composer.json and composer.lock", "dotnet": "the project files (*.csproj)",
}

// manifestAdvice tells which files to copy first.
func manifestAdvice(bc *BuildContext, ds []depInstall) string {
	var parts []string
	nfiles := 0
	seen := map[string]bool{}
	system := false
	for _, d := range ds {
		if d.eco == "system" {
			system = true
			continue
		}
		if seen[d.eco] {
			continue
		}
		seen[d.eco] = true
		var files []string
		for _, m := range d.manifests {
			if !strings.ContainsAny(m, "*?[") && bc.Sent(m) {
				files = append(files, m)
			}
		}
		if len(files) == 0 {
			files = contextHas(bc, ecosystemManifests[d.eco])
		}
		switch {
		case len(files) > 0:
			parts = append(parts, vocab.JoinAnd(files))
			nfiles += len(files)
		case len(d.manifests) > 0 && d.eco == "python":
			parts = append(parts, d.manifests[0])
			nfiles++
		default:
			parts = append(parts, ecosystemDefault[d.eco])
			nfiles += 2
		}
	}
	var out string
	if len(parts) > 0 {
		out = "copy " + vocab.JoinAnd(parts) + " first, install from " + plural(nfiles, "it", "them") + ", then copy the rest"
	}
	if system {
		if out != "" {
			out += "; "
		}
		out += "move system package installs above the COPY"
	}
	return out
}

// goHasModules reports whether a Go build may download modules: false
// when the context is known and has no go.sum or has a vendor directory.
func goHasModules(bc *BuildContext) bool {
	if !bc.Known() {
		return true
	}
	if bc.Exists("vendor") {
		return false
	}
	return bc.Exists("go.sum") || !bc.Exists("go.mod")
}

// nonPOSIXInstallRe finds dependency installs in RUN text that is not
// parsed (PowerShell, cmd).
var nonPOSIXInstallRe = lazyre.New(`(?i)\b(npm\s+(ci|install)|yarn\s+install|pnpm\s+install|pip[0-9.]*\s+install|dotnet\s+(restore|build|publish)|nuget\s+restore|go\s+(build|mod\s+download)|mvnw?(\.cmd)?\s|gradlew?(\.bat)?\s|bundle\s+install|composer\s+install|cargo\s+(build|fetch))`)

// dependencyInstalls returns the dependency installs a RUN performs.
func dependencyInstalls(p *Pass, it sdItem) []depInstall {
	in, outer := it.in, it.outer
	if !isPOSIXRun(in) {
		if in.JSON {
			return nil
		}
		var out []depInstall
		for _, m := range nonPOSIXInstallRe.FindAllString(runText(in), -1) {
			eco := "system"
			l := strings.ToLower(m)
			switch {
			case strings.HasPrefix(l, "npm"):
				eco = "npm"
			case strings.HasPrefix(l, "yarn"):
				eco = "yarn"
			case strings.HasPrefix(l, "pnpm"):
				eco = "pnpm"
			case strings.HasPrefix(l, "pip"):
				eco = "python"
			case strings.HasPrefix(l, "dotnet"), strings.HasPrefix(l, "nuget"):
				eco = "dotnet"
			case strings.HasPrefix(l, "go"):
				eco = "go"
			case strings.HasPrefix(l, "mvn"):
				eco = "maven"
			case strings.HasPrefix(l, "gradle"):
				eco = "gradle"
			case strings.HasPrefix(l, "bundle"):
				eco = "ruby"
			case strings.HasPrefix(l, "composer"):
				eco = "php"
			case strings.HasPrefix(l, "cargo"):
				eco = "rust"
			}
			out = append(out, depInstall{eco: eco, text: strings.TrimSpace(m), line: outer.StartLine, manifests: ecosystemManifests[eco]})
		}
		return out
	}
	var out []depInstall
	add := func(eco string, c *shell.Command, manifests ...string) {
		if len(manifests) == 0 {
			manifests = ecosystemManifests[eco]
		}
		out = append(out, depInstall{eco: eco, text: shortCommand(c), line: outer.StartLine, manifests: manifests})
	}
	for _, rs := range p.Shell(outer) {
		for _, op := range rs.PackageOps() {
			c := op.Command
			switch op.Manager {
			case shell.Pip:
				if op.Action != shell.ActionInstall && op.Action != shell.ActionDownload {
					continue
				}
				if op.HasFlag("--no-deps") {
					continue
				}
				reqs := op.FlagValues("-r", "--requirement", "-c", "--constraint")
				if len(reqs) > 0 {
					add("python", c, reqs...)
					continue
				}
				if len(op.Packages) > 0 {
					add("python", c)
				}
			case shell.Npm, shell.Yarn, shell.Pnpm:
				if op.Action != shell.ActionInstall || anyLocal(op) {
					continue
				}
				add(string(op.Manager), c)
			case shell.Go:
				switch {
				case op.Action == shell.ActionDownload, op.Action == shell.ActionInstall && len(op.Packages) == 0,
					op.Action == shell.ActionOther && (op.Verb == "build" || op.Verb == "test" || op.Verb == "vet" || op.Verb == "get"):
					add("go", c)
				}
			case shell.Bundle:
				if op.Action == shell.ActionInstall {
					add("ruby", c)
				}
			case shell.Gem:
				if op.Action == shell.ActionInstall && !anyLocal(op) {
					add("ruby", c)
				}
			case shell.Cargo:
				if op.Verb == "build" || op.Verb == "fetch" || op.Verb == "vendor" || op.Verb == "test" {
					add("rust", c)
				}
			case shell.Composer:
				if op.Action == shell.ActionInstall || op.Verb == "update" {
					add("php", c)
				}
			default:
				if isSystemManager(op.Manager) && op.Action == shell.ActionInstall && len(op.Packages) > 0 && !anyLocal(op) {
					add("system", c)
				}
			}
		}
		for _, c := range rs.Commands {
			switch base := c.Base(); {
			case base == "mvn" || base == "mvnw":
				add("maven", c)
			case base == "gradle" || base == "gradlew":
				add("gradle", c)
			case base == "poetry" && c.HasArgs("install"), base == "pipenv" && (c.HasArgs("install") || c.HasArgs("sync")),
				base == "uv" && (c.HasArgs("sync") || c.HasArgs("pip")):
				add("python", c)
			case base == "dotnet" && (c.HasArgs("restore") || c.HasArgs("build") || c.HasArgs("publish")):
				add("dotnet", c)
			}
		}
	}
	return out
}

// anyLocal reports whether an op installs a local file or directory.
func anyLocal(op *shell.PackageOp) bool {
	for _, pk := range op.Packages {
		if pk.Local {
			return true
		}
	}
	return false
}

// shortCommand returns a command's text, shortened for messages.
func shortCommand(c *shell.Command) string {
	t := strings.Join(strings.Fields(c.Text), " ")
	if len(t) > 48 {
		t = t[:45] + "..."
	}
	return t
}

// contextHas returns the names among candidates that exist in the build
// context (all of them when the context is unknown and fallback is set).
func contextHas(bc *BuildContext, candidates []string) []string {
	var out []string
	for _, c := range candidates {
		if strings.ContainsAny(c, "*?[") {
			if bc.Known() {
				for _, e := range bc.Entries() {
					if ok, _ := path.Match(c, e); ok && !bc.Excluded(e) {
						out = append(out, e)
					}
				}
			}
			continue
		}
		if bc.Sent(c) {
			out = append(out, c)
		}
	}
	return out
}

// copiesWholeContext reports whether a COPY or ADD sends the whole
// context.
func copiesWholeContext(in *dockerfile.Instruction) bool {
	if !fromContext(in) {
		return false
	}
	for _, s := range copySources(in) {
		if dockerfile.IsContextSource(dockerfile.TrimQuotes(s)) {
			return true
		}
	}
	return false
}

// neededStages returns the stages a default build of the file runs: the
// final stage and, transitively, the stages it is built FROM or copies
// from. BuildKit skips the others unless a --target names them.
func neededStages(f *dockerfile.File) map[*dockerfile.Stage]bool {
	out := map[*dockerfile.Stage]bool{}
	var visit func(st *dockerfile.Stage)
	visit = func(st *dockerfile.Stage) {
		if st == nil || out[st] {
			return
		}
		out[st] = true
		visit(st.BaseStage)
		for _, c := range st.CopiesFrom {
			visit(c)
		}
	}
	visit(f.FinalStage())
	return out
}

// sideStage reports whether a stage is a development, test or debugging
// target rather than part of the production image.
func sideStage(st *dockerfile.Stage) bool {
	switch n := strings.ToLower(st.Name); n {
	case "dev", "development", "dev-envs", "dev-env", "devcontainer", "debug", "test", "tests", "testing", "ci", "lint":
		return true
	default:
		return strings.HasPrefix(n, "dev-") || strings.HasPrefix(n, "test-") || strings.HasSuffix(n, "-dev") || strings.HasSuffix(n, "-test")
	}
}
