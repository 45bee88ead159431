package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/plan"
	"github.com/stratatools/strata/internal/intent"
	"github.com/stratatools/strata/internal/vocab"
)

// SD301 reports a build context copied wholesale without a
// .dockerignore, or with one that lets unwanted entries through.
var SD301 = &Rule{
	ID:        "SD301",
	Name:      "dockerignore",
	Severity:  vocab.Warning,
	Category:  vocab.Cache,
	Checklist: vocab.ContextDockerignore,
	Doc: Doc{
		Summary: "Copying the whole build context needs a .dockerignore that leaves out what the image does not need.",
		Why: "COPY . sends every file of the context: .git history, node_modules, virtualenvs, " +
			"build output and .env files. They make the context slow to send, bloat the layer, " +
			"may leak secrets, and any change to them invalidates the layer cache. The rule " +
			"looks at what is really in the context directory: the top-level entries, .env and " +
			".env.* files (examples and templates excepted), any directory holding a " +
			"virtualenv (pyvenv.cfg), and node_modules, .venv, .git and .env one level down " +
			"(web/node_modules), which a top-level \"node_modules\" pattern does not exclude " +
			"(write **/node_modules). Without a .dockerignore it reports only when something " +
			"should be left out: an entry above, or what the project's working copies collect " +
			"(node_modules beside package.json, bin and obj beside a .csproj, target beside " +
			"Cargo.toml or pom.xml, .venv and __pycache__ beside requirements.txt, .git at a " +
			"repository root); a context of sources only is fine as it is. An .env holding only " +
			"public build configuration (VITE_, NEXT_PUBLIC_, EXPO_PUBLIC_ ...) is not a leak. " +
			"When the Dockerfile is built from another folder (its COPY sources are not in this " +
			"one) the rule says nothing. When there is no .dockerignore, an unsafe fix writes one " +
			"for what the context holds.",
		Bad:  "# no .dockerignore next to the Dockerfile\nCOPY . /app",
		Good: "# .dockerignore:\n#   .git\n#   **/node_modules\n#   .env*\nCOPY . /app",
	},
	Check: func(p *Pass) error {
		if !p.Context.Known() {
			return nil
		}
		img := imageOf(p)
		if !img.ContextConfident || img.ContextDir != p.Context.Dir || img.Is(intent.RoleTemplate) {
			// The build context is not this folder (a Dockerfile built
			// from the repository root, a context a build script
			// assembles): what it holds and which .dockerignore applies
			// are not known here.
			return nil
		}
		for _, in := range p.File.Instructions {
			for _, c := range copiesOfContext(in) {
				through := leakyEntries(p.Context)
				if !p.Context.HasIgnoreFile() {
					likely := likelyArtifacts(p, through)
					if len(through) == 0 && len(likely) == 0 {
						continue // the context holds only what the build needs
					}
					var found []string
					if len(through) > 0 {
						found = append(found, "the context has "+vocab.JoinAnd(through))
					}
					if len(likely) > 0 {
						found = append(found, "a working copy of it also collects "+vocab.JoinAnd(likely))
					}
					p.ReportFix(c, plan.Dockerignore(planInput{p}), "%s copies the whole build context but there is no .dockerignore (%s): add one that leaves out .git, dependencies, build output and secrets", c.Keyword, strings.Join(found, "; "))
					continue
				}
				if len(through) > 0 {
					hint := ""
					for _, t := range through {
						if strings.Contains(t, "/") {
							hint = " (a pattern reaches nested paths with **/, e.g. **/" + t[strings.LastIndex(t, "/")+1:] + ")"
							break
						}
					}
					p.Report(c, "%s copies the whole build context and .dockerignore lets %s through: add %s to it%s",
						c.Keyword, strings.Join(through, ", "), plural(len(through), "it", "them"), hint)
				}
			}
		}
		return nil
	},
}

// unwantedInContext are context entries that rarely belong in an image:
// version-control data, installed dependencies, virtual environments,
// build output, local secrets and caches. Directories named venv or env
// count only when they are virtual environments (see isVirtualenv).
var unwantedInContext = []string{
	".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__",
	".env", ".pytest_cache", ".mypy_cache", ".tox", "coverage", ".nyc_output",
	"dist", "build", "target", ".idea", ".vscode", ".DS_Store", "npm-debug.log",
}

// unwantedNested are the entries looked for one level below the top of
// the context (web/node_modules, api/.venv), where a top-level
// .dockerignore pattern such as "node_modules" does not reach.
var unwantedNested = []string{".git", "node_modules", ".venv", ".env"}

