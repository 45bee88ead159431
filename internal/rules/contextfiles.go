package rules

import (
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
)

var contextRules = []*Rule{SD301}

// unwantedInContext are context entries that rarely belong in an image:
// version-control data, installed dependencies, virtual environments,
// build output, local secrets and caches.
var unwantedInContext = []string{
	".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", "__pycache__",
	".env", ".pytest_cache", ".mypy_cache", ".tox", "coverage", ".nyc_output",
	"dist", "build", "target", ".idea", ".vscode", ".DS_Store", "npm-debug.log",
}

// SD301 reports a build context copied wholesale without a
// .dockerignore, or with one that lets unwanted entries through.
var SD301 = &Rule{
	ID:        "SD301",
	Name:      "dockerignore",
	Severity:  Warning,
	Category:  Cache,
	Checklist: ContextDockerignore,
	Doc: Doc{
		Summary: "Copying the whole build context needs a .dockerignore that leaves out what the image does not need.",
		Why: "COPY . sends every file of the context: .git history, node_modules, virtualenvs, " +
			"build output and .env files. They make the context slow to send, bloat the layer, " +
			"may leak secrets, and any change to them invalidates the layer cache.",
		Bad:  "# no .dockerignore next to the Dockerfile\nCOPY . /app",
		Good: "# .dockerignore:\n#   .git\n#   node_modules\n#   .env\nCOPY . /app",
	},
	Check: func(p *Pass) {
		if !p.Context.Known() {
			return
		}
		for _, in := range p.File.Instructions {
			for _, c := range copiesOfContext(in) {
				if !p.Context.HasIgnoreFile() {
					p.Report(c, "%s copies the whole build context but there is no .dockerignore: add one that leaves out .git, dependencies, build output and secrets", c.Keyword)
					continue
				}
				var through []string
				for _, name := range p.Context.Entries() {
					if isUnwanted(name) && !p.Context.Excluded(name) {
						through = append(through, name)
					}
				}
				if len(through) > 0 {
					p.Report(c, "%s copies the whole build context and .dockerignore lets %s through: add %s to it",
						c.Keyword, strings.Join(through, ", "), plural(len(through), "it", "them"))
				}
			}
		}
	},
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
		if IsContextSource(s) {
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
