package plan

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/stratatools/strata/internal/dockerfile"
	"github.com/stratatools/strata/internal/fix/edit"
	"github.com/stratatools/strata/internal/vocab"
)

// ignoreEntry is a .dockerignore pattern with what it leaves out.
type ignoreEntry struct {
	pattern string
	why     string
	// present is the context entry whose presence asks for the pattern
	// ("" for a pattern written for every context); likely are project
	// markers (top-level names, "*.ext" for an extension) whose
	// checkouts routinely hold the entry even when this one does not.
	present string
	likely  []string
	// output marks build output that a Dockerfile may copy on purpose.
	output bool
}

// ignoreCatalog lists what a .dockerignore should leave out, in the
// order it is written.
var ignoreCatalog = []ignoreEntry{
	{pattern: ".git", why: "version-control history", present: ".git"},
	{pattern: ".hg", why: "version-control history", present: ".hg"},
	{pattern: ".svn", why: "version-control history", present: ".svn"},
	{pattern: ".env", why: "local secrets", present: ".env"},
	{pattern: ".env.*", why: "local secrets", present: ".env"},
	{pattern: "**/node_modules", why: "installed dependencies (the image installs its own)", present: "node_modules", likely: []string{"package.json"}},
	{pattern: "npm-debug.log*", why: "logs", present: "npm-debug.log", likely: []string{"package.json"}},
	{pattern: ".venv", why: "a virtualenv", present: ".venv", likely: []string{"*.py", "requirements.txt", "pyproject.toml"}},
	{pattern: "venv", why: "a virtualenv", present: "venv"},
	{pattern: "**/__pycache__", why: "Python bytecode", present: "__pycache__", likely: []string{"*.py", "requirements.txt", "pyproject.toml"}},
	{pattern: "**/*.py[cod]", why: "Python bytecode", present: "__pycache__", likely: []string{"*.py", "requirements.txt", "pyproject.toml"}},
	{pattern: ".pytest_cache", why: "test caches", present: ".pytest_cache"},
	{pattern: ".mypy_cache", why: "type-checker caches", present: ".mypy_cache"},
	{pattern: ".tox", why: "test environments", present: ".tox"},
	{pattern: "coverage", why: "test coverage output", present: "coverage"},
	{pattern: ".nyc_output", why: "test coverage output", present: ".nyc_output"},
	{pattern: "**/bin", why: ".NET build output", present: "", likely: []string{"*.csproj", "*.fsproj", "*.vbproj", "*.sln"}, output: true},
	{pattern: "**/obj", why: ".NET build output", present: "", likely: []string{"*.csproj", "*.fsproj", "*.vbproj", "*.sln"}, output: true},
	{pattern: "dist", why: "build output", present: "dist", output: true},
	{pattern: "build", why: "build output", present: "build", likely: []string{"build.gradle", "build.gradle.kts"}, output: true},
	{pattern: ".gradle", why: "build output", present: ".gradle", likely: []string{"build.gradle", "build.gradle.kts"}},
	{pattern: "target", why: "build output", present: "target", likely: []string{"Cargo.toml", "pom.xml"}, output: true},
	{pattern: ".idea", why: "editor settings", present: ".idea"},
	{pattern: ".vscode", why: "editor settings", present: ".vscode"},
	{pattern: "**/.DS_Store", why: "editor litter", present: ".DS_Store"},
	{pattern: "Dockerfile*", why: "the build's own files", present: "", likely: []string{"*"}},
	{pattern: ".dockerignore", why: "the build's own files", present: "", likely: []string{"*"}},
}

// maxEnvRead bounds how much of a .env file Dockerignore reads.
const maxEnvRead = 64 << 10

// contextReader is a Context that can read its files.
type contextReader interface {
	ReadFile(rel string, limit int64) ([]byte, error)
}

