package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// ignoreEntry is a .dockerignore pattern with what it leaves out.
type ignoreEntry struct {
	pattern string
	why     string
	// present is the context entry whose presence asks for the pattern;
	// "" for a pattern written for every context.
	present string
	// output marks build output that a Dockerfile may copy on purpose.
	output bool
}

// ignoreCatalog lists what a .dockerignore should leave out, in the
// order it is written.
var ignoreCatalog = []ignoreEntry{
	{pattern: ".git", why: "version-control history", present: ""},
	{pattern: ".hg", why: "version-control history", present: ".hg"},
	{pattern: ".svn", why: "version-control history", present: ".svn"},
	{pattern: ".env", why: "local secrets", present: ""},
	{pattern: ".env.*", why: "local secrets", present: ""},
	{pattern: "node_modules", why: "installed dependencies (the image installs its own)", present: "node_modules"},
	{pattern: "npm-debug.log*", why: "logs", present: "package.json"},
	{pattern: ".venv", why: "a virtualenv", present: ".venv"},
	{pattern: "venv", why: "a virtualenv", present: "venv"},
	{pattern: "**/__pycache__", why: "Python bytecode", present: "*.py"},
	{pattern: "**/*.py[cod]", why: "Python bytecode", present: "*.py"},
	{pattern: ".pytest_cache", why: "test caches", present: ".pytest_cache"},
	{pattern: ".mypy_cache", why: "type-checker caches", present: ".mypy_cache"},
	{pattern: ".tox", why: "test environments", present: ".tox"},
	{pattern: "coverage", why: "test coverage output", present: "coverage"},
	{pattern: ".nyc_output", why: "test coverage output", present: ".nyc_output"},
	{pattern: "dist", why: "build output", present: "dist", output: true},
	{pattern: "build", why: "build output", present: "build", output: true},
	{pattern: "target", why: "build output", present: "target", output: true},
	{pattern: ".idea", why: "editor settings", present: ".idea"},
	{pattern: ".vscode", why: "editor settings", present: ".vscode"},
	{pattern: "**/.DS_Store", why: "editor litter", present: ".DS_Store"},
	{pattern: "Dockerfile*", why: "the build's own files", present: ""},
	{pattern: ".dockerignore", why: "the build's own files", present: ""},
}

// Dockerignore writes a .dockerignore for the build context of the
// file: version-control data, local secrets (.env) and the Dockerfile
// itself always, and the dependencies, virtualenvs, caches, editor
// settings and build output the context holds. Build output (dist,
// build, target) that the Dockerfile names in a COPY or ADD is kept.
//
// It returns nil when the context is unknown or already has an ignore
// file. The fix is unsafe: a step that needed one of the excluded files
// (a build reading .git for its version, say) no longer finds it.
func Dockerignore(src Input) *edit.Fix {
	p := newPass(src)
	bc := p.Context
	if !bc.Known() || bc.HasIgnoreFile() || bc.Exists(".dockerignore") {
		return nil
	}
	named := copiedNames(p.File)
	hasPy := false
	for _, e := range bc.Entries() {
		if strings.HasSuffix(e, ".py") || e == "requirements.txt" || e == "pyproject.toml" {
			hasPy = true
		}
	}
	var lines []IgnoreLine
	var left []string
	for _, e := range ignoreCatalog {
		switch {
		case e.present == "":
		case e.present == "*.py":
			if !hasPy {
				continue
			}
		case !bc.Exists(e.present):
			continue
		}
		if e.output && named[e.pattern] || e.pattern == "Dockerfile*" && namesDockerfile(named) {
			continue
		}
		lines = append(lines, IgnoreLine{Pattern: e.pattern, Why: e.why})
		if e.present != "" && e.present != "*.py" && e.present != "package.json" {
			left = append(left, e.present)
		}
	}
	content := WriteIgnore("Written by strata fix: what the image does not need from the build context.", lines)
	msg := "add a .dockerignore that leaves version-control data, local secrets and the Dockerfile out of the build context"
	if len(left) > 0 {
		msg = fmt.Sprintf("add a .dockerignore that leaves %s, version-control data, local secrets and the Dockerfile out of the build context", vocab.JoinAnd(left))
	}
	msg += ": the context is smaller and quicker to send, and edits to those files no longer invalidate the COPY layer"
	return &edit.Fix{Message: msg, Unsafe: true, Create: []edit.NewFile{{Path: ".dockerignore", Content: content}}}
}

// IgnoreLine is one pattern of a written .dockerignore and why it is
// there.
type IgnoreLine struct {
	Pattern, Why string
}

// WriteIgnore writes .dockerignore text: the header as a comment line,
// then the patterns in order, each run of patterns with the same reason
// under a "# reason" comment. It is the writer of SD301's fix and of
// strata context's suggestion.
func WriteIgnore(header string, lines []IgnoreLine) string {
	var b strings.Builder
	if header != "" {
		b.WriteString("# " + header + "\n")
	}
	lastWhy := ""
	for _, l := range lines {
		if l.Why != lastWhy {
			fmt.Fprintf(&b, "# %s\n", l.Why)
			lastWhy = l.Why
		}
		b.WriteString(l.Pattern + "\n")
	}
	return b.String()
}

// copiedNames returns the first path elements of every COPY and ADD
// source taken from the context.
func copiedNames(f *dockerfile.File) map[string]bool {
	out := map[string]bool{}
	for _, in := range f.Instructions {
		t := in
		if in.Trigger != nil {
			t = in.Trigger
		}
		if t.Cmd != "copy" && t.Cmd != "add" || len(t.Args) < 2 {
			continue
		}
		if _, from := t.Flag("from"); from {
			continue
		}
		for _, s := range t.Args[:len(t.Args)-1] {
			s = strings.TrimPrefix(path.Clean(dockerfile.TrimQuotes(s)), "/")
			first, _, _ := strings.Cut(s, "/")
			out[first] = true
		}
	}
	return out
}

// namesDockerfile reports whether a COPY or ADD names a Dockerfile on
// purpose (an image that ships its own recipe).
func namesDockerfile(named map[string]bool) bool {
	for n := range named {
		if strings.HasPrefix(n, "Dockerfile") {
			return true
		}
	}
	return false
}
