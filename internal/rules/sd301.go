package rules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/plan"
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
			"(write **/node_modules). When there is no .dockerignore, an unsafe fix writes one " +
			"for what the context holds.",
		Bad:  "# no .dockerignore next to the Dockerfile\nCOPY . /app",
		Good: "# .dockerignore:\n#   .git\n#   **/node_modules\n#   .env*\nCOPY . /app",
	},
	Check: func(p *Pass) error {
		if !p.Context.Known() {
			return nil
		}
		for _, in := range p.File.Instructions {
			for _, c := range copiesOfContext(in) {
				through := leakyEntries(p.Context)
				if !p.Context.HasIgnoreFile() {
					found := ""
					if len(through) > 0 {
						found = " (the context has " + vocab.JoinAnd(through) + ")"
					}
					p.ReportFix(c, plan.Dockerignore(planInput{p}), "%s copies the whole build context but there is no .dockerignore%s: add one that leaves out .git, dependencies, build output and secrets", c.Keyword, found)
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
		if isUnwanted(name) || isEnvFile(name) || isVirtualenv(bc, name) {
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
			if slices.Contains(unwantedNested, e.Name()) || isEnvFile(e.Name()) || e.IsDir() && isVirtualenv(bc, rel) {
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