// leakyEntries returns the unwanted entries of the context that its
// ignore file (if any) does not exclude: top-level ones, then nested ones.
func leakyEntries(bc *BuildContext) []string {
	var out, nested []string
	for _, name := range bc.Entries() {
		if bc.Excluded(name) {
			continue
		}
		if isEnvFile(name) {
			if !publicEnvFile(bc, name) {
				out = append(out, name)
			}
			continue
		}
		if isUnwanted(name) || isVirtualenv(bc, name) {
			out = append(out, name)
			continue
		}
		if !isDir(bc, name) || len(nested) >= 8 {
			continue
		}
		ents, err := os.ReadDir(filepath.Join(bc.Dir, name))
		if err != nil {
			continue
		}
		for _, e := range ents {
			rel := name + "/" + e.Name()
			if bc.Excluded(rel) {
				continue
			}
			if slices.Contains(unwantedNested, e.Name()) || isEnvFile(e.Name()) && !publicEnvFile(bc, rel) || e.IsDir() && isVirtualenv(bc, rel) {
				nested = append(nested, rel)
			}
		}
	}
	return append(out, nested...)
}

// isVirtualenv reports whether the context-relative directory is a Python
// virtual environment.
func isVirtualenv(bc *BuildContext, rel string) bool {
	return bc.Exists(rel + "/pyvenv.cfg")
}

// copiesOfContext returns in (or its ONBUILD trigger) when it is a COPY or
// ADD whose sources include the whole context.
func copiesOfContext(in *dockerfile.Instruction) []*dockerfile.Instruction {
	target := in
	if in.Trigger != nil {
		target = in.Trigger
	}
	if target.Cmd != "copy" && target.Cmd != "add" {
		return nil
	}
	if _, from := target.Flag("from"); from {
		return nil
	}
	srcs := target.Args
	if len(srcs) > 1 {
		srcs = srcs[:len(srcs)-1]
	}
	for _, s := range srcs {
		if dockerfile.IsContextSource(s) {
			return []*dockerfile.Instruction{in}
		}
	}
	return nil
}

func isUnwanted(name string) bool {
	for _, u := range unwantedInContext {
		if name == u {
			return true
		}
	}
	return false
}

// projectArtifacts are what a developer's working copy of a project
// collects even when this checkout does not hold them yet: installed
// dependencies, virtual environments, build output. Keyed by the marker
// file that says which kind of project the context is.
var projectArtifacts = []struct {
	markers   []string // file names or patterns
	artifacts []string
}{
	{[]string{"package.json"}, []string{"node_modules"}},
	{[]string{"*.csproj", "*.fsproj", "*.vbproj", "*.sln"}, []string{"bin", "obj"}},
	{[]string{"Cargo.toml"}, []string{"target"}},
	{[]string{"pom.xml"}, []string{"target"}},
	{[]string{"build.gradle", "build.gradle.kts"}, []string{"build", ".gradle"}},
	{[]string{"requirements.txt", "pyproject.toml", "setup.py", "Pipfile"}, []string{".venv", "__pycache__"}},
	{[]string{"composer.json"}, []string{"vendor"}},
	{[]string{".github"}, []string{".git"}}, // a repository root
}

// likelyArtifacts returns the artifacts the context's kind of project
// collects in a working copy (node_modules beside a package.json, bin
// and obj beside a .csproj, .git at a repository root) that are not
// present already (those are in present) and that the build does not
// need.
func likelyArtifacts(p *Pass, present []string) []string {
	bc := p.Context
	var out []string
	have := map[string]bool{}
	for _, x := range present {
		have[x] = true
	}
	for _, pa := range projectArtifacts {
		if len(contextHas(bc, pa.markers)) == 0 {
			continue
		}
		for _, a := range pa.artifacts {
			if have[a] || a == ".git" && buildReadsGit(p) {
				continue
			}
			have[a] = true
			out = append(out, a)
		}
	}
	return out
}

// buildReadsGit reports whether the build needs the context's .git: a RUN
// after the whole-context COPY runs git (git describe, a Makefile or
// build.rs calling it), or a Go build stamps VCS information.
func buildReadsGit(p *Pass) bool {
	for _, in := range p.File.Instructions {
		if in.Cmd != "run" {
			continue
		}
		t := strings.Join(in.Args, " ")
		if strings.Contains(t, "-buildvcs=true") || strings.Contains(t, "setuptools_scm") {
			return true
		}
		for _, c := range commandsOf(p, in) {
			if c.Base() == "git" {
				return true
			}
		}
	}
	for _, f := range []string{"build.rs", "Makefile", "setup.py"} {
		if head, ok := readHead(p.Context, f); ok && (strings.Contains(head, "git describe") || strings.Contains(head, "git rev-parse") || strings.Contains(head, "setuptools_scm")) {
			return true
		}
	}
	return false
}

// publicEnvPrefixes are the prefixes of environment variables that front
// end frameworks inline into the bundle at build time: public by design.
var publicEnvPrefixes = []string{"EXPO_PUBLIC_", "NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_", "NUXT_PUBLIC_", "GATSBY_"}

// publicEnvFile reports whether an .env file only holds public build
// configuration (every key has a public prefix): the build reads it, so
// it must not be left out.
func publicEnvFile(bc *BuildContext, rel string) bool {
	head, ok := readHead(bc, rel)
	if !ok {
		return false
	}
	keys := 0
	for _, line := range strings.Split(head, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			return false
		}
		public := false
		for _, pre := range publicEnvPrefixes {
			public = public || strings.HasPrefix(strings.TrimSpace(k), pre)
		}
		if !public {
			return false
		}
		keys++
	}
	return keys > 0
}