// Dockerignore writes a .dockerignore for the build context of the
// file. It leaves out what the context holds and the image does not
// need (version-control data, local secrets, installed dependencies,
// virtualenvs, caches, editor settings, build output), and what
// checkouts of this kind of project routinely hold even when this one
// does not (node_modules beside a package.json, bin/ and obj/ beside a
// .NET project, target/ beside Cargo.toml or pom.xml, __pycache__ and
// .venv beside Python code), and the Dockerfile itself. It never leaves
// out what a COPY or ADD names, nor a .env whose keys are all public
// build settings (NEXT_PUBLIC_, VITE_, EXPO_PUBLIC_, REACT_APP_...),
// which a front-end build reads on purpose.
//
// It returns nil when the context is unknown or already has an ignore
// file, when the file is a template (its real context is another's),
// when the context is not the one the file is built with (a COPY source
// it does not hold: the file is built from a parent directory, whose
// ignore file counts), and when nothing but the Dockerfile would be
// left out. The fix is unsafe: a step that needed one of the excluded
// files (a build reading .git for its version, say) no longer finds it.
func Dockerignore(src Input) *edit.Fix {
	p := newPass(src)
	bc := p.Context
	switch {
	case !bc.Known() || bc.HasIgnoreFile() || bc.Exists(".dockerignore"):
		return nil
	case isTemplate(p.File):
		return edit.Decline("the file is a template, built from other contexts")
	case !contextHolds(p.File, bc):
		return edit.Decline("the context does not hold what the Dockerfile copies: it is assembled elsewhere")
	}
	named := copiedNames(p.File)
	entries := bc.Entries()
	publicEnv := bc.Exists(".env") && publicEnvFile(bc)
	var lines []IgnoreLine
	var left []string
	substantive := false
	for _, e := range ignoreCatalog {
		has := e.present != "" && bc.Exists(e.present)
		likely := matchesAny(entries, e.likely)
		if !has && !likely || e.present == ".env" && publicEnv {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(e.pattern, "**/"), "/")
		if e.output && named[first] || e.pattern == "Dockerfile*" && namesDockerfile(named) || named[first] {
			continue
		}
		lines = append(lines, IgnoreLine{Pattern: e.pattern, Why: e.why})
		if e.why != "the build's own files" {
			substantive = true
		}
		if has && e.present != "npm-debug.log" && !slices.Contains(left, e.present) {
			left = append(left, e.present)
		}
	}
	if !substantive {
		return edit.Decline("what the context would leave out is copied by name or needed by the build (.git for a version, say), or is only the Dockerfile")
	}
	msg := "add a .dockerignore that leaves out what checkouts of this kind of project hold and the image does not need"
	if len(left) > 0 {
		msg = fmt.Sprintf("add a .dockerignore that leaves %s (and what checkouts of this kind of project hold) out of the build context", vocab.JoinAnd(left))
	}
	msg += ": the context is smaller and quicker to send, and edits to those files no longer invalidate the COPY layer"
	content := WriteIgnore("Written by strata fix: what the image does not need from the build context.", lines)
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

// matchesAny reports whether one of the context entries matches one of
// the markers: a name, "*.ext", or "*" for any entry.
func matchesAny(entries, markers []string) bool {
	for _, m := range markers {
		for _, e := range entries {
			if m == "*" || m == e || strings.HasPrefix(m, "*.") && strings.HasSuffix(e, m[1:]) {
				return true
			}
		}
	}
	return false
}

// isTemplate reports whether the file is a template rendered into the
// real Dockerfile (by its name, or placeholders in its instructions).
func isTemplate(f *dockerfile.File) bool {
	name := strings.ToLower(path.Base(filepathToSlash(f.Path)))
	for _, ext := range []string{".template", ".tmpl", ".tpl", ".j2", ".jinja", ".jinja2", ".erb", ".in"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	for _, in := range f.Instructions {
		if strings.Contains(in.Original, "{{") || strings.Contains(in.Original, "{%") {
			return true
		}
	}
	return false
}

// filepathToSlash turns a path's separators into slashes.
func filepathToSlash(p string) string { return strings.ReplaceAll(p, "\\", "/") }

// contextHolds reports whether the context holds every source the
// file's COPY and ADD instructions take from it (the first element of
// each, matched as a pattern when it is one).
func contextHolds(f *dockerfile.File, bc Context) bool {
	entries := bc.Entries()
	for _, in := range f.Instructions {
		t := in
		if in.Trigger != nil {
			t = in.Trigger
		}
		if t.Cmd != "copy" && t.Cmd != "add" || len(t.Args) < 2 || len(t.Heredocs) > 0 {
			continue
		}
		if _, from := t.Flag("from"); from {
			continue
		}
		for _, s := range t.Args[:len(t.Args)-1] {
			s = dockerfile.TrimQuotes(s)
			if dockerfile.HasVariable(s) || strings.Contains(s, "://") || strings.HasPrefix(s, "git@") || dockerfile.IsContextSource(s) {
				continue
			}
			first, _, _ := strings.Cut(strings.TrimPrefix(path.Clean(s), "/"), "/")
			if first == "" || first == "." {
				continue
			}
			if strings.ContainsAny(first, "*?[") {
				matched := false
				for _, e := range entries {
					if ok, _ := path.Match(first, e); ok {
						matched = true
						break
					}
				}
				if !matched {
					return false
				}
				continue
			}
			if !bc.Exists(first) {
				return false
			}
		}
	}
	return true
}

// publicPrefixes are the prefixes front-end build tools inline into the
// code they build: values meant to be public.
var publicPrefixes = []string{"NEXT_PUBLIC_", "VITE_", "EXPO_PUBLIC_", "REACT_APP_", "PUBLIC_", "NUXT_PUBLIC_", "GATSBY_", "VUE_APP_"}

// publicEnvFile reports whether the context's .env sets only public
// build settings (every key has one of publicPrefixes).
func publicEnvFile(bc Context) bool {
	r, ok := bc.(contextReader)
	if !ok {
		return false
	}
	data, err := r.ReadFile(".env", maxEnvRead)
	if err != nil {
		return false
	}
	keys := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "export "))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		if !ok {
			return false
		}
		keys++
		if !slices.ContainsFunc(publicPrefixes, func(pre string) bool { return strings.HasPrefix(strings.TrimSpace(k), pre) }) {
			return false
		}
	}
	return keys > 0
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
